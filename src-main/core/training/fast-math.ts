/**
 * The arithmetic the fast steps share, on plain Float32Arrays: activations forward and backward, dropout,
 * and the L1/L2 weight penalties with their gradient, each written as tf.js computes it.
 */
import type { FastActivation, Penalty } from './dense-plan.js';
import type { Prng } from './prng.js';

/**
 * d(loss)/d(pre-activation) from d(loss)/d(output) and the output, as tf.js' gradients compute them
 * (relu: output > 0; relu6: 0 < output < 6; elu: output >= 0 passes, else scaled by output + 1).
 */
export function activationBackward(
  activation: FastActivation,
  upstream: Float32Array,
  output: Float32Array | null,
  rows: number,
  width: number,
  into: Float32Array,
): Float32Array {
  if (activation === 'linear') return upstream;
  const a = output!;
  const n = rows * width;
  switch (activation) {
    // Masks multiply rather than branch: which units are active is random from row to row, so a branch is
    // mispredicted about half the time, which made these loops several times slower than the products around them.
    case 'relu':
      for (let i = 0; i < n; i++) into[i] = upstream[i]! * +(a[i]! > 0);
      break;
    case 'relu6':
      for (let i = 0; i < n; i++) into[i] = upstream[i]! * +(a[i]! > 0) * +(a[i]! < 6);
      break;
    case 'sigmoid':
      for (let i = 0; i < n; i++) into[i] = upstream[i]! * a[i]! * (1 - a[i]!);
      break;
    case 'tanh':
      for (let i = 0; i < n; i++) into[i] = upstream[i]! * (1 - a[i]! * a[i]!);
      break;
    case 'elu':
      for (let i = 0; i < n; i++) into[i] = upstream[i]! * (1 + a[i]! * +(a[i]! < 0));
      break;
    case 'softmax':
      for (let r = 0; r < rows; r++) {
        const base = r * width;
        let dot = 0;
        for (let k = 0; k < width; k++) dot += upstream[base + k]! * a[base + k]!;
        for (let k = 0; k < width; k++) into[base + k] = a[base + k]! * (upstream[base + k]! - dot);
      }
      break;
  }
  return into;
}

/** tf.js' l1l2 regularizer: l1 * sum |w| + l2 * sum w². */
export function penaltyValue(params: Float32Array, offset: number, size: number, penalty: Penalty | null): number {
  if (!penalty) return 0;
  let l1 = 0;
  let l2 = 0;
  for (let i = offset; i < offset + size; i++) {
    l1 += Math.abs(params[i]!);
    l2 += params[i]! * params[i]!;
  }
  return penalty.l1 * l1 + penalty.l2 * l2;
}

export function addPenaltyGradient(
  params: Float32Array,
  grads: Float32Array,
  offset: number,
  size: number,
  penalty: Penalty | null,
): void {
  if (!penalty) return;
  for (let i = offset; i < offset + size; i++) {
    grads[i] = grads[i]! + penalty.l1 * Math.sign(params[i]!) + 2 * penalty.l2 * params[i]!;
  }
}

/** Applies the activation to `rows` rows of `width` values in place (softmax is per row). */
export function activateInPlace(activation: FastActivation, values: Float32Array, rows: number, width: number): void {
  const n = rows * width;
  switch (activation) {
    case 'linear':
      return;
    case 'relu':
      for (let i = 0; i < n; i++) values[i] = Math.max(values[i]!, 0);
      return;
    case 'relu6':
      for (let i = 0; i < n; i++) values[i] = Math.min(Math.max(values[i]!, 0), 6);
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) values[i] = 1 / (1 + Math.exp(-values[i]!));
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) values[i] = Math.tanh(values[i]!);
      return;
    case 'elu':
      for (let i = 0; i < n; i++) if (values[i]! < 0) values[i] = Math.exp(values[i]!) - 1;
      return;
    case 'softmax':
      for (let r = 0; r < rows; r++) {
        const base = r * width;
        let max = -Infinity;
        for (let k = 0; k < width; k++) max = Math.max(max, values[base + k]!);
        let sum = 0;
        for (let k = 0; k < width; k++) {
          const e = Math.exp(values[base + k]! - max);
          values[base + k] = e;
          sum += e;
        }
        for (let k = 0; k < width; k++) values[base + k] = values[base + k]! / sum;
      }
      return;
  }
}

/**
 * Dropout in training: tf.js keeps a unit when a uniform draw is at least the rate, and scales kept units by
 * 1/(1-rate). `mask` keeps each unit's factor for the backward pass.
 */
export function dropoutForward(
  input: Float32Array,
  rate: number,
  prng: Prng,
  size: number,
  mask: Float32Array,
  into: Float32Array,
): void {
  const scale = 1 / (1 - rate);
  for (let i = 0; i < size; i++) {
    const m = prng.next() >= rate ? scale : 0;
    mask[i] = m;
    into[i] = input[i]! * m;
  }
}

export function dropoutBackward(upstream: Float32Array, mask: Float32Array, size: number, into: Float32Array): void {
  for (let i = 0; i < size; i++) into[i] = upstream[i]! * mask[i]!;
}
