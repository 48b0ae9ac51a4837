/**
 * The window's state, handed to panels through Svelte context: each panel asks for the pieces it uses.
 * App.svelte provides them all once (Workspace.provide).
 */
import { createContext } from 'svelte';
import type { StackEditor } from '../builder/stack-editor.svelte.js';
import type { AppCommandRegistry } from '../commands/app-registry.js';
import type { DatasetLoader } from '../data/dataset-loader.svelte.js';
import type { DatasetPreview } from '../data/dataset-preview.svelte.js';
import type { OnnxExport } from '../export/onnx-export.svelte.js';
import type { Host } from '../host/host.js';
import type { InferenceSession } from '../inference/inference.svelte.js';
import type { InsightViews } from '../insight/insight-views.svelte.js';
import type { RunBook } from '../train/run-book.svelte.js';
import type { TrainingControl } from '../train/training-control.svelte.js';
import type { Notices } from '../ui/notices.svelte.js';
import type { AppStatus } from './app-status.svelte.js';
import type { ProjectFile } from './project-file.svelte.js';

export const [useHost, provideHost] = createContext<Host>();
export const [useCommands, provideCommands] = createContext<AppCommandRegistry>();
export const [useNotices, provideNotices] = createContext<Notices>();
export const [useStatus, provideStatus] = createContext<AppStatus>();
export const [useProject, provideProject] = createContext<ProjectFile>();
export const [useDataset, provideDataset] = createContext<DatasetPreview>();
export const [useDatasetLoader, provideDatasetLoader] = createContext<DatasetLoader>();
export const [useEditor, provideEditor] = createContext<StackEditor>();
export const [useTraining, provideTraining] = createContext<TrainingControl>();
export const [useRunBook, provideRunBook] = createContext<RunBook>();
export const [useOnnxExport, provideOnnxExport] = createContext<OnnxExport>();
export const [useInference, provideInference] = createContext<InferenceSession>();
export const [useInsightViews, provideInsightViews] = createContext<InsightViews>();
