/** Which metric headlines a run, and which training series pairs with a validation one on a chart. */
import type { MetricName, TaskKind } from '$contract/api.js';

export function keyMetricFor(kind: TaskKind | undefined, available: readonly string[]): MetricName {
  const preferred: readonly [MetricName, ...MetricName[]] =
    kind === 'regression' ? ['valR2', 'valMae', 'valRmse', 'valLoss'] : ['valAccuracy', 'valF1', 'valLoss'];
  return preferred.find((name) => available.includes(name)) ?? preferred[0];
}

/** Each validation metric's twin measured on the epoch's training batches (the engine names it without `val`). */
export const TRAINING_TWIN: Partial<Record<MetricName, MetricName>> = {
  valAccuracy: 'accuracy',
  valPrecision: 'precision',
  valRecall: 'recall',
  valF1: 'f1',
  valMae: 'mae',
  valRmse: 'rmse',
  valR2: 'r2',
  valLoss: 'loss',
};

/** Metrics worth their own chart: everything but the losses, which have the loss chart. */
export function chartableMetrics(names: readonly string[]): MetricName[] {
  return names.filter(
    (name) => name !== 'loss' && name !== 'valLoss' && !Object.values(TRAINING_TWIN).includes(name as MetricName),
  ) as MetricName[];
}
