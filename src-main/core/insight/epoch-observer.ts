/**
 * What a run shows of its insides at each epoch's end, computed only for the views that are open: the loop
 * hands over the epoch's weights, and this returns the insight the request asks for.
 */
import type { PreparedData } from '../data/types.js';
import type { ModelSpec } from '../model/spec.js';
import type { EpochInsight, EpochObserver, EpochView, InsightRequest } from '../training/insight-types.js';
import type { TrainingSettings } from '../training/types.js';
import { LayerStatsProbe } from './layer-stats.js';

/**
 * Share of the run's time the layer statistics may take. Above it epochs are skipped (the view then updates
 * every few epochs), so an open view costs the run a few percent at most.
 */
export const LAYER_STATS_TIME_SHARE = 0.05;

/** Training rows whose encoded inputs go with the weights, so the network view can show one example's activations. */
export const EXAMPLE_ROWS = 8;
import { EpochBoundary } from './decision-boundary.js';

export interface ObservedRun {
  spec: ModelSpec;
  prepared: PreparedData;
  settings: TrainingSettings;
  /** Share of run time the layer statistics may take (LAYER_STATS_TIME_SHARE); Infinity: every epoch (the CLI report). */
  layerTimeShare?: number;
}

export function createEpochObserver(run: ObservedRun): EpochObserver {
  const timeShare = run.layerTimeShare ?? LAYER_STATS_TIME_SHARE;
  let probe: LayerStatsProbe | null = null;
  let spentSeconds = 0;
  let lastCostSeconds = 0;
  let askedBefore = false;
  let examples: number[][] | null = null;

  /** Always the first time and right after the view opens; otherwise while within the time share. */
  const layersDue = (view: EpochView): boolean => {
    if (!probe || !askedBefore) return true;
    return spentSeconds + lastCostSeconds <= timeShare * view.runSeconds;
  };

  const boundary = new EpochBoundary(run);
  return {
    observe(view: EpochView, request: InsightRequest): EpochInsight | undefined {
      const due = request.layers && layersDue(view);
      askedBefore = request.layers;
      if (!due && !request.weights && !request.boundary) return undefined;
      const insight: EpochInsight = { epoch: view.epoch };
      if (due) {
        // Building the probe is paid once; the share is kept by what each epoch costs.
        probe ??= new LayerStatsProbe(run.spec, run.prepared, run.settings);
        const started = performance.now();
        insight.layers = probe.compute(view.weights, view.previousWeights);
        lastCostSeconds = (performance.now() - started) / 1000;
        spentSeconds += lastCostSeconds;
      }
      if (request.weights) {
        insight.weights = view.weights;
        insight.examples = examples ??= exampleInputs(run.prepared);
      }
      const grid = request.boundary ? boundary.observe(view, request.boundary) : undefined;
      if (grid) insight.boundary = grid;
      return insight;
    },
    dispose(): void {
      boundary.dispose();
      probe?.dispose();
      probe = null;
    },
  };
}

/** The encoded inputs of the first training rows (what the network's input layer sees). */
function exampleInputs(prepared: PreparedData): number[][] {
  const rowSize = prepared.preprocessor.inputShape.reduce((a, b) => a * b, 1);
  const rows = Math.min(EXAMPLE_ROWS, prepared.train.count);
  return Array.from({ length: rows }, (_, i) => Array.from(prepared.train.x.subarray(i * rowSize, (i + 1) * rowSize)));
}
