/**
 * What the engine keeps in memory for one session, by id: datasets, projects, runs and ONNX models. Every part
 * of the engine works on this one state; paths stay in it and never reach the UI.
 */
import type {
  DataProgress,
  DatasetProblem,
  Evaluation,
  OnnxModelSummary,
  LrFinderProgress,
  RunEvent,
  RunSummary,
  SessionDraft,
  StartTrainingRequest,
} from '../contract/api.js';
import type { DataSettings, Dataset, PreparedData } from '../core/data/types.js';
import type { ProjectDocument, RunRecord } from '../core/project/types.js';
import type { EpochRecord, TrainedModel, TrainingEvent } from '../core/training/types.js';
import type { TrainerHandle } from '../trainer/trainer-client.js';
import { selectBackend, type OnnxModel } from './core.js';
import { IdStore } from './id-store.js';
import { Listeners } from './listeners.js';
import type { EngineHost } from './types.js';

export interface DatasetEntry {
  dataset: Dataset;
  /** Where the CSV is on disk (uploads are written to the workspace first): projects refer to it from here. */
  path: string;
  defaults: DataSettings;
}

export interface ProjectEntry {
  /** null until saved (new projects, uploads, the sample project, which is never overwritten). */
  path: string | null;
  fileName: string;
  name: string;
  datasetId: string | null;
  /** Runs made or opened with this project, by run id; merged into the document on save. */
  runs: Map<string, RunRecord>;
  /** The document as opened or last saved: what a restored window compares its draft with. */
  document: ProjectDocument;
  /** The data file differs from the recorded one or could not be read; null once it is right or re-linked. */
  datasetProblem: DatasetProblem | null;
}

export interface RunEntry {
  projectId: string;
  datasetId: string | null;
  startedAt: Date;
  request: Omit<StartTrainingRequest, 'datasetId'>;
  trainer: TrainerHandle | null;
  /** The trainer's announcement (sizes, parameters), kept for a window that joins the run later. */
  started: Extract<TrainingEvent, { type: 'started' }> | null;
  paused: boolean;
  backend: RunSummary['backend'];
  history: EpochRecord[];
  outcome: RunSummary['outcome'] | null;
  bestEpoch: number | null;
  seconds: number;
  finalValidation: RunSummary['finalValidation'];
  finalTest: RunSummary['finalTest'];
  trained: TrainedModel | null;
  prepared: PreparedData | null;
  evaluation: Evaluation | null;
  /** The trainer's evaluation on the test split (null when the split is empty or the run was restored). */
  testEvaluation: Evaluation | null;
  /** Absolute path of the weights file, once written. */
  weightsPath: string | null;
}

export interface ModelEntry {
  fileName: string;
  model: OnnxModel;
  summary: OnnxModelSummary;
}

/** A run recorded in an opened project but trained in an earlier session: restored on demand. */
export interface OldRunWeights {
  projectId: string;
  path: string;
  record: RunRecord;
}

/** One window's session, under the random key the window keeps (a reload or a second tab sends it again). */
export interface SessionEntry {
  projectId: string;
  draft: SessionDraft | null;
}

export interface EngineState {
  host: EngineHost;
  datasets: IdStore<DatasetEntry>;
  projects: IdStore<ProjectEntry>;
  runs: IdStore<RunEntry>;
  models: IdStore<ModelEntry>;
  weightsOfOldRuns: Map<string, OldRunWeights>;
  sessions: Map<string, SessionEntry>;
  trainingListeners: Listeners<RunEvent>;
  dataProgressListeners: Listeners<DataProgress>;
  lrFinderProgressListeners: Listeners<LrFinderProgress>;
  /** tf.js in this process only predicts (evaluation, parity), so the plain cpu backend is enough. */
  ensureTf(): Promise<unknown>;
}

export function createEngineState(host: EngineHost): EngineState {
  let backendReady: Promise<unknown> | null = null;
  return {
    host,
    datasets: new IdStore<DatasetEntry>('d', 'dataset', 'load the CSV file again.'),
    projects: new IdStore<ProjectEntry>('p', 'project', 'open the project again.'),
    runs: new IdStore<RunEntry>('r', 'training run', 'train the model again.'),
    models: new IdStore<ModelEntry>('m', 'ONNX model', 'open or export the model again.'),
    weightsOfOldRuns: new Map(),
    sessions: new Map(),
    trainingListeners: new Listeners(),
    dataProgressListeners: new Listeners(),
    lrFinderProgressListeners: new Listeners(),
    ensureTf() {
      backendReady ??= selectBackend('cpu');
      return backendReady;
    },
  };
}
