/** The project file (`*.layerlab.json`): everything a person made, so nothing is lost between sessions. */
import type { ModelSpec } from '../model/spec.js';
import type { DataSettings } from '../data/types.js';
import type { BackendName, EpochRecord, MetricName, RunOutcome, TrainingSettings } from '../training/types.js';

export const PROJECT_FORMAT = 'layerlab-project' as const;
export const PROJECT_VERSION = 1 as const;

export interface DatasetReference {
  /** Path as saved: relative to the project file when it sits beside or below it, else absolute. */
  path: string;
  /** sha256 of the file bytes when the project was saved; a different file on open gets a warning. */
  hash: string;
  name: string;
}

/** One ONNX file exported from a run, as the project remembers it. */
export interface ExportRecord {
  fileName: string;
  /** ISO time of the export. */
  exportedAt: string;
  /** Largest |onnxruntime - tf.js| on the rows compared (0 rows: the data was not at hand). */
  maxDifference: number;
  rowsCompared: number;
}

export interface RunRecord {
  id: string;
  startedAt: string;
  spec: ModelSpec;
  dataSettings: DataSettings;
  settings: TrainingSettings;
  backend: BackendName;
  seconds: number;
  outcome: RunOutcome;
  bestEpoch: number | null;
  /** Whose weights were kept (the best epoch when early stopping restored it, else the last); absent in old files. */
  keptEpoch?: number | null;
  history: EpochRecord[];
  /** The kept weights' validation metrics, as the report and the ONNX metadata give them. */
  finalValidation: Partial<Record<MetricName, number>>;
  /** The kept weights on the test split, same metric names; absent in files saved before it was evaluated. */
  finalTest?: Partial<Record<MetricName, number>>;
  /** Trained weights file, relative to the project file; null when the run left none. */
  weightsFile: string | null;
  /** The ONNX files exported from this run's weights, oldest first; absent in files saved before they were kept. */
  exports?: ExportRecord[];
}

export interface ProjectDocument {
  format: typeof PROJECT_FORMAT;
  version: typeof PROJECT_VERSION;
  name: string;
  dataset: DatasetReference | null;
  dataSettings: DataSettings | null;
  model: ModelSpec;
  training: TrainingSettings;
  runs: RunRecord[];
}
