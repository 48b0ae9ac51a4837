/**
 * Quality measures as pure functions on plain arrays, shared by the per-epoch validation report and the
 * final evaluation. Classification takes class indices; regression takes values in the target's own
 * units (unscale first).
 */
import type { TaskInfo } from '../data/types.js';
import type { MetricName } from './types.js';

type Numbers = ArrayLike<number>;

export interface ClassScores {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Rows whose actual class is this one. */
  support: number;
}

export interface ClassificationSummary {
  accuracy: number;
  /** Binary: of the positive class (labels[1]). Multiclass: macro average over classes. */
  precision: number;
  recall: number;
  f1: number;
  /** confusion[actual][predicted] counts. */
  confusion: number[][];
  perClass: ClassScores[];
}

export interface RegressionSummary {
  mae: number;
  rmse: number;
  r2: number;
}

/** Class index per row: a single sigmoid output is thresholded at 0.5, wider outputs take the arg max. */
export function predictedClasses(outputs: Float32Array, count: number, width: number): Int32Array {
  const classes = new Int32Array(count);
  if (width === 1) {
    for (let i = 0; i < count; i++) classes[i] = outputs[i]! >= 0.5 ? 1 : 0;
    return classes;
  }
  for (let i = 0; i < count; i++) {
    let best = 0;
    let bestValue = -Infinity;
    for (let k = 0; k < width; k++) {
      const v = outputs[i * width + k]!;
      if (v > bestValue) {
        bestValue = v;
        best = k;
      }
    }
    classes[i] = best;
  }
  return classes;
}

export function accuracy(actual: Numbers, predicted: Numbers): number {
  if (actual.length === 0) return 0;
  let correct = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i] === predicted[i]) correct++;
  return correct / actual.length;
}

export function confusionMatrix(actual: Numbers, predicted: Numbers, classCount: number): number[][] {
  const matrix = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const p = predicted[i]!;
    if (a >= 0 && a < classCount && p >= 0 && p < classCount) matrix[a]![p]!++;
  }
  return matrix;
}

/** Precision, recall and F1 per class; a class never predicted (or never present) scores 0, not NaN. */
export function perClassScores(confusion: number[][], labels: string[]): ClassScores[] {
  return confusion.map((row, k) => {
    const truePositives = row[k]!;
    const support = row.reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((sum, r) => sum + r[k]!, 0);
    const precision = safeDivide(truePositives, predictedCount);
    const recall = safeDivide(truePositives, support);
    const f1 = safeDivide(2 * precision * recall, precision + recall);
    return { label: labels[k] ?? String(k), precision, recall, f1, support };
  });
}

export function summarizeClassification(
  actual: Numbers,
  predicted: Numbers,
  labels: string[],
  binary: boolean,
): ClassificationSummary {
  const confusion = confusionMatrix(actual, predicted, labels.length);
  const perClass = perClassScores(confusion, labels);
  const acc = accuracy(actual, predicted);
  if (binary && perClass.length === 2) {
    const positive = perClass[1]!;
    return {
      accuracy: acc,
      precision: positive.precision,
      recall: positive.recall,
      f1: positive.f1,
      confusion,
      perClass,
    };
  }
  const macro = (pick: (s: ClassScores) => number): number =>
    perClass.length ? perClass.reduce((sum, s) => sum + pick(s), 0) / perClass.length : 0;
  return {
    accuracy: acc,
    precision: macro((s) => s.precision),
    recall: macro((s) => s.recall),
    f1: macro((s) => s.f1),
    confusion,
    perClass,
  };
}

export function meanAbsoluteError(actual: Numbers, predicted: Numbers): number {
  if (actual.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += Math.abs(actual[i]! - predicted[i]!);
  return sum / actual.length;
}

export function rootMeanSquaredError(actual: Numbers, predicted: Numbers): number {
  if (actual.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += (actual[i]! - predicted[i]!) ** 2;
  return Math.sqrt(sum / actual.length);
}

/** Coefficient of determination; 1 is perfect, 0 is no better than predicting the mean, it can go below 0. */
export function rSquared(actual: Numbers, predicted: Numbers): number {
  const n = actual.length;
  if (n === 0) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += actual[i]!;
  mean /= n;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    residual += (actual[i]! - predicted[i]!) ** 2;
    total += (actual[i]! - mean) ** 2;
  }
  if (total === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / total;
}

export function summarizeRegression(actual: Numbers, predicted: Numbers): RegressionSummary {
  return {
    mae: meanAbsoluteError(actual, predicted),
    rmse: rootMeanSquaredError(actual, predicted),
    r2: rSquared(actual, predicted),
  };
}

/** Standardized targets or predictions back to the target's own units. */
export function unscaleTarget(values: Numbers, targetScale: { mean: number; std: number } | undefined): Float64Array {
  const out = new Float64Array(values.length);
  const mean = targetScale?.mean ?? 0;
  const std = targetScale?.std ?? 1;
  for (let i = 0; i < values.length; i++) out[i] = values[i]! * std + mean;
  return out;
}

/** [actual, predicted] pairs, for a predicted-vs-actual plot. */
export function predictedVsActual(actual: Numbers, predicted: Numbers): [number, number][] {
  return Array.from({ length: actual.length }, (_, i) => [actual[i], predicted[i]] as [number, number]);
}

/** actual - predicted per row. */
export function residuals(actual: Numbers, predicted: Numbers): number[] {
  return Array.from({ length: actual.length }, (_, i) => actual[i]! - predicted[i]!);
}

/**
 * The validation metrics reported each epoch (without the loss), from raw model outputs.
 * `y` holds class indices or standardized targets, as in SplitData.
 */
export function validationMetrics(
  task: TaskInfo,
  outputs: Float32Array,
  y: Float32Array,
  count: number,
  outputWidth: number,
  targetScale?: { mean: number; std: number },
): Partial<Record<MetricName, number>> {
  if (count === 0) return {};
  if (task.kind === 'regression') {
    const actual = unscaleTarget(y.subarray(0, count), targetScale);
    const predicted = unscaleTarget(strided(outputs, count, outputWidth), targetScale);
    const s = summarizeRegression(actual, predicted);
    return { valMae: s.mae, valRmse: s.rmse, valR2: s.r2 };
  }
  const labels = task.labels ?? [];
  const predicted = predictedClasses(outputs, count, outputWidth);
  const s = summarizeClassification(y.subarray(0, count), predicted, labels, task.kind === 'binary');
  return { valAccuracy: s.accuracy, valPrecision: s.precision, valRecall: s.recall, valF1: s.f1 };
}

/** A validation metric's name for the same metric measured on training batches: valF1 → f1, valR2 → r2. */
export function trainingTwinOf(name: MetricName): MetricName {
  if (!name.startsWith('val')) return name;
  const rest = name.slice(3);
  return (rest.charAt(0).toLowerCase() + rest.slice(1)) as MetricName;
}

/** The validation metrics' measures on training rows (the batches of an epoch), named without the `val` prefix. */
export function trainingMetrics(
  task: TaskInfo,
  outputs: Float32Array,
  y: Float32Array,
  count: number,
  outputWidth: number,
  targetScale?: { mean: number; std: number },
): Partial<Record<MetricName, number>> {
  const out: Partial<Record<MetricName, number>> = {};
  const measured = validationMetrics(task, outputs, y, count, outputWidth, targetScale);
  for (const [name, value] of Object.entries(measured)) out[trainingTwinOf(name as MetricName)] = value;
  return out;
}

/** First output of each row. */
export function strided(outputs: Float32Array, count: number, width: number): Float32Array {
  if (width === 1) return outputs.subarray(0, count);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = outputs[i * width]!;
  return out;
}

function safeDivide(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}
