/** The contract's evaluation: the core's evaluation trimmed to what the UI charts. */
import type { Evaluation } from '../contract/api.js';
import type { Evaluation as CoreEvaluation } from '../core/training/evaluate.js';

/** A scatter plot of more points than this says nothing more and slows the page. */
const MAX_POINTS = 2000;

export function toContractEvaluation(evaluation: CoreEvaluation): Evaluation {
  if (evaluation.kind === 'classification') {
    return {
      kind: 'classification',
      labels: evaluation.labels,
      confusion: evaluation.confusion,
      perClass: evaluation.perClass.map(({ label, precision, recall, f1, support }) => ({
        label,
        precision,
        recall,
        f1,
        support,
      })),
      accuracy: evaluation.accuracy,
    };
  }
  const step = Math.max(1, Math.ceil(evaluation.points.length / MAX_POINTS));
  return {
    kind: 'regression',
    points: evaluation.points.filter((_, i) => i % step === 0),
    mae: evaluation.mae,
    rmse: evaluation.rmse,
    r2: evaluation.r2,
  };
}
