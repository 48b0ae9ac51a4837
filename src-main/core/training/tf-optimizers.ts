/**
 * tf.js' optimizers for the autodiff path, built from a run's optimizer settings, and their learning rate read
 * and changed in place. Apart from defaults.ts so that what only needs the defaults does not load tf.js.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerSettings } from './types.js';

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
