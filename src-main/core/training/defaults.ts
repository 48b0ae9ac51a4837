/** Training defaults, the loss that fits a task, and optimizers built from plain settings. */
import * as tf from '@tensorflow/tfjs';
import type { TaskInfo } from '../data/types.js';
import type { LossName, OptimizerSettings, TrainingSettings } from './types.js';

/** The same for every task today; the task is part of the signature so callers need not change if that does. */
export function defaultTrainingSettings(_task: TaskInfo): TrainingSettings {
  return {
    // Adam at 0.005 converges on small tabular sets within a few dozen epochs without diverging.
    optimizer: { name: 'adam', learningRate: 0.005 },
    loss: 'auto',
    // Early stopping (below) ends most runs well before this on small tabular sets.
    epochs: 100,
    batchSize: 32,
    shuffle: true,
    seed: 42,
    classWeights: 'none',
    // Small tables overfit quickly; keeping the best validation epoch is the safer default.
    earlyStopping: { enabled: true, monitor: 'valLoss', patience: 10, minDelta: 0, restoreBestWeights: true },
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

export function makeOptimizer(settings: OptimizerSettings): tf.Optimizer {
  const lr = settings.learningRate;
  if (!(lr > 0) || !Number.isFinite(lr)) {
    throw new Error(`The learning rate must be a positive number (it is ${lr}); 0.001 is a common start.`);
  }
  switch (settings.name) {
    case 'sgd': {
      const momentum = settings.momentum ?? 0;
      return momentum > 0 ? tf.train.momentum(lr, momentum, settings.nesterov ?? false) : tf.train.sgd(lr);
    }
    case 'adam':
      return tf.train.adam(lr);
    case 'rmsprop':
      return tf.train.rmsprop(lr);
    case 'adagrad':
      return tf.train.adagrad(lr);
    case 'adadelta':
      return tf.train.adadelta(lr);
    case 'adamax':
      return tf.train.adamax(lr);
  }
  throw new Error(
    `Unknown optimizer "${(settings as { name: string }).name}"; use sgd, adam, rmsprop, adagrad, adadelta or adamax.`,
  );
}

interface LearningRateHolder {
  learningRate: number;
  setLearningRate?: (lr: number) => void;
}

export function getLearningRate(optimizer: tf.Optimizer): number {
  return (optimizer as unknown as LearningRateHolder).learningRate;
}

/**
 * tf.js optimizers read `learningRate` on every step (SGD and momentum cache it as a tensor, refreshed
 * by setLearningRate), so changing it keeps the optimizer's accumulated state.
 */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const holder = optimizer as unknown as LearningRateHolder;
  if (typeof holder.setLearningRate === 'function') holder.setLearningRate(lr);
  else holder.learningRate = lr;
}
