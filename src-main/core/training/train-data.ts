/**
 * The arrays the training loop feeds tf.js: targets in the loss' layout, per-row class weights, and a
 * per-epoch reordering. Batches are then zero-copy views (subarray) of these arrays.
 */
import type { SplitData, TaskInfo } from '../data/types.js';
import type { TrainingSettings } from './types.js';
import { shuffleInPlace, type Prng } from './prng.js';

/** Targets as the loss expects them: one-hot rows for categorical losses, the raw value otherwise. */
export function buildTargets(split: SplitData, width: number, oneHot: boolean): Float32Array {
  if (!oneHot) return split.y.subarray(0, split.count);
  const out = new Float32Array(split.count * width);
  for (let i = 0; i < split.count; i++) {
    const k = split.y[i]!;
    if (k >= 0 && k < width) out[i * width + k] = 1;
  }
  return out;
}

/** Weight per training row, or null when every row counts the same. */
export function buildSampleWeights(
  split: SplitData,
  task: TaskInfo,
  classWeights: TrainingSettings['classWeights'],
): Float32Array | null {
  if (task.kind === 'regression' || classWeights === 'none') return null;
  const labels = task.labels ?? [];
  const perClass = new Float64Array(labels.length).fill(1);
  if (classWeights === 'balanced') {
    const counts = new Float64Array(labels.length);
    for (let i = 0; i < split.count; i++) counts[split.y[i]!]!++;
    const present = counts.filter((c) => c > 0).length;
    for (let k = 0; k < labels.length; k++) perClass[k] = counts[k]! > 0 ? split.count / (present * counts[k]!) : 0;
  } else {
    for (const [label, weight] of Object.entries(classWeights)) {
      const k = labels.indexOf(label);
      if (k < 0)
        throw new Error(
          `Class weight given for "${label}", which is not a class of "${task.target}"; the classes are ${labels.join(', ')}.`,
        );
      if (!(weight >= 0) || !Number.isFinite(weight))
        throw new Error(`Class weight for "${label}" must be a number >= 0 (it is ${weight}).`);
      perClass[k] = weight;
    }
  }
  const out = new Float32Array(split.count);
  for (let i = 0; i < split.count; i++) out[i] = perClass[split.y[i]!]!;
  return out;
}

export interface EpochArrays {
  x: Float32Array;
  targets: Float32Array;
  weights: Float32Array | null;
}

/**
 * The rows of one epoch in batch order. With shuffling each epoch gets fresh arrays (never mutated
 * after tensors view them: the cpu backend keeps a reference instead of copying).
 */
export function epochArrays(
  base: EpochArrays,
  count: number,
  rowSize: number,
  targetWidth: number,
  prng: Prng | null,
): EpochArrays {
  if (!prng) return base;
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  shuffleInPlace(order, prng);
  const x = new Float32Array(count * rowSize);
  const targets = new Float32Array(count * targetWidth);
  const weights = base.weights ? new Float32Array(count) : null;
  for (let i = 0; i < count; i++) {
    const from = order[i]!;
    copyRow(base.x, from, x, i, rowSize);
    copyRow(base.targets, from, targets, i, targetWidth);
    if (weights && base.weights) weights[i] = base.weights[from]!;
  }
  return { x, targets, weights };
}

function copyRow(source: Float32Array, fromRow: number, target: Float32Array, toRow: number, width: number): void {
  const from = fromRow * width;
  const to = toRow * width;
  for (let j = 0; j < width; j++) target[to + j] = source[from + j]!;
}
