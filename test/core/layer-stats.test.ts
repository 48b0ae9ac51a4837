import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PreparedData } from '../../src-main/core/data/types.js';
import type { ModelSpec } from '../../src-main/core/model/spec.js';
import { createEpochObserver } from '../../src-main/core/insight/epoch-observer.js';
import { LayerStatsProbe, PROBE_ROWS } from '../../src-main/core/insight/layer-stats.js';
import {
  RunControl,
  buildModel,
  defaultTrainingSettings,
  extractWeights,
  selectBackend,
  train,
  type TrainingSettings,
  type WeightTensor,
} from '../../src-main/core/training/index.js';
import type { EpochInsight, EpochView } from '../../src-main/core/training/insight-types.js';
import { syntheticData } from './training-kit.js';

const spec: ModelSpec = {
  version: 1,
  layers: [
    { className: 'Dense', config: { units: 8, activation: 'relu' } },
    { className: 'Dense', config: { units: 1, activation: 'sigmoid' } },
  ],
};

function settingsFor(prepared: PreparedData, epochs = 3): TrainingSettings {
  return {
    ...defaultTrainingSettings(prepared.preprocessor.task),
    epochs,
    batchSize: 32,
    earlyStopping: { enabled: false, monitor: 'valLoss', patience: 3, minDelta: 0, restoreBestWeights: true },
    backend: 'wasm',
  };
}

const find = (weights: WeightTensor[], layer: number, name: string): WeightTensor =>
  weights.find((w) => w.layerIndex === layer && w.name === name)!;

/**
 * The gradient norms computed here from the weights alone: the two Dense layers written as matrix products,
 * binary cross-entropy clipped as Keras clips it, differentiated with tf.grads on the probe rows.
 */
function independentGradientNorms(weights: WeightTensor[], prepared: PreparedData): number[] {
  const rows = Math.min(PROBE_ROWS, prepared.train.count);
  const width = prepared.preprocessor.inputShape[0]!;
  return tf.tidy(() => {
    const x = tf.tensor2d(prepared.train.x.slice(0, rows * width), [rows, width]);
    const y = tf.tensor2d(prepared.train.y.slice(0, rows), [rows, 1]);
    const params = [
      find(weights, 0, 'kernel'),
      find(weights, 0, 'bias'),
      find(weights, 1, 'kernel'),
      find(weights, 1, 'bias'),
    ].map((w) => tf.tensor(w.values, w.shape));
    const loss = (k0: tf.Tensor, b0: tf.Tensor, k1: tf.Tensor, b1: tf.Tensor): tf.Scalar => {
      const hidden = tf.relu(tf.add(tf.matMul(x, k0 as tf.Tensor2D), b0));
      const p = tf.clipByValue(tf.sigmoid(tf.add(tf.matMul(hidden, k1 as tf.Tensor2D), b1)), 1e-7, 1 - 1e-7);
      return tf.neg(tf.mean(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p)))))) as tf.Scalar;
    };
    const grads = tf.grads((...p: tf.Tensor[]) => loss(p[0]!, p[1]!, p[2]!, p[3]!))(params);
    const sq = grads.map((g) => tf.sum(tf.square(g)).dataSync()[0]!);
    return [Math.sqrt(sq[0]! + sq[1]!), Math.sqrt(sq[2]! + sq[3]!)];
  });
}

function norm(values: number[]): number {
  return Math.sqrt(values.reduce((a, v) => a + v * v, 0));
}

const all = (layer: number, weights: WeightTensor[]): number[] =>
  weights.filter((w) => w.layerIndex === layer).flatMap((w) => Array.from(w.values));

describe('layer statistics per epoch', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('gives gradient norms, weight statistics and update ratios equal to direct computation', async () => {
    const prepared = syntheticData({ rows: 400, inputShape: [4], kind: 'binary', seed: 3, noise: 0.2 });
    const settings = settingsFor(prepared);
    const control = new RunControl();
    control.insight = { layers: true, weights: true, boundary: null };
    const insights: EpochInsight[] = [];
    const observer = createEpochObserver({ spec, prepared, settings, everyEpoch: true });
    try {
      await train(spec, prepared, settings, {
        control,
        observer,
        onEvent: (e) => {
          if (e.type === 'epoch' && e.insight) insights.push(e.insight);
        },
      });
    } finally {
      observer.dispose();
    }
    expect(insights.map((i) => i.epoch)).toEqual([1, 2, 3]);
    for (const [n, insight] of insights.entries()) {
      const weights = insight.weights!;
      const layers = insight.layers!;
      expect(layers.map((l) => [l.index, l.className])).toEqual([
        [0, 'Dense'],
        [1, 'Dense'],
      ]);
      const expected = independentGradientNorms(weights, prepared);
      for (const layer of layers) {
        expect(layer.gradientNorm).toBeGreaterThan(0);
        expect(layer.gradientNorm).toBeCloseTo(expected[layer.index]!, 5);
        const values = all(layer.index, weights);
        const mean = values.reduce((a, v) => a + v, 0) / values.length;
        const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
        expect(layer.weightMean).toBeCloseTo(mean, 6);
        expect(layer.weightStd).toBeCloseTo(std, 6);
        expect(layer.weightNorm).toBeCloseTo(norm(values), 5);
        const kernel = find(weights, layer.index, 'kernel').values;
        expect(layer.histogram.counts.reduce((a, c) => a + c, 0)).toBe(kernel.length);
        expect(layer.histogram.min).toBe(Math.min(...kernel));
        expect(layer.histogram.max).toBe(Math.max(...kernel));
        if (n > 0) {
          const before = all(layer.index, insights[n - 1]!.weights!);
          const moved = norm(values.map((v, i) => v - before[i]!));
          expect(layer.updateRatio).toBeGreaterThan(0);
          expect(layer.updateRatio).toBeCloseTo(moved / norm(values), 6);
        }
      }
      expect(layers[0]!.deadShare).not.toBeNull();
      expect(layers[1]!.deadShare).toBeNull();
    }
  });

  it('counts as dead the ReLU units whose bias keeps them below zero on every row', () => {
    const prepared = syntheticData({ rows: 100, inputShape: [4], kind: 'binary', seed: 5 });
    const model = buildModel(spec, [4]);
    const weights = extractWeights(model);
    model.dispose();
    // A small kernel and biases of -5 for units 0..2: inputs lie in [-1, 1], so those units never rise above 0.
    find(weights, 0, 'kernel').values.fill(0.1);
    find(weights, 0, 'bias').values.set([-5, -5, -5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    const probe = new LayerStatsProbe(spec, prepared, settingsFor(prepared));
    try {
      const [hidden] = probe.compute(weights, weights);
      expect(hidden!.deadShare).toBe(3 / 8);
      expect(hidden!.updateRatio).toBe(0);
    } finally {
      probe.dispose();
    }
  });

  it('leaves no tensor behind across epochs, and skips epochs that would cost more than its share', () => {
    const prepared = syntheticData({ rows: 300, inputShape: [4], kind: 'binary', seed: 9 });
    const model = buildModel(spec, [4]);
    const weights = extractWeights(model);
    model.dispose();
    const before = tf.memory().numTensors;
    const observer = createEpochObserver({ spec, prepared, settings: settingsFor(prepared) });
    const view = (epoch: number, runSeconds: number): EpochView => ({
      epoch,
      weights,
      previousWeights: weights,
      learningRate: 0.01,
      runSeconds,
    });
    const layersOn = { layers: true, weights: false, boundary: null };
    // The first epoch is always computed; then the run has had almost no time, so its 5 % does not cover another.
    expect(observer.observe(view(1, 1e-6), layersOn)?.layers).toHaveLength(2);
    const afterFirst = tf.memory().numTensors;
    expect(observer.observe(view(2, 2e-6), layersOn)).toBeUndefined();
    // Closed, then opened again: computed at once.
    expect(observer.observe(view(3, 3e-6), { ...layersOn, layers: false })).toBeUndefined();
    expect(observer.observe(view(4, 4e-6), layersOn)?.layers).toHaveLength(2);
    // A long run so far covers every epoch.
    for (let epoch = 5; epoch < 10; epoch++)
      expect(observer.observe(view(epoch, 1e6), layersOn)?.layers).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(afterFirst);
    observer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
