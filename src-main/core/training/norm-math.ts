/**
 * BatchNormalization and LayerNormalization on a flat [rows, width] array of Float32s, forward and
 * backward, as tf.js computes them: mean and biased variance of each group, then
 * (x - mean) / sqrt(variance + epsilon), times gamma plus beta per feature. The two layers differ only
 * in which values form a group (see groupingOf), so each formula is written once for both.
 */

/** Which values share a mean and variance: `groups` groups of `size` values, at the given strides. */
export interface Grouping {
  groups: number;
  size: number;
  groupStride: number;
  elementStride: number;
}

/** BatchNormalization groups each feature over the batch's rows; LayerNormalization each row over its features. */
export function groupingOf(over: 'batch' | 'row', rows: number, width: number): Grouping {
  return over === 'batch'
    ? { groups: width, size: rows, groupStride: 1, elementStride: width }
    : { groups: rows, size: width, groupStride: width, elementStride: 1 };
}

/** What the forward pass keeps of one group-wise normalization for its backward pass. */
export interface NormalizedBatch {
  /** (x - mean) / sqrt(variance + epsilon), laid out as x. */
  normalized: Float32Array;
  /** 1 / sqrt(variance + epsilon) of each group. */
  inverseStd: Float32Array;
}

/**
 * Normalizes `x` by the statistics of its own groups, writing into `into`; leaves each group's mean and
 * biased variance (tf.js' moments) in `mean` and `variance`.
 */
export function normalizeByGroups(
  x: Float32Array,
  grouping: Grouping,
  epsilon: number,
  into: NormalizedBatch,
  mean: Float32Array,
  variance: Float32Array,
): void {
  const { groups, size, groupStride, elementStride } = grouping;
  const { normalized, inverseStd } = into;
  for (let g = 0; g < groups; g++) {
    const start = g * groupStride;
    const end = start + size * elementStride;
    let sum = 0;
    for (let i = start; i < end; i += elementStride) sum += x[i]!;
    const m = sum / size;
    // Two passes, as tf.js does (the mean of squared deviations), so a large mean costs no precision.
    let squares = 0;
    for (let i = start; i < end; i += elementStride) squares += (x[i]! - m) * (x[i]! - m);
    const v = squares / size;
    const inverse = 1 / Math.sqrt(v + epsilon);
    for (let i = start; i < end; i += elementStride) normalized[i] = (x[i]! - m) * inverse;
    mean[g] = m;
    variance[g] = v;
    inverseStd[g] = inverse;
  }
}

/** Normalizes each feature by given statistics (BatchNormalization's moving mean and variance at inference). */
export function normalizeByFeature(
  x: Float32Array,
  rows: number,
  width: number,
  mean: Float32Array,
  variance: Float32Array,
  epsilon: number,
  into: Float32Array,
): void {
  for (let k = 0; k < width; k++) {
    const m = mean[k]!;
    const inverse = 1 / Math.sqrt(variance[k]! + epsilon);
    for (let i = k; i < rows * width; i += width) into[i] = (x[i]! - m) * inverse;
  }
}

/** output = normalized * gamma + beta, per feature; without gamma it is 1, without beta 0. */
export function scaleAndShift(
  normalized: Float32Array,
  rows: number,
  width: number,
  gamma: Float32Array | null,
  beta: Float32Array | null,
  into: Float32Array,
): void {
  for (let r = 0; r < rows; r++) {
    const base = r * width;
    for (let k = 0; k < width; k++) {
      into[base + k] = normalized[base + k]! * (gamma ? gamma[k]! : 1) + (beta ? beta[k]! : 0);
    }
  }
}

/**
 * Moves the moving statistics toward the batch's as tf.js' BatchNormalization does:
 * moving - (moving - batch) * (1 - momentum), with the biased batch variance.
 */
export function updateMovingAverage(moving: Float32Array, batch: Float32Array, momentum: number): void {
  const decay = 1 - momentum;
  for (let k = 0; k < moving.length; k++) moving[k] = moving[k]! - (moving[k]! - batch[k]!) * decay;
}

export interface NormGradients {
  /** Added to (the caller zeroes them); null when the layer has no such weight. */
  gamma: Float32Array | null;
  beta: Float32Array | null;
  /** d(loss)/d(input), written; null when nothing below needs it. */
  input: Float32Array | null;
}

/**
 * The backward pass of a group-wise normalization. With n values per group and u = upstream * gamma, the input gradient is inverseStd / n * (n u - sum(u) - normalized * sum(u * normalized)),
 * which is what differentiating through the batch's own mean and variance gives.
 */
export function normalizationBackward(
  upstream: Float32Array,
  kept: NormalizedBatch,
  grouping: Grouping,
  rows: number,
  width: number,
  gamma: Float32Array | null,
  into: NormGradients,
  scaledUpstream: Float32Array,
): void {
  const { normalized, inverseStd } = kept;
  for (let r = 0; r < rows; r++) {
    const base = r * width;
    for (let k = 0; k < width; k++) {
      const dy = upstream[base + k]!;
      if (into.gamma) into.gamma[k] = into.gamma[k]! + dy * normalized[base + k]!;
      if (into.beta) into.beta[k] = into.beta[k]! + dy;
      scaledUpstream[base + k] = gamma ? dy * gamma[k]! : dy;
    }
  }
  const dInput = into.input;
  if (!dInput) return;
  const { groups, size, groupStride, elementStride } = grouping;
  for (let g = 0; g < groups; g++) {
    const start = g * groupStride;
    const end = start + size * elementStride;
    let sum = 0;
    let dot = 0;
    for (let i = start; i < end; i += elementStride) {
      sum += scaledUpstream[i]!;
      dot += scaledUpstream[i]! * normalized[i]!;
    }
    const factor = inverseStd[g]! / size;
    for (let i = start; i < end; i += elementStride) {
      dInput[i] = factor * (size * scaledUpstream[i]! - sum - normalized[i]! * dot);
    }
  }
}
