/**
 * The learning-rate finder: a short sweep that trains a fresh copy of the model (the run's seed, so the same
 * starting weights) with the chosen optimizer, raising the learning rate exponentially after every batch, and
 * records the smoothed loss at each rate. The loss falls while the rate is useful and blows up once it is too
 * large; the sweep stops there.
 */
import type { PreparedData } from '../data/types.js';
import type { ModelSpec } from '../model/spec.js';
import { usesOneHotTargets } from '../training/losses.js';
import { createPrng, deriveSeed } from '../training/prng.js';
import { setUpStep } from '../training/step-setup.js';
import { buildSampleWeights, buildTargets, epochArrays, type EpochArrays } from '../training/train-data.js';
import type { TrainingSettings } from '../training/types.js';
import type { LrSweep } from './lr-sweep.js';

export type { LrSweep } from './lr-sweep.js';

export interface LrFinderOptions {
  minRate: number;
  maxRate: number;
  /** Batches of the sweep (one rate each). */
  steps: number;
}

export const LR_FINDER_DEFAULTS: LrFinderOptions = { minRate: 1e-6, maxRate: 1, steps: 200 };
/** The sweep stops once the smoothed loss exceeds this many times the best so far. */
export const DIVERGENCE_FACTOR = 4;
/** Weight of the newest batch loss in the running average (the rest is the average so far). */
const SMOOTHING = 0.1;

export async function findLearningRate(
  spec: ModelSpec,
  prepared: PreparedData,
  settings: TrainingSettings,
  options: Partial<LrFinderOptions> = {},
  onProgress?: (done: number, total: number) => void,
): Promise<LrSweep> {
  const { minRate, maxRate, steps } = { ...LR_FINDER_DEFAULTS, ...options };
  const started = performance.now();
  const { model, step, loss, outputWidth } = setUpStep(spec, prepared, settings);
  try {
    const split = prepared.train;
    if (split.count === 0) throw new Error('The training split has no rows, so there is nothing to sweep on.');
    const rowSize = prepared.preprocessor.inputShape.reduce((a, b) => a * b, 1);
    const oneHot = usesOneHotTargets(loss);
    const targetWidth = oneHot ? outputWidth : 1;
    const base: EpochArrays = {
      x: split.x.subarray(0, split.count * rowSize),
      targets: buildTargets(split, targetWidth, oneHot),
      weights: buildSampleWeights(split, prepared.preprocessor.task, settings.classWeights),
    };
    const batchSize = Math.min(settings.batchSize, split.count);
    const prng = createPrng(deriveSeed(settings.seed, 1));
    const growth = Math.pow(maxRate / minRate, 1 / Math.max(steps - 1, 1));
    const rates: number[] = [];
    const losses: number[] = [];
    let average = 0;
    let best = Infinity;
    let diverged = false;
    let data = epochArrays(base, split.count, rowSize, targetWidth, prng);
    let start = 0;
    for (let i = 0; i < steps; i++) {
      if (start >= split.count) {
        data = epochArrays(base, split.count, rowSize, targetWidth, prng);
        start = 0;
      }
      const rows = Math.min(batchSize, split.count - start);
      const rate = minRate * Math.pow(growth, i);
      step.learningRate = rate;
      const batchLoss = step.step({
        x: data.x.subarray(start * rowSize, (start + rows) * rowSize),
        targets: data.targets.subarray(start * targetWidth, (start + rows) * targetWidth),
        weights: data.weights ? data.weights.subarray(start, start + rows) : null,
        rows,
      });
      start += rows;
      if (!Number.isFinite(batchLoss)) {
        diverged = true;
        break;
      }
      average = SMOOTHING * batchLoss + (1 - SMOOTHING) * average;
      const smoothed = average / (1 - Math.pow(1 - SMOOTHING, i + 1));
      rates.push(rate);
      losses.push(smoothed);
      if (smoothed < best) best = smoothed;
      if (smoothed > DIVERGENCE_FACTOR * best) {
        diverged = true;
        break;
      }
      if (i % 20 === 0) {
        onProgress?.(i, steps);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const { suggested, minimumRate } = suggestRate(rates, losses);
    return {
      rates,
      losses,
      suggested,
      minimumRate,
      diverged,
      optimizer: settings.optimizer.name,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    step.dispose();
    model.dispose();
  }
}

/**
 * The suggestion rule: one tenth of the rate with the lowest smoothed loss. At the minimum the rate is already
 * about to be too large (the loss turns up just after it); a tenth of it still learns fast and stays stable.
 * Null when the loss never went below its start (nothing learned at any rate).
 */
export function suggestRate(
  rates: number[],
  losses: number[],
): { suggested: number | null; minimumRate: number | null } {
  if (losses.length < 2) return { suggested: null, minimumRate: null };
  let lowest = 0;
  for (let i = 1; i < losses.length; i++) if (losses[i]! < losses[lowest]!) lowest = i;
  if (lowest === 0) return { suggested: null, minimumRate: rates[0]! };
  return { suggested: rates[lowest]! / 10, minimumRate: rates[lowest]! };
}

/** A few lines a person reads: the range swept, where the loss was lowest, the suggestion. */
export function sweepSummary(sweep: LrSweep): string[] {
  const rate = (r: number | null): string => (r === null ? '—' : r < 1e-3 ? r.toExponential(1) : r.toPrecision(2));
  const lines = [
    `Swept ${sweep.rates.length} batches with ${sweep.optimizer}, learning rate ${rate(sweep.rates[0] ?? null)} → ${rate(sweep.rates.at(-1) ?? null)}` +
      (sweep.diverged ? ` (stopped: the loss diverged past ${DIVERGENCE_FACTOR}× its best)` : ''),
    `Lowest smoothed loss ${sweep.losses.length ? Math.min(...sweep.losses).toPrecision(4) : '—'} at rate ${rate(sweep.minimumRate)}`,
    sweep.suggested === null
      ? 'No suggestion: the loss did not fall at any rate tried.'
      : `Suggested learning rate: ${rate(sweep.suggested)} (a tenth of the rate with the lowest loss)`,
  ];
  return lines;
}
