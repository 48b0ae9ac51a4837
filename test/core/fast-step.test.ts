/**
 * The fast Dense step computes what tf.js' autodiff path computes: the same objective, the same gradients of
 * every weight, and the same weights after several optimizer steps, for every layer, activation, loss and
 * optimizer it covers (on the wasm backend the trainer uses, with tf.js' own path as the reference). Dropout
 * draws its own mask, so its backward pass is checked against finite differences of its forward pass.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { LayerSpec, ModelSpec } from '../../src-main/core/model/spec.js';
import { buildModel, createPrng, extractWeights, selectBackend } from '../../src-main/core/training/index.js';
import { planDenseStack } from '../../src-main/core/training/dense-plan.js';
import { DenseStep } from '../../src-main/core/training/dense-step.js';
import { planConvStack } from '../../src-main/core/training/conv-plan.js';
import { ConvStep } from '../../src-main/core/training/conv-step.js';
import type { WeightTensor } from '../../src-main/core/training/types.js';
import { OPTIMIZER_NAMES } from '../../src-main/core/training/types.js';
import {
  batchFor,
  bothSteps,
  dense,
  expectAutodiffGradients,
  expectSameEvaluation,
  expectSameWeights,
  INPUTS,
  OPTIMIZER_CASES,
  optimizerLabel,
  stepBothAlike,
  type Case,
} from './fast-step-kit.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

const LAYER_CASES: Case[] = [
  {
    name: 'relu, relu, sigmoid with binary cross-entropy',
    layers: [dense(8, 'relu'), dense(5, 'relu'), dense(1, 'sigmoid')],
    loss: 'binaryCrossentropy',
  },
  {
    name: 'tanh, softmax with categorical cross-entropy',
    layers: [dense(7, 'tanh'), dense(3, 'softmax')],
    loss: 'categoricalCrossentropy',
  },
  {
    name: 'elu, relu6, linear with mean squared error',
    layers: [dense(9, 'elu'), dense(6, 'relu6'), dense(1, 'linear')],
    loss: 'meanSquaredError',
  },
  {
    name: 'linear Dense then an Activation layer, mean absolute error',
    layers: [dense(5, 'linear'), { className: 'Activation', config: { activation: 'tanh' } }, dense(2, 'linear')],
    loss: 'meanAbsoluteError',
  },
  { name: 'huber loss, no bias', layers: [dense(6, 'relu', { useBias: false }), dense(1, 'linear')], loss: 'huber' },
  {
    name: 'L1/L2 penalties on kernel and bias',
    layers: [
      dense(6, 'relu', { kernelRegularizer: { l1: 0.01, l2: 0.02 }, biasRegularizer: { l2: 0.05 } }),
      dense(1, 'sigmoid'),
    ],
    loss: 'binaryCrossentropy',
  },
  {
    name: 'sample (class) weights',
    layers: [dense(6, 'sigmoid'), dense(3, 'softmax')],
    loss: 'sparseCategoricalCrossentropy',
    sampleWeights: true,
  },
  {
    name: 'Dropout at rate 0 and Flatten on a flat input',
    layers: [
      { className: 'Flatten', config: {} },
      dense(6, 'relu'),
      { className: 'Dropout', config: { rate: 0 } },
      dense(1, 'sigmoid'),
    ],
    loss: 'binaryCrossentropy',
  },
];

describe('the fast Dense step equals tf.js autodiff', () => {
  it('covers exactly the stacks it is meant to, and says why not otherwise', () => {
    expect(planDenseStack({ version: 1, layers: [dense(4, 'relu'), dense(1, 'sigmoid')] }, [INPUTS]).ok).toBe(true);
    const conv = planDenseStack(
      { version: 1, layers: [{ className: 'Reshape', config: { targetShape: [2, 3] } }, dense(1, 'linear')] },
      [INPUTS],
    );
    expect(conv).toEqual({ ok: false, reason: 'the Reshape layer' });
    const swish = planDenseStack({ version: 1, layers: [dense(4, 'swish'), dense(1, 'linear')] }, [INPUTS]);
    expect(swish).toEqual({ ok: false, reason: 'Dense with swish activation' });
  });

  it('every optimizer LayerLab offers has a case', () => {
    expect(new Set(OPTIMIZER_CASES.map((o) => o.name))).toEqual(new Set(OPTIMIZER_NAMES));
  });

  for (const testCase of LAYER_CASES) {
    it(`gradients and objective: ${testCase.name}`, () => expectAutodiffGradients(testCase, DenseStep));
  }

  for (const optimizer of OPTIMIZER_CASES) {
    for (const testCase of [LAYER_CASES[0]!, LAYER_CASES[2]!]) {
      const label = optimizerLabel(optimizer);
      it(`weights after 6 steps: ${label}, ${testCase.name}`, () => {
        const { fast, slow, dispose } = bothSteps({ ...testCase, optimizer });
        try {
          stepBothAlike(fast, slow, testCase);
          expectSameWeights(fast.weights(), slow.weights(), label, 1e-4);
          fast.learningRate = optimizer.learningRate / 2;
          slow.learningRate = optimizer.learningRate / 2;
          const batch = batchFor(testCase, 200);
          fast.step(batch);
          slow.step(batch);
          expectSameWeights(fast.weights(), slow.weights(), `${label} after lowering the rate`, 1e-4);
        } finally {
          dispose();
        }
      });
    }
  }

  it('evaluation outputs and loss equal the layers model', () => {
    const testCase = LAYER_CASES[1]!;
    const { fast, slow, dispose } = bothSteps(testCase);
    try {
      expectSameEvaluation(fast, slow, testCase, 9);
    } finally {
      dispose();
    }
  });

  it('Dropout: the backward pass matches finite differences of the forward pass under the same mask', () => {
    const layers = [dense(6, 'tanh'), { className: 'Dropout', config: { rate: 0.5 } } as LayerSpec, dense(1, 'linear')];
    const spec: ModelSpec = { version: 1, layers };
    const plan = planDenseStack(spec, [INPUTS]);
    if (!plan.ok) throw new Error(plan.reason);
    const model = buildModel(spec, [INPUTS], 11);
    const initial = extractWeights(model);
    const batch = batchFor({ name: 'dropout', layers, loss: 'meanSquaredError' }, 4);
    const stepWith = (weights: WeightTensor[]) =>
      new DenseStep({
        plan: plan.plan,
        initialWeights: weights,
        loss: 'meanSquaredError',
        optimizer: { name: 'sgd', learningRate: 0.1 },
        dropoutPrng: createPrng(8),
      });
    const base = stepWith(initial);
    base.gradient(batch);
    const grads = base.lastGradients();
    const kernel = grads[0]!;
    let dropped = 0;
    const h = 1e-2;
    for (const i of [0, 3, 7, 12, 20, 31]) {
      const shifted = (delta: number) =>
        initial.map((w, k) => (k === 0 ? { ...w, values: w.values.map((v, j) => (j === i ? v + delta : v)) } : w));
      const plus = stepWith(shifted(h)).gradient(batch);
      const minus = stepWith(shifted(-h)).gradient(batch);
      const numeric = (plus - minus) / (2 * h);
      expect(kernel.values[i]!).toBeCloseTo(numeric, 2);
      if (kernel.values[i] === 0) dropped++;
    }
    expect(dropped).toBeLessThan(6);
    model.dispose();
  });
});

const conv = (filters: number, kernelSize: number | number[], extra: object = {}): LayerSpec =>
  ({ className: 'Conv2D', config: { filters, kernelSize, ...extra } }) as LayerSpec;
const maxPool = (extra: object = {}): LayerSpec => ({ className: 'MaxPooling2D', config: extra }) as LayerSpec;
const flatten: LayerSpec = { className: 'Flatten', config: {} };

const CONV_CASES: Case[] = [
  {
    name: 'the digits network: Reshape, Conv2D relu, MaxPooling2D, Flatten, Dense softmax',
    inputShape: [36],
    layers: [
      { className: 'Reshape', config: { targetShape: [6, 6, 1] } },
      conv(4, 3, { activation: 'relu' }),
      maxPool({ poolSize: 2 }),
      flatten,
      dense(3, 'softmax'),
    ],
    loss: 'categoricalCrossentropy',
  },
  {
    name: 'same padding, strides, two channels, a second Conv2D with penalties',
    inputShape: [7, 6, 2],
    layers: [
      conv(3, [3, 2], { activation: 'tanh', padding: 'same', strides: [2, 1] }),
      maxPool({ poolSize: 2, strides: 2 }),
      conv(2, 2, {
        activation: 'elu',
        useBias: false,
        kernelRegularizer: { l1: 0.01, l2: 0.02 },
      }),
      flatten,
      { className: 'Dropout', config: { rate: 0 } },
      dense(4, 'sigmoid'),
      dense(1, 'sigmoid'),
    ],
    loss: 'binaryCrossentropy',
  },
  {
    name: 'linear Conv2D then an Activation layer, pooling first, sample weights, mean squared error',
    inputShape: [6, 6, 1],
    layers: [
      maxPool({ poolSize: 2, strides: 1 }),
      conv(3, 2, { biasRegularizer: { l2: 0.05 } }),
      { className: 'Activation', config: { activation: 'relu6' } },
      flatten,
      dense(2, 'linear'),
    ],
    loss: 'meanSquaredError',
    sampleWeights: true,
  },
  {
    name: 'overlapping pooling windows that reach into the padding',
    inputShape: [7, 6, 2],
    layers: [
      conv(3, [3, 2], { activation: 'tanh', padding: 'same', strides: [2, 1] }),
      maxPool({ poolSize: [2, 3], strides: 1, padding: 'same' }),
      flatten,
      dense(1, 'sigmoid'),
    ],
    loss: 'binaryCrossentropy',
  },
];

describe('the fast convolution step equals tf.js autodiff', () => {
  it('covers image stacks and says why not otherwise', () => {
    expect(planConvStack({ version: 1, layers: CONV_CASES[0]!.layers }, [36]).ok).toBe(true);
    const average = planConvStack(
      { version: 1, layers: [conv(2, 3), { className: 'AveragePooling2D', config: {} }, flatten, dense(1, 'linear')] },
      [6, 6, 1],
    );
    expect(average).toEqual({ ok: false, reason: 'the AveragePooling2D layer' });
    const { fast, dispose } = bothSteps({
      name: 'global pooling',
      inputShape: [6, 6, 1],
      layers: [conv(2, 3), { className: 'GlobalAveragePooling2D', config: {} }, dense(1, 'linear')],
      loss: 'meanSquaredError',
    });
    expect(fast.description).toBe(
      'tf.js autodiff step (the fast step does not cover the GlobalAveragePooling2D layer)',
    );
    dispose();
  });

  // On wasm, the reference runs LayerLab's own MaxPoolGrad (wasm-max-pool-gradient.test.ts shows it equals cpu's).
  for (const testCase of CONV_CASES) {
    it(`gradients and objective: ${testCase.name}`, () => expectAutodiffGradients(testCase, ConvStep));
  }

  for (const optimizer of OPTIMIZER_CASES) {
    const testCase = CONV_CASES[0]!;
    const label = optimizerLabel(optimizer);
    it(`weights after 6 steps: ${label}, the digits network`, () => {
      const { fast, slow, dispose } = bothSteps({ ...testCase, optimizer });
      try {
        stepBothAlike(fast, slow, testCase);
        expectSameWeights(fast.weights(), slow.weights(), label, 1e-4);
      } finally {
        dispose();
      }
    });
  }

  it('evaluation outputs and loss equal the layers model', () => {
    const testCase = CONV_CASES[1]!;
    const { fast, slow, dispose } = bothSteps(testCase);
    try {
      expectSameEvaluation(fast, slow, testCase, 9);
    } finally {
      dispose();
    }
  });
});
