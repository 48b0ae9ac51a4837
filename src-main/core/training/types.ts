/** Plain types of a training run: its settings, its events, and what it leaves behind. */
import type { ModelSpec } from '../model/spec.js';
import type { Preprocessor } from '../data/types.js';
import type { EpochInsight } from './insight-types.js';
import type { WeightTensor } from './weight-tensor.js';

/** tf.js backends LayerLab can train on, in the order 'auto' tries them. */
export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export const BACKEND_CHOICES = ['auto', ...BACKEND_NAMES] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export const OPTIMIZER_NAMES = ['sgd', 'adam', 'rmsprop', 'adagrad', 'adadelta', 'adamax'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];
export interface OptimizerSettings {
  name: OptimizerName;
  learningRate: number;
  /** SGD only. */
  momentum?: number;
  /** SGD with momentum only. */
  nesterov?: boolean;
}

export const LOSS_NAMES = [
  'auto',
  'meanSquaredError',
  'meanAbsoluteError',
  'huber',
  'binaryCrossentropy',
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
] as const;
export type LossName = (typeof LOSS_NAMES)[number];

export interface EarlyStoppingSettings {
  enabled: boolean;
  /** Watched quantity; 'valLoss' by default. */
  monitor: string;
  patience: number;
  minDelta: number;
  restoreBestWeights: boolean;
}

export interface ReduceLrSettings {
  enabled: boolean;
  monitor: string;
  factor: number;
  patience: number;
  minLearningRate: number;
}

export interface TrainingSettings {
  optimizer: OptimizerSettings;
  loss: LossName;
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  seed: number;
  /** 'balanced' weights classes by inverse frequency; a record maps class label to weight. */
  classWeights: 'none' | 'balanced' | Record<string, number>;
  earlyStopping: EarlyStoppingSettings;
  reduceLrOnPlateau: ReduceLrSettings;
  backend: BackendChoice;
}

/**
 * Metric names used in events and reports. Validation metrics are prefixed `val`; the same metric measured on
 * the epoch's training batches has the name without the prefix (valF1 → f1).
 */
export type MetricName =
  | 'loss'
  | 'valLoss'
  | 'valAccuracy'
  | 'valPrecision'
  | 'valRecall'
  | 'valF1'
  | 'valMae'
  | 'valRmse'
  | 'valR2'
  | 'accuracy'
  | 'precision'
  | 'recall'
  | 'f1'
  | 'mae'
  | 'rmse'
  | 'r2';

export type TrainingEvent =
  | {
      type: 'started';
      backend: BackendName;
      /** Why this backend (e.g. "tensorflow native library not installed; using wasm"). */
      backendNote: string;
      trainSamples: number;
      validationSamples: number;
      epochs: number;
      batchesPerEpoch: number;
      parameters: number;
    }
  | { type: 'batch'; epoch: number; batch: number; batchesPerEpoch: number; loss: number; samplesPerSecond: number }
  | {
      type: 'epoch';
      epoch: number;
      metrics: Partial<Record<MetricName, number>>;
      learningRate: number;
      seconds: number;
      samplesPerSecond: number;
      /** What the open insight views asked for, when they asked (see insight-types.ts). */
      insight?: EpochInsight;
    }
  | { type: 'paused'; epoch: number }
  | { type: 'resumed'; epoch: number }
  | { type: 'stopped'; outcome: 'stopped' | 'nan'; reason: string; bestEpoch: number | null; epochsCompleted: number }
  | {
      type: 'finished';
      outcome: 'finished' | 'early-stopped';
      reason: string;
      bestEpoch: number | null;
      epochsCompleted: number;
    }
  | { type: 'error'; message: string; epoch?: number; batch?: number };

export interface EpochRecord {
  epoch: number;
  metrics: Partial<Record<MetricName, number>>;
  learningRate: number;
  seconds: number;
}

export type { WeightTensor } from './weight-tensor.js';

/**
 * A trained model as plain data: enough to rebuild it in tf.js, export it to ONNX or save it, without
 * holding any tf.js object.
 */
export interface TrainedModel {
  spec: ModelSpec;
  /** Also the one record of the task and the model's input shape. */
  preprocessor: Preprocessor;
  weights: WeightTensor[];
}

/** How a training loop ends: all epochs, early stopping, a stop request, or a loss that became NaN. */
export const TRAINING_OUTCOMES = ['finished', 'early-stopped', 'stopped', 'nan'] as const;
export type TrainingOutcome = (typeof TRAINING_OUTCOMES)[number];
/** How a recorded run ends: a training outcome, or an error that ended it. */
export const RUN_OUTCOMES = [...TRAINING_OUTCOMES, 'error'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

export interface TrainingResult {
  model: TrainedModel;
  backend: BackendName;
  history: EpochRecord[];
  bestEpoch: number | null;
  /** The epoch whose weights the model holds: the best one when early stopping restored it, else the last. */
  keptEpoch: number | null;
  outcome: TrainingOutcome;
  /** The kept weights' validation metrics: the one set every report, record and export shows. */
  finalValidation: Partial<Record<MetricName, number>>;
  /** The kept weights on the test split, evaluated once at the end, keyed by the same names as finalValidation. */
  finalTest: Partial<Record<MetricName, number>>;
  seconds: number;
  samplesPerSecond: number;
}
