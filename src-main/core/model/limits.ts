/**
 * Limits checked before a model is built: tf.js allocates every weight at once, so a layer of 1e9 units would
 * take the machine's memory before anything could say why. The budget comes from the caller (the adapter knows
 * the machine); this module only counts. Pure: it runs in the window too.
 */
import { formatBytes, formatCount } from '../format/numbers.js';
import { inferShapes, type LayerShape } from './infer-shapes.js';
import { layerCountIssue } from './layer-count.js';
import { describeLayer } from './schema.js';
import type { ModelSpec } from './spec.js';

export { MAX_LAYERS, layerCountIssue } from './layer-count.js';

/**
 * The most weights one layer may hold: 2^28 float32 numbers are 1 GB, the most one tensor can safely take in
 * the wasm backend's 4 GB of memory, together with its gradient and optimizer slots.
 */
export const MAX_LAYER_PARAMS = 2 ** 28;

/**
 * Float32 copies of each weight while training: the weight, its gradient and up to two optimizer slots
 * (Adam's moments).
 */
const COPIES_PER_WEIGHT = 4;

/** Each activation is kept for the backward pass and has a gradient of its own. */
const COPIES_PER_ACTIVATION = 2;

const BYTES_PER_FLOAT32 = 4;

export interface TrainingBudget {
  /** Bytes training may use on this machine. */
  bytes: number;
  /** How the adapter arrived at it, for the message: "half of this machine's 16.0 GB". */
  source: string;
}

export interface TrainingEstimate {
  params: number;
  /** Weights, gradients, optimizer slots and one batch of activations. */
  bytes: number;
}

/** What training this model on batches of `batchSize` takes in memory, about. */
export function estimateTraining(layers: readonly LayerShape[], batchSize: number): TrainingEstimate {
  let params = 0;
  let activations = 0;
  for (const layer of layers) {
    params += layer.params;
    activations += layer.outputShape.reduce((a, b) => a * b, 1);
  }
  const bytes = (params * COPIES_PER_WEIGHT + activations * batchSize * COPIES_PER_ACTIVATION) * BYTES_PER_FLOAT32;
  return { params, bytes };
}

function biggest(layers: readonly LayerShape[]): LayerShape {
  return layers.reduce((a, b) => (b.params > a.params ? b : a));
}

/**
 * Why this model must not be built on this machine, naming the layer and the numbers, or null when it fits.
 * Shape problems are left to the shape check: this answers only for a stack whose shapes work out.
 */
export function modelSizeIssue(
  inputShape: readonly number[],
  spec: ModelSpec,
  batchSize: number,
  budget: TrainingBudget,
): string | null {
  const tooMany = layerCountIssue(spec.layers.length);
  if (tooMany) return tooMany;
  const report = inferShapes([...inputShape], spec);
  if (report.layers.length === 0) return null;
  const largest = biggest(report.layers);
  const where = describeLayer(largest.index, largest.className);
  if (largest.params > MAX_LAYER_PARAMS) {
    return (
      `The model is too large: ${where} has ${formatCount(largest.params)} weights ` +
      `(${formatBytes(largest.params * BYTES_PER_FLOAT32)}); one layer may have up to ${formatCount(MAX_LAYER_PARAMS)}. ` +
      `Make ${where} smaller (fewer units or filters).`
    );
  }
  const estimate = estimateTraining(report.layers, batchSize);
  if (estimate.bytes <= budget.bytes) return null;
  return (
    `The model is too large for this machine: training its ${formatCount(estimate.params)} weights on batches of ` +
    `${formatCount(batchSize)} needs about ${formatBytes(estimate.bytes)}, and LayerLab may use ` +
    `${formatBytes(budget.bytes)} (${budget.source}). The largest layer is ${where} with ` +
    `${formatCount(largest.params)} weights: make it smaller, or lower the batch size.`
  );
}
