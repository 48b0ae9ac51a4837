/**
 * The open Inside views share one time budget (epoch-observer.ts): a view just opened is computed at once,
 * later epochs only while the views' cost stays within their share of the run so far, and the weights go to the
 * window at most every WEIGHTS_INTERVAL_SECONDS. The run's time is the view's `runSeconds`, set here, and the
 * weights' clock is a fixed one, so what is computed follows from the rule alone.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  WEIGHTS_INTERVAL_SECONDS,
  createEpochObserver,
  type ObservedRun,
} from '../../src-main/core/insight/epoch-observer.js';
import {
  buildModel,
  defaultTrainingSettings,
  extractWeights,
  selectBackend,
} from '../../src-main/core/training/index.js';
import type { EpochView, InsightRequest } from '../../src-main/core/training/insight-types.js';
import { loadFixture, type Fixture } from './training-kit.js';

let fixture: Fixture;
let view: (epoch: number, runSeconds: number) => EpochView;

beforeAll(async () => {
  await selectBackend('wasm');
  fixture = await loadFixture('moons.csv', 'moon');
  const model = buildModel(fixture.spec, fixture.prepared.preprocessor.inputShape, 3);
  const weights = extractWeights(model);
  model.dispose();
  view = (epoch, runSeconds) => ({ epoch, weights, previousWeights: weights, learningRate: 0.01, runSeconds });
});

const observed = (extra: Partial<ObservedRun> = {}): ObservedRun => ({
  spec: fixture.spec,
  prepared: fixture.prepared,
  settings: defaultTrainingSettings(fixture.prepared.preprocessor.task),
  ...extra,
});

const boundary = { features: ['x1', 'x2'], resolution: 20 };
const computedParts = (insight: object | undefined) =>
  Object.keys(insight ?? {})
    .filter((k) => k !== 'epoch')
    .sort();

describe('the Inside views share one time budget', () => {
  it('computes a view at once when it opens, then only while the run has time to spare', () => {
    const observer = createEpochObserver(observed());
    const both: InsightRequest = { layers: true, weights: false, boundary };
    try {
      expect(computedParts(observer.observe(view(1, 1e-6), both))).toEqual(['boundary', 'layers']);
      // The run has had almost no time: its share covers neither view again.
      expect(observer.observe(view(2, 2e-6), both)).toBeUndefined();
      // A new boundary request is a view opened anew: drawn at once, while the layer statistics wait.
      const finer = { ...both, boundary: { ...boundary, resolution: 30 } };
      const redrawn = observer.observe(view(3, 3e-6), finer);
      expect(computedParts(redrawn)).toEqual(['boundary']);
      expect(redrawn!.boundary!.confidence).toHaveLength(900);
      // A long run so far covers both, every epoch.
      for (let epoch = 4; epoch < 8; epoch++) {
        expect(computedParts(observer.observe(view(epoch, 1e6), finer))).toEqual(['boundary', 'layers']);
      }
      // Closed views cost nothing and say nothing.
      expect(observer.observe(view(8, 1e6), { layers: false, weights: false, boundary: null })).toBeUndefined();
    } finally {
      observer.dispose();
    }
  });

  it('recomputes only what is asked for, and a view reopened is computed at once beside the others', () => {
    const observer = createEpochObserver(observed());
    const both: InsightRequest = { layers: true, weights: false, boundary };
    try {
      observer.observe(view(1, 1e6), both);
      // Only the boundary is asked for a while: it alone is recomputed.
      for (let epoch = 2; epoch < 5; epoch++) {
        expect(computedParts(observer.observe(view(epoch, 1e6), { ...both, layers: false }))).toEqual(['boundary']);
      }
      // The layer statistics come back open (fresh, so computed) and the boundary keeps its turn too.
      expect(computedParts(observer.observe(view(5, 1e6), both))).toEqual(['boundary', 'layers']);
    } finally {
      observer.dispose();
    }
  });

  it('sends the weights when the network view opens, then at most every interval', () => {
    let now = 100;
    const observer = createEpochObserver(observed({ clock: () => now }));
    const weightsOn: InsightRequest = { layers: false, weights: true, boundary: null };
    try {
      const first = observer.observe(view(1, 1), weightsOn);
      expect(first!.weights!.length).toBe(view(1, 1).weights.length);
      expect(first!.examples![0]).toHaveLength(2);
      now += WEIGHTS_INTERVAL_SECONDS / 2;
      expect(observer.observe(view(2, 1), weightsOn)).toBeUndefined();
      now += WEIGHTS_INTERVAL_SECONDS / 2;
      expect(observer.observe(view(3, 1), weightsOn)?.weights).toBeDefined();
      // Closed and opened again within the interval: the view gets weights at once.
      expect(observer.observe(view(4, 1), { ...weightsOn, weights: false })).toBeUndefined();
      expect(observer.observe(view(5, 1), weightsOn)?.weights).toBeDefined();
    } finally {
      observer.dispose();
    }
  });

  it('gives a report every part of every epoch, whatever it costs', () => {
    const now = 100;
    const before = tf.memory().numTensors;
    const observer = createEpochObserver(observed({ everyEpoch: true, clock: () => now }));
    const all: InsightRequest = { layers: true, weights: true, boundary };
    try {
      for (let epoch = 1; epoch < 5; epoch++) {
        expect(computedParts(observer.observe(view(epoch, 1e-6), all))).toEqual([
          'boundary',
          'examples',
          'layers',
          'weights',
        ]);
      }
    } finally {
      observer.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
