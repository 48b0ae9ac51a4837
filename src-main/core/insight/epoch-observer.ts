/**
 * What a run shows of its insides at each epoch's end, computed only for the views that are open: the loop
 * hands over the epoch's weights, and this returns the insight the request asks for.
 */
import type { PreparedData } from '../data/types.js';
import type { ModelSpec } from '../model/spec.js';
import type { EpochInsight, EpochObserver, EpochView, InsightRequest } from '../training/insight-types.js';
import type { TrainingSettings } from '../training/types.js';
import { EpochBoundary } from './decision-boundary.js';

export interface ObservedRun {
  spec: ModelSpec;
  prepared: PreparedData;
  settings: TrainingSettings;
}

export function createEpochObserver(run: ObservedRun): EpochObserver {
  const boundary = new EpochBoundary(run);
  return {
    observe(view: EpochView, request: InsightRequest): EpochInsight | undefined {
      if (!request.layers && !request.weights && !request.boundary) return undefined;
      const insight: EpochInsight = { epoch: view.epoch };
      if (request.weights) insight.weights = view.weights;
      const grid = request.boundary ? boundary.observe(view, request.boundary) : undefined;
      if (grid) insight.boundary = grid;
      return insight;
    },
    dispose(): void {
      boundary.dispose();
    },
  };
}
