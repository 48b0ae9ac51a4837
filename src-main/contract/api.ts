/**
 * The one API between the UI and the engine. Electron's preload and browser mode's WebSocket client both
 * implement `LayerLabApi`, so the UI code is identical in both. Types, plus the runtime lists of method and
 * event names that the proxies (proxy.ts) are built from.
 *
 * Files are never named by the renderer: it holds ids handed out by the engine after a dialog, a drop or an
 * upload, so a compromised page cannot ask for an arbitrary path.
 */
import type { ModelSpec } from '../core/model/spec.js';
import type {
  CategoryEncoding,
  DataCheck,
  ColumnKind,
  ColumnRole,
  ColumnSettings,
  ColumnStats,
  CsvWarning,
  DataSettings,
  Histogram,
  MissingPolicy,
  NonFinitePolicy,
  NumericEncoding,
  PredictionTable,
  RawRecord,
  SplitSettings,
  TaskKind,
} from '../core/data/types.js';
import type {
  BackendName,
  EpochRecord,
  LossName,
  MetricName,
  OptimizerName,
  RunOutcome,
  TrainingEvent,
  TrainingSettings,
} from '../core/training/types.js';
import type { ExportRecord, ProjectDocument, RunRecord } from '../core/project/types.js';
import type {
  BoundaryAxis,
  BoundaryGrid,
  BoundaryRequest,
  EpochInsight,
  InsightRequest,
  KeptInsightRequest,
  LayerEpochStats,
} from '../core/training/insight-types.js';
import type { OnnxProfile } from '../core/onnx/onnx-profile.js';
import type {
  BatchStep,
  ExampleTrace,
  LayerTrace,
  TraceWeights,
  TracedParam,
} from '../core/insight/example-trace-types.js';
import type { LrSweep } from '../core/insight/lr-sweep.js';
import type { AppCommandId } from './app-commands.js';

// The engine's plain data types that cross this API, so the UI needs no import from the engine's folders.
export type { BoundaryAxis, BoundaryGrid, BoundaryRequest, LrSweep };
export type { EpochInsight, InsightRequest, KeptInsightRequest, LayerEpochStats };
export type { BatchStep, ExampleTrace, LayerTrace, TraceWeights, TracedParam };
export type {
  BackendName,
  CategoryEncoding,
  ColumnRole,
  ColumnSettings,
  DataSettings,
  ExportRecord,
  Histogram,
  LossName,
  MetricName,
  MissingPolicy,
  NumericEncoding,
  OptimizerName,
  PredictionTable,
  ProjectDocument,
  RawRecord,
  RunOutcome,
  RunRecord,
  SplitSettings,
  TaskKind,
  TrainingEvent,
  TrainingSettings,
};

export interface AppInfo {
  version: string;
  mode: 'electron' | 'browser';
  platform: string;
  /** Backends that can load on this machine, best first, with the reason for each one missing. */
  backends: Array<{ name: BackendName; available: boolean; note: string }>;
  samples: Array<{ id: string; name: string; description: string }>;
}

export interface ColumnSummary {
  name: string;
  kind: ColumnKind;
  stats: ColumnStats;
}

export interface DatasetSummary {
  id: string;
  name: string;
  bytes: number;
  rowCount: number;
  delimiter: string;
  hasHeader: boolean;
  columns: ColumnSummary[];
  /** The first rows as text; further rows come through `datasetRows`. */
  preview: string[][];
  skippedRows: number;
  warnings: CsvWarning[];
  /** Sensible settings for this file (target = last suitable column). */
  defaults: DataSettings;
}

export interface CsvLoadOptions {
  /** Skip rows with the wrong number of fields instead of refusing the file; the summary counts them. */
  skipBadRows?: boolean;
  /** Refuse a numeric column's inf/NaN cells, naming the first one, instead of reading them as missing. */
  nonFinite?: NonFinitePolicy;
}

/** The engine reading a CSV (an upload, a dialog pick, a sample or a project's dataset), throttled. */
export interface DataProgress {
  /** The name the person knows the file by (an upload keeps the name it was picked with). */
  fileName: string;
  bytesRead: number;
  totalBytes: number;
}

/** The verdict on a dataset and its settings (the window shows it, the CLI prints it). */
export type { DataCheck };

/** The project's data file is not the one its runs were trained on: the window says so and offers to re-link. */
export interface DatasetProblem {
  /** The file's name as the project recorded it. */
  name: string;
  /** changed: the file is there but its content (fingerprint) differs; missing: it could not be read. */
  reason: 'changed' | 'missing';
  message: string;
}

export interface OpenedProject {
  /** Engine-side handle of the file (not its path), used by `saveProject`. */
  projectId: string;
  fileName: string;
  document: ProjectDocument;
  /** The project's dataset, loaded, or null when it has none or it could not be read (see datasetProblem). */
  dataset: DatasetSummary | null;
  /** Null when the data file is the one the project recorded (or it records none). */
  datasetProblem: DatasetProblem | null;
  warnings: string[];
}

/**
 * What the window holds of its project while it is edited, kept by the engine so that a reload or a second tab
 * gets it back. The runs are the engine's own, so they are not part of it.
 */
export interface SessionDraft {
  name: string;
  dataSettings: DataSettings | null;
  model: ModelSpec;
  training: TrainingSettings;
  /** The dataset the window shows, null when none. */
  datasetId: string | null;
}

/** A run still training when the window asked: what it has done so far, to fill the charts in. */
export interface RunInProgress {
  runId: string;
  /** Its request and its history up to now (no final metrics yet). */
  summary: RunSummary;
  /** The trainer's `started` event; null while the trainer is still starting. */
  started: Extract<TrainingEvent, { type: 'started' }> | null;
  paused: boolean;
}

/** The engine's side of one window session: its project as last opened or saved, the draft, the runs. */
export interface SessionSnapshot {
  /** `document` is the project as opened or last saved (what "unsaved changes" compares with). */
  project: OpenedProject;
  /** The window's last draft; null when it never sent one. */
  draft: SessionDraft | null;
  /** Every run of the project: the recorded ones and this session's, oldest first. */
  runs: RunRecord[];
  running: RunInProgress | null;
}

export interface SavedProject {
  projectId: string;
  fileName: string;
  /** Browser mode: where the browser can download the saved file. */
  downloadUrl?: string;
}

export interface StartTrainingRequest {
  datasetId: string;
  dataSettings: DataSettings;
  spec: ModelSpec;
  settings: TrainingSettings;
  /** What the open insight views ask for from the first epoch on (none when absent). */
  insight?: InsightRequest;
}

export type RunEvent = { runId: string; event: TrainingEvent };

/**
 * Whose weights the step-through starts from: a run (its kept weights once it has ended; while it trains, its
 * newest epoch's weights when the engine has them, else its initial weights), the current model's initial weights,
 * or the step-through's own copy as "Next batch" left it.
 */
export type ExampleSource =
  | { kind: 'run'; runId: string }
  | { kind: 'model'; model: Omit<StartTrainingRequest, 'insight'> }
  | { kind: 'stepper'; stepperId: string };

/** A trace, and the id of the engine's copy it was made with (for "Next batch" and the next row). */
export interface TracedExample {
  stepperId: string;
  trace: ExampleTrace;
}

/** What the learning-rate finder sweeps: the data and model a run would train, with its optimizer. */
export type LrFinderRequest = Omit<StartTrainingRequest, 'insight'>;

export interface ClassificationEvaluation {
  kind: 'classification';
  labels: string[];
  /** confusion[actual][predicted] counts on the validation split. */
  confusion: number[][];
  perClass: Array<{ label: string; precision: number; recall: number; f1: number; support: number }>;
  accuracy: number;
}

export interface RegressionEvaluation {
  kind: 'regression';
  /** [actual, predicted] in the target's units, validation split. */
  points: Array<[number, number]>;
  mae: number;
  rmse: number;
  r2: number;
}

export type Evaluation = ClassificationEvaluation | RegressionEvaluation;

export interface RunSummary {
  runId: string;
  startedAt: string;
  backend: BackendName;
  outcome: RunOutcome;
  seconds: number;
  bestEpoch: number | null;
  history: EpochRecord[];
  /** The kept weights' metrics on the validation split (empty until the run has ended). */
  finalValidation: Partial<Record<MetricName, number>>;
  /** The same metrics, with the same names, on the test split, measured once at the end (empty when it has no rows). */
  finalTest: Partial<Record<MetricName, number>>;
  settings: TrainingSettings;
  spec: ModelSpec;
  /** On the validation split; present when the run left a trained model and the split has rows. */
  evaluation: Evaluation | null;
  /** The same on the test split, which training never saw (null when the split is empty). */
  testEvaluation: Evaluation | null;
}

export type { OnnxProfile };

export interface ExportResult {
  fileName: string;
  bytes: number;
  /** Largest |onnxruntime - tf.js| over the validation rows; the export fails above 1e-4. */
  maxDifference: number;
  rowsCompared: number;
  ok: boolean;
  message: string;
  /** Browser mode: where the browser can download the file. */
  downloadUrl?: string;
  /** Portable profile: the preprocessing manifest saved beside the model, and (browser mode) its download. */
  manifest?: { fileName: string; downloadUrl?: string };
  /** The exported model, opened for inference. */
  model: OnnxModelSummary;
}

/** A run as a training script (issue: outgrow the laptop), with its trained weights beside it. */
export interface TrainingScriptResult {
  fileName: string;
  weightsFileName: string;
  message: string;
  /** Browser mode: where the browser can download the script and the weights. */
  downloadUrl?: string;
  weightsDownloadUrl?: string;
}

export interface OnnxTensorInfo {
  name: string;
  type: string;
  /** Dimensions; a string is a symbolic dimension such as 'batch'. */
  shape: Array<number | string>;
}

export interface OnnxModelSummary {
  modelId: string;
  fileName: string;
  inputs: OnnxTensorInfo[];
  outputs: OnnxTensorInfo[];
  producer: string;
  opset: number;
  metadata: Record<string, string>;
  /** Category inputs of a LayerLab model: the categories seen in training, by input name. */
  categories: Record<string, string[]>;
}

/** A command chosen in the host's menu: one of the application commands of app-commands.ts. */
export type MenuCommand = AppCommandId;

/** The calls of the API: each one crosses the boundary as a method name and a list of arguments. */
export interface ApiMethods {
  appInfo(): Promise<AppInfo>;

  /** Electron: a native open dialog. Browser mode: resolves null (the UI offers an upload instead). */
  openCsvDialog(options?: CsvLoadOptions): Promise<DatasetSummary | null>;
  uploadCsv(fileName: string, bytes: Uint8Array, options?: CsvLoadOptions): Promise<DatasetSummary>;
  loadSampleDataset(sampleId: string): Promise<DatasetSummary>;
  datasetRows(datasetId: string, start: number, count: number): Promise<string[][]>;
  checkData(datasetId: string, settings: DataSettings): Promise<DataCheck>;

  newProject(): Promise<OpenedProject>;
  openSampleProject(): Promise<OpenedProject>;
  openProjectDialog(): Promise<OpenedProject | null>;
  uploadProject(fileName: string, bytes: Uint8Array): Promise<OpenedProject>;
  /**
   * `datasetId` names the loaded dataset the project uses (the engine writes its path, relative to the project
   * file, into `document.dataset`); without it the engine keeps the project's current dataset.
   */
  saveProject(
    projectId: string,
    document: ProjectDocument,
    /** `fileName`: the name the person chose for Save As (the host's dialog may still change it). */
    options: { saveAs: boolean; datasetId?: string; fileName?: string },
  ): Promise<SavedProject | null>;

  /**
   * Picks another CSV (already loaded, by id) as the project's data file; the answer says whether it still
   * differs from the one the runs were trained on.
   */
  relinkDataset(
    projectId: string,
    datasetId: string,
  ): Promise<{ dataset: DatasetSummary; problem: DatasetProblem | null }>;

  /**
   * The session a window started before (a reload, a second tab): `sessionKey` is the window's own random key.
   * Null when the engine has none under that key (a fresh window, a restarted engine).
   */
  getSession(sessionKey: string): Promise<SessionSnapshot | null>;
  /** The window keeps its draft in the engine as it changes, so the session survives a reload. */
  setSessionDraft(sessionKey: string, projectId: string, draft: SessionDraft): Promise<void>;

  startTraining(projectId: string, request: StartTrainingRequest): Promise<{ runId: string }>;
  controlTraining(runId: string, action: 'pause' | 'resume' | 'stop'): Promise<void>;
  /** The insight views opened or closed (or the boundary's features changed) while the run goes on. */
  setTrainingInsight(runId: string, request: InsightRequest): Promise<void>;
  getRun(runId: string): Promise<RunSummary>;
  /**
   * The kept weights' decision boundary (or fitted curve); null when the run kept no weights or its data is not
   * loaded, and an error saying why when the features asked for cannot make one.
   */
  boundaryForRun(runId: string, request: BoundaryRequest): Promise<BoundaryGrid | null>;
  /**
   * The kept weights as the network and layer views show them, at the kept epoch; the layers' update ratio is
   * null (the epoch before is not kept). Null when the run kept no weights or the data it trained on is not loaded.
   */
  insightForRun(runId: string, request: KeptInsightRequest): Promise<EpochInsight | null>;
  /** A short learning-rate sweep on a fresh copy of the model: loss per rate and a suggested rate. */
  findLearningRate(projectId: string, request: LrFinderRequest): Promise<LrSweep>;

  /**
   * One training row through the network, step by step. `row`: its number in the file (1 for the first data
   * row); null: the first row of the training split.
   */
  traceExample(source: ExampleSource, row: number | null): Promise<TracedExample>;
  /** One real training step of the step-through's copy on its next batch, then `row` traced again. */
  stepExampleBatch(stepperId: string, row: number | null): Promise<BatchStep>;

  /** Named `<project>-run-<n>.onnx`; `projectName` is the name shown now (the engine knows the saved one). */
  exportOnnx(runId: string, projectName?: string, profile?: OnnxProfile): Promise<ExportResult | null>;
  /** Named `<project>-run-<n>-<format>.py`; null when the person cancelled the save dialog. */
  exportTrainingScript(
    runId: string,
    format: 'pytorch' | 'keras',
    projectName?: string,
  ): Promise<TrainingScriptResult | null>;

  openOnnxDialog(): Promise<OnnxModelSummary | null>;
  uploadOnnx(fileName: string, bytes: Uint8Array): Promise<OnnxModelSummary>;
  predictRecords(modelId: string, records: RawRecord[]): Promise<PredictionTable>;
  predictDataset(modelId: string, datasetId: string): Promise<PredictionTable>;
  savePredictions(table: PredictionTable): Promise<{ fileName: string; downloadUrl?: string } | null>;

  /** The UI reports unsaved changes so the host can ask before the window closes (no-op in browser mode). */
  setDirty(dirty: boolean): Promise<void>;
}

/** What the engine and the host tell the UI without being asked: event name → payload. */
export interface ApiEvents {
  trainingEvent: RunEvent;
  /** Progress of every CSV the engine reads; the last event of a file has `bytesRead === totalBytes`. */
  dataProgress: DataProgress;
  /** Menu items and OS file drops arrive here from the host. */
  menuCommand: MenuCommand;
  /** How far a learning-rate sweep (findLearningRate) has come: `done` of `total` batches. */
  lrFinderProgress: LrFinderProgress;
}

export interface LrFinderProgress {
  projectId: string;
  done: number;
  total: number;
}

export type ApiMethod = keyof ApiMethods;
export type ApiEventName = keyof ApiEvents;
export type ApiListener<E extends ApiEventName> = (payload: ApiEvents[E]) => void;

/** `dataProgress` → `onDataProgress`: the name of an event's subscription method. */
export type SubscriptionName<E extends ApiEventName> = `on${Capitalize<E>}`;

/** One `on…` method per event, each returning the function that ends the subscription. */
export type ApiSubscriptions = {
  [E in ApiEventName as SubscriptionName<E>]: (listener: ApiListener<E>) => () => void;
};

export interface LayerLabApi extends ApiMethods, ApiSubscriptions {}

/**
 * A runtime list that names every member of `Names` exactly as the type does: a name missing from the list
 * is a compile error naming it, so the lists below cannot fall behind the interfaces above.
 */
function everyName<Names extends string>() {
  return <const List extends readonly Names[]>(
    list: List & ([Exclude<Names, List[number]>] extends [never] ? unknown : { missing: Exclude<Names, List[number]> }),
  ): List => list;
}

/** Method names, the runtime twin of `ApiMethods` (the proxies are built from it). */
export const API_METHODS = everyName<ApiMethod>()([
  'appInfo',
  'openCsvDialog',
  'uploadCsv',
  'loadSampleDataset',
  'datasetRows',
  'checkData',
  'newProject',
  'openSampleProject',
  'openProjectDialog',
  'uploadProject',
  'saveProject',
  'relinkDataset',
  'getSession',
  'setSessionDraft',
  'startTraining',
  'controlTraining',
  'setTrainingInsight',
  'getRun',
  'traceExample',
  'stepExampleBatch',
  'boundaryForRun',
  'insightForRun',
  'findLearningRate',
  'exportOnnx',
  'exportTrainingScript',
  'openOnnxDialog',
  'uploadOnnx',
  'predictRecords',
  'predictDataset',
  'savePredictions',
  'setDirty',
]);

/** Event names, the runtime twin of `ApiEvents`. */
export const API_EVENTS = everyName<ApiEventName>()([
  'trainingEvent',
  'dataProgress',
  'menuCommand',
  'lrFinderProgress',
]);

export function subscriptionName<E extends ApiEventName>(event: E): SubscriptionName<E> {
  return `on${event.charAt(0).toUpperCase()}${event.slice(1)}` as SubscriptionName<E>;
}

const METHOD_NAMES: ReadonlySet<string> = new Set(API_METHODS);

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && METHOD_NAMES.has(name);
}
