/**
 * Max pooling's gradient on the wasm backend, where models the fast convolution step does not cover train
 * through tf.js autodiff. tf.js 4.22's wasm MaxPoolGrad loses the gradient of every window whose values are
 * all 0 or less (and takes the last of tied maxima); LayerLab replaces it, so wasm's gradients equal the cpu
 * backend's: kernel by kernel, and for whole models on the autodiff path.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LayerSpec, ModelSpec } from '../../src-main/core/model/spec.js';
import {
  bridgedWasmKernels,
  buildModel,
  createPrng,
  selectBackend,
  train,
} from '../../src-main/core/training/index.js';
import { AutodiffStep, chooseTrainStep, type BatchInput } from '../../src-main/core/training/train-step.js';
import type { ConcreteLoss } from '../../src-main/core/training/defaults.js';
import type { TrainingSettings } from '../../src-main/core/training/types.js';
import { syntheticData } from './training-kit.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

afterAll(async () => {
  await selectBackend('wasm');
});

/** Values in [-1, 1], a share of them exactly 0 (as after relu), so windows hold ties and non-positive maxima. */
function values(count: number, seed: number): Float32Array {
  const prng = createPrng(seed);
  return Float32Array.from({ length: count }, () => {
    const v = prng.next() * 2 - 1;
    return prng.next() < 0.3 ? 0 : v;
  });
}

function worstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

interface PoolCase {
  shape: [number, number, number, number];
  pool: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same';
}

const POOL_CASES: PoolCase[] = [
  { shape: [2, 4, 4, 1], pool: 2, strides: 2, pad: 'valid' },
  { shape: [3, 6, 6, 4], pool: 2, strides: 2, pad: 'valid' },
  { shape: [2, 5, 5, 3], pool: 3, strides: 1, pad: 'valid' },
  { shape: [2, 5, 6, 2], pool: [2, 3], strides: 1, pad: 'same' },
  { shape: [1, 7, 5, 2], pool: 2, strides: [2, 1], pad: 'same' },
];

/** d(sum(maxPool(x) * weights))/dx on the backend tf.js is using now, and the sum of the weights used. */
function poolGradient(c: PoolCase, x: Float32Array, weights: Float32Array): { gradient: Float32Array; sent: number } {
  return tf.tidy(() => {
    const input = tf.tensor4d(x, c.shape);
    const pooledShape = tf.maxPool(input, c.pool, c.strides, c.pad).shape;
    const used = weights.subarray(
      0,
      pooledShape.reduce((a, b) => a * b, 1),
    );
    const w = tf.tensor(used, pooledShape);
    const pooled = (t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, c.pool, c.strides, c.pad);
    const gradient = tf.grad((t) => tf.sum(tf.mul(pooled(t), w)))(input);
    return { gradient: gradient.dataSync() as Float32Array, sent: used.reduce((a, b) => a + b, 0) };
  });
}

describe('MaxPoolGrad on wasm', () => {
  it('is LayerLab’s own kernel, reported as replacing a wrong one', () => {
    expect(bridgedWasmKernels()).toContainEqual({ name: 'MaxPoolGrad', why: 'wrong', by: 'own' });
  });

  for (const c of POOL_CASES) {
    const label = `${c.shape.join('x')}, pool ${c.pool}, strides ${c.strides}, ${c.pad}`;
    it(`equals the cpu backend's: ${label}`, async () => {
      const size = c.shape.reduce((a, b) => a * b, 1);
      const x = values(size, 21);
      const weights = values(size, 22).map((v) => v + 2); // nonzero, so every window's gradient shows
      const onWasm = poolGradient(c, x, weights);
      await selectBackend('cpu');
      const onCpu = poolGradient(c, x, weights);
      await selectBackend('wasm');
      // Overlapping windows add up in another order on each backend: float32 rounding, no more.
      expect(worstDifference(onWasm.gradient, onCpu.gradient)).toBeLessThanOrEqual(1e-5);
      // Every window sends its whole weight to one input: nothing is dropped.
      expect(onWasm.gradient.reduce((a, b) => a + b, 0)).toBeCloseTo(onWasm.sent, 3);
    });
  }

  it('sends the gradient of an all-negative window to its maximum and of an all-zero window to its first pixel', () => {
    // One 2x2 image, two channels interleaved: channel 0 is -3, -2, -1, -2; channel 1 is all 0.
    const x = Float32Array.from([-3, 0, -2, 0, -1, 0, -2, 0]);
    const { gradient } = poolGradient(
      { shape: [1, 2, 2, 2], pool: 2, strides: 2, pad: 'valid' },
      x,
      Float32Array.from([10, 20]),
    );
    expect(Array.from(gradient)).toEqual([0, 20, 0, 0, 10, 0, 0, 0]);
  });
});

const conv2d = (filters: number, kernelSize: number, activation: string, extra: object = {}): LayerSpec =>
  ({ className: 'Conv2D', config: { filters, kernelSize, activation, ...extra } }) as LayerSpec;
const dense = (units: number, activation: string): LayerSpec =>
  ({ className: 'Dense', config: { units, activation } }) as LayerSpec;

interface ModelCase {
  name: string;
  inputShape: number[];
  layers: LayerSpec[];
  loss: ConcreteLoss;
}

/** Conv stacks the fast step refuses (softplus, Conv1D), with pooled values that are often 0 or less. */
const MODEL_CASES: ModelCase[] = [
  {
    name: 'Conv2D tanh, overlapping MaxPooling2D with padding, Dense softplus',
    inputShape: [6, 6, 2],
    layers: [
      conv2d(4, 3, 'tanh'),
      { className: 'MaxPooling2D', config: { poolSize: 2, strides: 1, padding: 'same' } } as LayerSpec,
      { className: 'Flatten', config: {} } as LayerSpec,
      dense(5, 'softplus'),
      dense(3, 'softmax'),
    ],
    loss: 'categoricalCrossentropy',
  },
  {
    name: 'Conv1D linear, MaxPooling1D, Dense',
    inputShape: [10, 3],
    layers: [
      { className: 'Conv1D', config: { filters: 4, kernelSize: 3, activation: 'linear' } } as LayerSpec,
      { className: 'MaxPooling1D', config: { poolSize: 2 } } as LayerSpec,
      { className: 'Flatten', config: {} } as LayerSpec,
      dense(1, 'linear'),
    ],
    loss: 'meanSquaredError',
  },
];

function batchFor(c: ModelCase, rows: number, seed: number): BatchInput {
  const prng = createPrng(seed);
  const width = c.inputShape.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: rows * width }, () => prng.next() * 4 - 2);
  const outputs = (c.layers.at(-1)!.config as { units: number }).units;
  const targets = new Float32Array(rows * outputs);
  for (let r = 0; r < rows; r++) {
    if (outputs > 1) targets[r * outputs + Math.floor(prng.next() * outputs)] = 1;
    else targets[r] = prng.next() * 2 - 1;
  }
  return { x, targets, weights: null, rows };
}

/** The autodiff objective's value and gradients, and the weights after `steps` Adam steps, on the current backend. */
function autodiffRun(c: ModelCase, steps: number) {
  const spec: ModelSpec = { version: 1, layers: c.layers };
  const model = buildModel(spec, c.inputShape, 13);
  const step = chooseTrainStep({
    spec,
    model,
    inputShape: c.inputShape,
    loss: c.loss,
    optimizer: { name: 'adam', learningRate: 0.01 },
    dropoutPrng: createPrng(3),
  });
  try {
    expect(step).toBeInstanceOf(AutodiffStep);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(() => (step as AutodiffStep).objective(batchFor(c, 16, 5)), variables);
    const gradients = variables.map((v) => Float32Array.from(grads[v.name]!.dataSync()));
    const objective = value.dataSync()[0]!;
    tf.dispose([value, ...Object.values(grads)]);
    for (let i = 0; i < steps; i++) step.step(batchFor(c, 16, 100 + i));
    return { objective, gradients, weights: step.weights() };
  } finally {
    step.dispose();
    model.dispose();
  }
}

describe('the autodiff path trains pooled conv models on wasm as on cpu', () => {
  for (const c of MODEL_CASES) {
    it(`gradients and weights after 6 steps: ${c.name}`, async () => {
      const onWasm = autodiffRun(c, 6);
      await selectBackend('cpu');
      const onCpu = autodiffRun(c, 6);
      await selectBackend('wasm');
      expect(onWasm.objective).toBeCloseTo(onCpu.objective, 5);
      onWasm.gradients.forEach((g, i) => {
        const scale = Math.max(1, ...Array.from(onCpu.gradients[i]!, Math.abs));
        expect(worstDifference(g, onCpu.gradients[i]!), `gradient ${i}`).toBeLessThanOrEqual(2e-5 * scale);
      });
      onWasm.weights.forEach((w, i) => {
        expect(worstDifference(w.values, onCpu.weights[i]!.values), `${w.layerIndex}/${w.name}`).toBeLessThanOrEqual(
          1e-4,
        );
      });
    });
  }

  it('a run on wasm says which path trained and which kernel LayerLab supplied', async () => {
    const c = MODEL_CASES[0]!;
    const data = syntheticData({ rows: 120, inputShape: c.inputShape, kind: 'binary', seed: 4 });
    const settings: TrainingSettings = {
      optimizer: { name: 'adam', learningRate: 0.01 },
      loss: 'auto',
      epochs: 2,
      batchSize: 32,
      shuffle: false,
      seed: 1,
      classWeights: 'none',
      earlyStopping: { enabled: false, monitor: 'valLoss', patience: 5, minDelta: 0, restoreBestWeights: false },
      reduceLrOnPlateau: { enabled: false, monitor: 'valLoss', factor: 0.5, patience: 3, minLearningRate: 0 },
      backend: 'wasm',
    };
    const spec: ModelSpec = { version: 1, layers: [...c.layers.slice(0, -1), dense(1, 'sigmoid')] };
    let note = '';
    const result = await train(spec, data, settings, {
      onEvent: (e) => {
        if (e.type === 'started') note = e.backendNote;
      },
    });
    expect(result.backend).toBe('wasm');
    expect(note).toContain("MaxPoolGrad, which the wasm backend gets wrong, runs on LayerLab's own typed-array kernel");
    expect(result.history).toHaveLength(2);
    expect(Number.isFinite(result.history[1]!.metrics.loss)).toBe(true);
  });
});
