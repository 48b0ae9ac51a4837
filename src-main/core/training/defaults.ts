/** Training defaults, the loss that fits a task, and optimizers built from plain settings. */
import type { TaskInfo, TrainingFit } from '../data/types.js';
import type { LossName, TrainingSettings } from './types.js';

const DEFAULT_BATCH_SIZE = 32;

/** How many rows each split holds, as a data check counts them. */
export interface SplitRows {
  train: number;
  validation: number;
}

/**
 * Epochs and early-stopping patience for this much data. Two things make a small table need more of both:
 * a validation split of a few dozen rows gives a noisy loss, so a run of bad epochs means less (patience grows
 * as the noise does, with 1/sqrt(rows)); and an epoch of a few batches moves the weights little, so patience
 * and epochs are also counted in optimizer steps. A large table keeps the plain 10 and 100.
 */
export function fitTrainingToRows(rows: SplitRows, batchSize = DEFAULT_BATCH_SIZE): TrainingFit {
  const validation = Math.max(1, rows.validation);
  const stepsPerEpoch = Math.max(1, Math.ceil(rows.train / Math.max(1, batchSize)));
  const forNoise = Math.round(BASE_PATIENCE * Math.sqrt(QUIET_VALIDATION_ROWS / validation));
  const forSteps = Math.ceil(PATIENCE_STEPS / stepsPerEpoch);
  const patience = clamp(Math.max(forNoise, forSteps), BASE_PATIENCE, MAX_PATIENCE);
  const epochs = clamp(
    Math.max(Math.ceil(RUN_STEPS / stepsPerEpoch), EPOCHS_PER_PATIENCE * patience),
    BASE_EPOCHS,
    MAX_EPOCHS,
  );
  const reason =
    patience === BASE_PATIENCE && epochs === BASE_EPOCHS
      ? `Patience ${patience} and ${epochs} epochs: ${rows.validation} validation rows give a steady score.`
      : `Patience ${patience} and ${epochs} epochs because ${rows.validation} validation rows give a noisy score ` +
        `and an epoch is ${stepsPerEpoch} ${stepsPerEpoch === 1 ? 'batch' : 'batches'}.`;
  return { epochs, patience, reason, plain: { epochs: BASE_EPOCHS, patience: BASE_PATIENCE } };
}

/** Patience and epochs for a table large enough that neither noise nor few steps matter. */
const BASE_PATIENCE = 10;
const BASE_EPOCHS = 100;
const MAX_PATIENCE = 50;
const MAX_EPOCHS = 400;
/** Validation rows from which the loss is steady enough for the base patience. */
const QUIET_VALIDATION_ROWS = 200;
/** Optimizer steps without improvement before a run is given up, however few batches an epoch has. */
const PATIENCE_STEPS = 150;
/** Optimizer steps a run may take at most, spread over fewer epochs when an epoch has many batches. */
const RUN_STEPS = 1500;
const EPOCHS_PER_PATIENCE = 4;

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/**
 * The settings a new run starts from. With the split's row counts, epochs and patience fit the data
 * (fitTrainingToRows); without them, the plain values a large table would get.
 */
export function defaultTrainingSettings(_task: TaskInfo, rows?: SplitRows): TrainingSettings {
  const fit = rows ? fitTrainingToRows(rows) : { epochs: BASE_EPOCHS, patience: BASE_PATIENCE };
  return {
    // Adam at 0.005 converges on small tabular sets within a few dozen epochs without diverging.
    optimizer: { name: 'adam', learningRate: 0.005 },
    loss: 'auto',
    // Early stopping (below) ends most runs well before this.
    epochs: fit.epochs,
    batchSize: DEFAULT_BATCH_SIZE,
    shuffle: true,
    seed: 42,
    classWeights: 'none',
    // Small tables overfit quickly; keeping the best validation epoch is the safer default.
    earlyStopping: { enabled: true, monitor: 'valLoss', patience: fit.patience, minDelta: 0, restoreBestWeights: true },
    reduceLrOnPlateau: { enabled: false, monitor: 'valLoss', factor: 0.5, patience: 5, minLearningRate: 1e-6 },
    backend: 'auto',
  };
}

export type ConcreteLoss = Exclude<LossName, 'auto'>;

/**
 * The loss for a task. Classification labels arrive as class indices; the trainer turns them into
 * one-hot rows for the categorical losses, so 'sparseCategoricalCrossentropy' and
 * 'categoricalCrossentropy' compute the same thing. A binary task with a 2-unit softmax output uses the
 * categorical form.
 */
export function resolveLoss(task: TaskInfo, loss: LossName, outputUnits?: number): ConcreteLoss {
  if (loss !== 'auto') return loss;
  if (task.kind === 'regression') return 'meanSquaredError';
  if (task.kind === 'binary' && (outputUnits === undefined || outputUnits === 1)) return 'binaryCrossentropy';
  return 'sparseCategoricalCrossentropy';
}
