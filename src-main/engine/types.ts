/**
 * What differs between the Electron host and browser mode, seen from the engine. The engine itself (engine.ts)
 * is the same in both: it keeps datasets, projects, runs and ONNX models in memory by id and never hands a
 * path to the UI.
 */
import type { ApiMethod, LayerLabApi } from '../contract/api.js';
import type { DataSettings } from '../core/data/types.js';
import type { ModelSpec } from '../core/model/spec.js';
import type { TrainingEvent, TrainingResult, TrainingSettings } from '../core/training/types.js';

export type FileKind = 'csv' | 'project' | 'onnx' | 'predictions';

/** The job a training process receives: it reads the CSV itself, so only a path crosses. */
export interface TrainingJob {
  dataPath: string;
  dataSettings: DataSettings;
  spec: ModelSpec;
  settings: TrainingSettings;
}

/** One training process, whatever started it (Electron utilityProcess or a Node child). */
export interface TrainerProcess {
  start(job: TrainingJob): void;
  pause(): void;
  resume(): void;
  stop(): void;
  /** Events while it trains; `done` once with the result (null when it left no model) or an error message. */
  onEvent(listener: (event: TrainingEvent) => void): void;
  onDone(listener: (outcome: { result: TrainingResult | null; error?: string }) => void): void;
  dispose(): void;
}

export interface EngineHost {
  mode: 'electron' | 'browser';
  /** A folder this session owns: uploads, unsaved runs' weights, browser-mode saves. */
  workspaceDir: string;
  /** resources/samples: sample CSVs and the sample project. */
  samplesDir: string;
  /** Electron: a native open dialog. Browser mode: null (the UI uploads instead). */
  chooseOpenFile(kind: FileKind): Promise<string | null>;
  /**
   * Electron: a native save dialog (null when cancelled). Browser mode: a path in the workspace; the file then
   * reaches the person through `offerDownload`.
   */
  chooseSaveFile(kind: FileKind, suggestedName: string): Promise<string | null>;
  /** Browser mode: a URL the page can download `filePath` from. Electron: absent (the file is already saved). */
  offerDownload?(filePath: string, fileName: string): string;
  spawnTrainer(): TrainerProcess;
  /** Electron: remembers unsaved changes to ask before closing. */
  setDirty?(dirty: boolean): void;
}

export interface Engine extends LayerLabApi {
  /** Validates `args` for `method` and runs it: the single entry for IPC and the WebSocket. */
  invoke(method: ApiMethod, args: unknown[]): Promise<unknown>;
  /** Stops running trainers and forgets everything. */
  dispose(): Promise<void>;
}
