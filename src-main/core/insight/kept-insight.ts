/**
 * What the network and layer views show of a run that has ended: its kept weights, the first training rows to
 * follow through them, and each layer's statistics. A run keeps no earlier epoch's weights, so the update
 * ratio is not known here.
 */
import type { PreparedData } from '../data/types.js';
import type { ModelSpec } from '../model/spec.js';
import type { EpochInsight, KeptInsightRequest } from '../training/insight-types.js';
import type { TrainingSettings, WeightTensor } from '../training/types.js';
import { exampleInputs } from './epoch-observer.js';
import { LayerStatsProbe } from './layer-stats.js';

export interface KeptRun {
  spec: ModelSpec;
  prepared: PreparedData;
  settings: TrainingSettings;
  weights: WeightTensor[];
  /** The epoch whose weights the run kept. */
  epoch: number;
}

export function keptInsight(run: KeptRun, request: KeptInsightRequest): EpochInsight {
  const insight: EpochInsight = { epoch: run.epoch };
  if (request.weights) {
    insight.weights = run.weights;
    insight.examples = exampleInputs(run.prepared);
  }
  if (request.layers) {
    const probe = new LayerStatsProbe(run.spec, run.prepared, run.settings);
    try {
      insight.layers = probe.compute(run.weights, null);
    } finally {
      probe.dispose();
    }
  }
  return insight;
}
