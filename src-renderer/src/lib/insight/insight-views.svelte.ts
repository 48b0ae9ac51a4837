/**
 * Which insight views are open, as the one request the engine computes for: a closed view costs the run
 * nothing. Views set their flag while they are on screen; a run in progress hears each change.
 */
import { api } from '../api.js';
import type { BoundaryRequest, InsightRequest } from '$contract/api.js';

export class InsightViews {
  /** The layer-stats view (histograms, gradient norms, update ratios, dead units). */
  layers = $state(false);
  /** The live network view (connections coloured by weight). */
  weights = $state(false);
  /** The decision-boundary (or fitted-curve) view and the features it shows. */
  boundary = $state.raw<BoundaryRequest | null>(null);

  readonly request = $derived<InsightRequest>({
    layers: this.layers,
    weights: this.weights,
    boundary: this.boundary,
  });

  /** Tells the run in progress what the views ask for now; a run that ended meanwhile is no error. */
  async send(runId: string | null, request: InsightRequest): Promise<void> {
    if (!runId) return;
    try {
      await api.setTrainingInsight(runId, request);
    } catch {
      // The run ended between the change and the call: the next run starts with the new request.
    }
  }
}
