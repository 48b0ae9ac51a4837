/**
 * Per-sample losses as tensors. Targets are prepared by the trainer: [n, 1] for regression and binary
 * cross-entropy, one-hot [n, classes] for the categorical losses. Model outputs are probabilities
 * (sigmoid/softmax), clipped away from 0 and 1 the way Keras does, so a saturated output gives a large
 * but finite loss.
 */
import * as tf from '@tensorflow/tfjs';
import type { ConcreteLoss } from './defaults.js';

const EPSILON = 1e-7;
const HUBER_DELTA = 1;

/** Loss per sample, shape [batch]. */
export type SampleLoss = (target: tf.Tensor, output: tf.Tensor) => tf.Tensor1D;

export function sampleLoss(loss: ConcreteLoss): SampleLoss {
  switch (loss) {
    case 'meanSquaredError':
      return (t, o) => tf.mean(tf.squaredDifference(o, t), -1) as tf.Tensor1D;
    case 'meanAbsoluteError':
      return (t, o) => tf.mean(tf.abs(tf.sub(o, t)), -1) as tf.Tensor1D;
    case 'huber':
      return (t, o) => {
        const error = tf.abs(tf.sub(o, t));
        const quadratic = tf.minimum(error, HUBER_DELTA);
        const linear = tf.sub(error, quadratic);
        return tf.mean(tf.add(tf.mul(0.5, tf.square(quadratic)), tf.mul(HUBER_DELTA, linear)), -1) as tf.Tensor1D;
      };
    case 'binaryCrossentropy':
      return (t, o) => {
        const p = tf.clipByValue(o, EPSILON, 1 - EPSILON);
        const positive = tf.mul(t, tf.log(p));
        const negative = tf.mul(tf.sub(1, t), tf.log(tf.sub(1, p)));
        return tf.neg(tf.mean(tf.add(positive, negative), -1)) as tf.Tensor1D;
      };
    case 'categoricalCrossentropy':
    case 'sparseCategoricalCrossentropy':
      return (t, o) => tf.neg(tf.sum(tf.mul(t, tf.log(tf.clipByValue(o, EPSILON, 1))), -1)) as tf.Tensor1D;
  }
  throw new Error(`Unknown loss "${loss as string}".`);
}

/** Whether the loss wants one-hot targets. */
export function usesOneHotTargets(loss: ConcreteLoss): boolean {
  return loss === 'categoricalCrossentropy' || loss === 'sparseCategoricalCrossentropy';
}
