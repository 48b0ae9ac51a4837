/**
 * What a run shows of its insides at each epoch's end, computed only for the views that are open: the loop
 * hands over the epoch's weights, and this returns the insight the request asks for.
 *
 * The views share one time budget, so that a run with every view open costs a few percent more than one with
 * none: a view just opened (or asked anew) is computed at once, then the views take turns, the one shown
 * longest ago first, while what they have cost stays within INSIGHT_TIME_SHARE of the run.
 */
import type { PreparedData } from '../data/types.js';
import type { ModelSpec } from '../model/spec.js';
import type { EpochInsight, EpochObserver, EpochView, InsightRequest } from '../training/insight-types.js';
import type { TrainingSettings } from '../training/types.js';
import { BoundaryPainter } from './decision-boundary.js';
import { LayerStatsProbe } from './layer-stats.js';

/**
 * Share of the run's time all open views together may take; past it, epochs go without (the views skip some).
 * Their measured time is not all they cost: the steps after them run a little slower too (caches, the
 * allocator), so the share is set below the 10 % a run with every view open may cost in all.
 */
export const INSIGHT_TIME_SHARE = 0.02;

/**
 * Seconds between the weights sent to the network view: it cannot show more than a few redraws a second, and
 * each copy crosses to the window.
 */
export const WEIGHTS_INTERVAL_SECONDS = 0.25;

/** Training rows whose encoded inputs go with the weights, so the network view can show one example's activations. */
export const EXAMPLE_ROWS = 8;

export interface ObservedRun {
  spec: ModelSpec;
  prepared: PreparedData;
  settings: TrainingSettings;
  /** Every epoch carries all that is asked for, whatever it costs (a report, where a live view may skip). */
  everyEpoch?: boolean;
  /** Seconds on a monotonic clock, for the weights' interval (performance.now by default). */
  clock?: () => number;
}

/** A view that takes time: what it computes, and when it last did. */
interface TimedView {
  /** What the request asks this view for, as a key (a changed key is a fresh view), or null when closed. */
  askedFor(request: InsightRequest): string | null;
  compute(view: EpochView, request: InsightRequest, insight: EpochInsight): void;
  shownFor: string | null;
  lastEpoch: number;
  lastCostSeconds: number;
}

export function createEpochObserver(run: ObservedRun): EpochObserver {
  const everyEpoch = run.everyEpoch ?? false;
  const clock = run.clock ?? (() => performance.now() / 1000);
  let probe: LayerStatsProbe | null = null;
  const painter = new BoundaryPainter(run);
  let spentSeconds = 0;
  let weightsSentAt = -Infinity;
  let weightsShown = false;
  let examples: number[][] | null = null;

  const timed = (askedFor: TimedView['askedFor'], compute: TimedView['compute']): TimedView => ({
    askedFor,
    compute,
    shownFor: null,
    lastEpoch: 0,
    lastCostSeconds: 0,
  });
  const views: TimedView[] = [
    timed(
      (request) => (request.layers ? 'layers' : null),
      (view, _request, insight) => {
        probe ??= new LayerStatsProbe(run.spec, run.prepared, run.settings);
        insight.layers = probe.compute(view.weights, view.previousWeights);
      },
    ),
    timed(
      (request) => (request.boundary ? JSON.stringify(request.boundary) : null),
      (view, request, insight) => {
        const grid = painter.grid(view.weights, request.boundary!);
        if (grid) insight.boundary = grid;
      },
    ),
  ];

  return {
    observe(view: EpochView, request: InsightRequest): EpochInsight | undefined {
      const insight: EpochInsight = { epoch: view.epoch };
      const budget = everyEpoch ? Infinity : INSIGHT_TIME_SHARE * view.runSeconds;
      const open = views.filter((v) => {
        const key = v.askedFor(request);
        if (key === null) v.shownFor = null;
        return key !== null;
      });
      open.sort((a, b) => a.lastEpoch - b.lastEpoch);
      let waiting = false;
      for (const v of open) {
        const key = v.askedFor(request);
        const fresh = v.shownFor !== key;
        // The stalest view that does not fit yet holds its turn: cheaper views must not use the budget up first.
        if (!fresh && (waiting || spentSeconds + v.lastCostSeconds > budget)) {
          waiting = true;
          continue;
        }
        const started = performance.now();
        v.compute(view, request, insight);
        v.lastCostSeconds = (performance.now() - started) / 1000;
        spentSeconds += v.lastCostSeconds;
        v.lastEpoch = view.epoch;
        v.shownFor = key;
      }
      if (request.weights) {
        const now = clock();
        if (everyEpoch || !weightsShown || now - weightsSentAt >= WEIGHTS_INTERVAL_SECONDS) {
          insight.weights = view.weights;
          insight.examples = examples ??= exampleInputs(run.prepared);
          weightsSentAt = now;
        }
      }
      weightsShown = request.weights;
      return Object.keys(insight).length > 1 ? insight : undefined;
    },
    dispose(): void {
      painter.dispose();
      probe?.dispose();
      probe = null;
    },
  };
}

/** The encoded inputs of the first training rows (what the network's input layer sees). */
export function exampleInputs(prepared: PreparedData): number[][] {
  const rowSize = prepared.preprocessor.inputShape.reduce((a, b) => a * b, 1);
  const rows = Math.min(EXAMPLE_ROWS, prepared.train.count);
  return Array.from({ length: rows }, (_, i) => Array.from(prepared.train.x.subarray(i * rowSize, (i + 1) * rowSize)));
}
