/** A trained model's quality on one split, as plain data the UI can chart directly. */
import type { SplitData } from '../data/types.js';
import type { TrainedModel } from './types.js';
import { predictRaw } from './build-model.js';
import {
  predictedClasses,
  predictedVsActual,
  residuals,
  strided,
  summarizeClassification,
  summarizeRegression,
  unscaleTarget,
  type ClassificationSummary,
} from './metrics.js';

/** The classification summary of one split, with what it was computed on. */
export interface ClassificationEvaluation extends ClassificationSummary {
  kind: 'classification';
  count: number;
  labels: string[];
}

export interface RegressionEvaluation {
  kind: 'regression';
  count: number;
  /** In the target's own units. */
  mae: number;
  rmse: number;
  r2: number;
  /** [actual, predicted] per row. */
  points: [number, number][];
  /** actual - predicted per row. */
  residuals: number[];
}

export type Evaluation = ClassificationEvaluation | RegressionEvaluation;

export function evaluate(trained: TrainedModel, split: SplitData): Evaluation {
  const outputs = predictRaw(trained, split.x, split.count);
  const width = split.count > 0 ? outputs.length / split.count : 1;
  return evaluateOutputs(trained, split, outputs, width);
}

/** Same as evaluate, from outputs already computed. */
export function evaluateOutputs(
  trained: TrainedModel,
  split: SplitData,
  outputs: Float32Array,
  width: number,
): Evaluation {
  const task = trained.preprocessor.task;
  const actualY = split.y.subarray(0, split.count);
  if (task.kind === 'regression') {
    const scale = trained.preprocessor.targetScale;
    const actual = unscaleTarget(actualY, scale);
    const predicted = unscaleTarget(strided(outputs, split.count, width), scale);
    return {
      kind: 'regression',
      count: split.count,
      ...summarizeRegression(actual, predicted),
      points: predictedVsActual(actual, predicted),
      residuals: residuals(actual, predicted),
    };
  }
  const labels = task.labels ?? [];
  const predicted = predictedClasses(outputs, split.count, width);
  return {
    kind: 'classification',
    count: split.count,
    labels,
    ...summarizeClassification(actualY, predicted, labels, task.kind === 'binary'),
  };
}
