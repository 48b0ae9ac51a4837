/**
 * Which insight views are open, as the one request the engine computes for: a closed view costs the run
 * nothing. Views set their flag while they are on screen; a run in progress hears each change. Once a run has
 * ended, the network and layer views show its kept weights instead (`kept`).
 */
import { api } from '../api.js';
import { errorMessage } from '../ui/format.js';
import type { BoundaryRequest, EpochInsight, InsightRequest, KeptInsightRequest } from '$contract/api.js';

export class InsightViews {
  /** The layer-stats view (histograms, gradient norms, update ratios, dead units). */
  layers = $state(false);
  /** The live network view (connections coloured by weight). */
  weights = $state(false);
  /** The decision-boundary (or fitted-curve) view and the features it shows. */
  boundary = $state.raw<BoundaryRequest | null>(null);
  /** The run shown has ended: its kept weights as the network and layer views show them; null until they arrive. */
  kept = $state.raw<EpochInsight | null>(null);
  /** Why the kept weights could not be shown, in words. */
  keptProblem = $state<string | null>(null);
  /** The newest question for `kept`: an answer to an older one is dropped, and the same one is not asked again. */
  private keptAsked: { runId: string; request: string } | null = null;

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

  /** Asks for the kept weights of `runId`, a run that has ended; null (a run in progress, or none) clears them. */
  async showKept(runId: string | null, request: KeptInsightRequest): Promise<void> {
    if (runId !== this.keptAsked?.runId) {
      this.keptAsked = null;
      this.kept = null;
      this.keptProblem = null;
    }
    if (!runId || (!request.layers && !request.weights)) return;
    const asked = { runId, request: JSON.stringify(request) };
    if (asked.request === this.keptAsked?.request) return;
    this.keptAsked = asked;
    try {
      const answer = await api.insightForRun(runId, request);
      if (this.keptAsked !== asked) return;
      this.kept = answer;
      this.keptProblem = null;
    } catch (error) {
      if (this.keptAsked === asked) this.keptProblem = errorMessage(error);
    }
  }
}
