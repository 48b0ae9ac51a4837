/**
 * BatchNormalization and LayerNormalization in the fast Dense step compute what tf.js' layers compute:
 * the same gradients (through the batch's own mean and variance), the same weights and moving statistics
 * after several steps with every optimizer, the same inference outputs, and on a real dataset the same
 * validation accuracy as the autodiff path. Layers without gamma or beta, which tf.js cannot train, train
 * here and agree with tf.js wherever tf.js has an answer.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LayerSpec, ModelSpec } from '../../src-main/core/model/spec.js';
import {
  applyWeights,
  buildModel,
  createPrng,
  defaultTrainingSettings,
  extractWeights,
  selectBackend,
  train,
} from '../../src-main/core/training/index.js';
import { planDenseStack } from '../../src-main/core/training/dense-plan.js';
import { DenseStep } from '../../src-main/core/training/dense-step.js';
import { AutodiffStep, chooseTrainStep, type TrainStep } from '../../src-main/core/training/train-step.js';
import type { PreparedData, SplitData } from '../../src-main/core/data/types.js';
import type { WeightTensor } from '../../src-main/core/training/types.js';
import {
  autodiffGradients,
  batchFor,
  bothSteps,
  dense,
  expectAutodiffGradients,
  expectClose,
  expectSameEvaluation,
  expectSameWeights,
  INPUTS,
  OPTIMIZER_CASES,
  optimizerLabel,
  ROWS,
  stepBothAlike,
  type Case,
} from './fast-step-kit.js';
import { loadFixture } from './training-kit.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

const batchNorm = (config: object = {}): LayerSpec => ({ className: 'BatchNormalization', config }) as LayerSpec;
const layerNorm = (config: object = {}): LayerSpec => ({ className: 'LayerNormalization', config }) as LayerSpec;
const relu: LayerSpec = { className: 'Activation', config: { activation: 'relu' } };

const BATCH_NORM: Case = {
  name: 'Dense, BatchNormalization, relu, Dense sigmoid',
  // No bias before BatchNormalization (as usual): the batch mean cancels it, so its gradient is pure rounding,
  // which Adam-like optimizers scale up to full steps that differ between the paths.
  layers: [dense(8, 'linear', { useBias: false }), batchNorm(), relu, dense(1, 'sigmoid')],
  loss: 'binaryCrossentropy',
};
const LAYER_NORM: Case = {
  name: 'Dense, LayerNormalization, Dense sigmoid',
  layers: [dense(7, 'tanh'), layerNorm(), dense(1, 'sigmoid')],
  loss: 'binaryCrossentropy',
};

const TWO_BATCH_NORMS: Case = {
  name: 'BatchNormalization on the input, momentum 0.8, epsilon 0.01, then a second one before softmax',
  layers: [batchNorm({ momentum: 0.8, epsilon: 0.01 }), dense(6, 'relu'), batchNorm(), dense(3, 'softmax')],
  loss: 'categoricalCrossentropy',
  sampleWeights: true,
};

const CASES: Case[] = [
  BATCH_NORM,
  LAYER_NORM,
  {
    name: 'Dense with bias, BatchNormalization, Dense, LayerNormalization, two linear outputs with mean squared error',
    layers: [dense(8, 'linear'), batchNorm(), dense(5, 'relu'), layerNorm(), dense(2, 'linear')],
    loss: 'meanSquaredError',
  },
  TWO_BATCH_NORMS,
  {
    name: 'LayerNormalization on the input with epsilon 0.01, then after a linear Dense, then BatchNormalization',
    layers: [
      layerNorm({ epsilon: 0.01 }),
      dense(6, 'elu'),
      dense(5, 'linear'),
      layerNorm(),
      batchNorm(),
      dense(1, 'sigmoid'),
    ],
    loss: 'binaryCrossentropy',
  },
];

describe('normalization layers in the fast Dense step equal tf.js autodiff', () => {
  it('plans both layers with tf.js defaults', () => {
    const plan = planDenseStack({ version: 1, layers: TWO_BATCH_NORMS.layers }, [INPUTS]);
    if (!plan.ok) throw new Error(plan.reason);
    expect(plan.plan.stages.filter((s) => s.kind === 'batchNorm')).toEqual([
      { kind: 'batchNorm', layerIndex: 0, width: INPUTS, epsilon: 0.01, center: true, scale: true, momentum: 0.8 },
      { kind: 'batchNorm', layerIndex: 2, width: 6, epsilon: 1e-3, center: true, scale: true, momentum: 0.99 },
    ]);
    const layer = planDenseStack({ version: 1, layers: LAYER_NORM.layers }, [INPUTS]);
    if (!layer.ok) throw new Error(layer.reason);
    expect(layer.plan.stages[1]).toEqual({
      kind: 'layerNorm',
      layerIndex: 1,
      width: 7,
      epsilon: 1e-3,
      center: true,
      scale: true,
      momentum: 0,
    });
    // A flat model stopped by another layer names that layer, not the normalization the image step lacks.
    const { fast, dispose } = bothSteps({
      ...BATCH_NORM,
      layers: [dense(4, 'linear'), batchNorm(), dense(1, 'softplus')],
    });
    expect(fast.description).toBe('tf.js autodiff step (the fast step does not cover Dense with softplus activation)');
    dispose();
  });

  for (const testCase of CASES) {
    it(`gradients, objective and moving statistics: ${testCase.name}`, () =>
      expectAutodiffGradients(testCase, DenseStep, ({ fast, slow }) =>
        // One forward pass in training moved the moving statistics on both paths, and only those.
        expectSameWeights(fast.weights(), slow.weights(), `${testCase.name} after one forward pass`),
      ));
  }

  for (const optimizer of OPTIMIZER_CASES) {
    for (const testCase of [BATCH_NORM, LAYER_NORM]) {
      const label = optimizerLabel(optimizer);
      it(`weights, moving statistics and inference after 6 steps: ${label}, ${testCase.name}`, () => {
        const { fast, slow, dispose } = bothSteps({ ...testCase, optimizer });
        try {
          stepBothAlike(fast, slow, testCase);
          const weights = fast.weights();
          expectSameWeights(weights, slow.weights(), label, 1e-4);
          const moving = weights.filter((w) => w.name.startsWith('moving_'));
          expect(moving.length).toBe(testCase === BATCH_NORM ? 2 : 0);
          // The moving variance started at ones; six batches moved it.
          for (const w of moving)
            expect(w.values.some((v) => Math.abs(v - (w.name === 'moving_mean' ? 0 : 1)) > 1e-3)).toBe(true);

          const { batch, outputs } = expectSameEvaluation(fast, slow, testCase, 300, {
            label: `${label} evaluation outputs`,
            tolerance: 1e-4,
            lossDigits: 4,
          });
          // The fast step's own weights in a tf.js model predict what the fast step evaluates.
          const model = buildModel({ version: 1, layers: testCase.layers }, [INPUTS], 1);
          applyWeights(model, weights);
          const predicted = tf.tidy(() =>
            (model.predict(tf.tensor2d(batch.x, [ROWS, INPUTS])) as tf.Tensor).dataSync(),
          );
          expectClose(outputs, predicted, `${label} the tf.js model with the fast step's weights`);
          model.dispose();
        } finally {
          dispose();
        }
      });
    }
  }

  it('stepWithOutputs hands back the forward outputs the autodiff path sees', () => {
    const { fast, slow, dispose } = bothSteps(TWO_BATCH_NORMS);
    try {
      for (let step = 0; step < 3; step++) {
        const batch = batchFor(TWO_BATCH_NORMS, 40 + step);
        const a = new Float32Array(ROWS * 3);
        const b = new Float32Array(ROWS * 3);
        fast.stepWithOutputs!(batch, a);
        slow.stepWithOutputs(batch, b);
        expectClose(a, b, `outputs of step ${step + 1}`, 1e-4);
        expect(a.every((v) => v > 0 && v < 1)).toBe(true);
      }
    } finally {
      dispose();
    }
  });
});

/**
 * tf.js' own layers fail in training without gamma or beta, so the reference is the same stack with both:
 * gamma starts at 1 and beta at 0, so until the first update it computes the same outputs and the same
 * gradients of every weight the two stacks share.
 */
describe('normalization layers without gamma or beta', () => {
  const bare: LayerSpec[] = [
    dense(8, 'linear'),
    batchNorm({ scale: false }),
    relu,
    dense(6, 'tanh'),
    batchNorm({ center: false, momentum: 0.9 }),
    dense(5, 'linear'),
    layerNorm({ center: false }),
    dense(4, 'elu'),
    layerNorm({ center: false, scale: false }),
    dense(1, 'sigmoid'),
  ];
  const full = bare.map((l) =>
    l.className === 'BatchNormalization' || l.className === 'LayerNormalization'
      ? ({ ...l, config: { ...l.config, center: true, scale: true } } as LayerSpec)
      : l,
  );
  const testCase: Case = { name: 'without gamma or beta', layers: bare, loss: 'binaryCrossentropy' };

  it('train on the fast step, with the gradients of the full layers at gamma 1 and beta 0', () => {
    const bareModel = buildModel({ version: 1, layers: bare }, [INPUTS], 11);
    const fullModel = buildModel({ version: 1, layers: full }, [INPUTS], 12);
    const own = extractWeights(bareModel);
    const key = (w: WeightTensor) => `${w.layerIndex}/${w.name}`;
    const shared = new Set(own.map(key));
    applyWeights(
      fullModel,
      extractWeights(fullModel).map((w) => own.find((o) => key(o) === key(w)) ?? w),
    );
    const choice = (spec: ModelSpec, model: tf.Sequential) => ({
      spec,
      model,
      inputShape: [INPUTS],
      loss: 'binaryCrossentropy' as const,
      optimizer: { name: 'sgd' as const, learningRate: 0.1 },
      dropoutPrng: createPrng(3),
    });
    const fast = chooseTrainStep(choice({ version: 1, layers: bare }, bareModel));
    const slow = new AutodiffStep(choice({ version: 1, layers: full }, fullModel));
    try {
      expect(fast.description).toContain('fast Dense step');
      const batch = batchFor(testCase, 5);
      const reference = autodiffGradients(slow, fullModel, batch);
      expect((fast as DenseStep).gradient(batch)).toBeCloseTo(reference.value, 5);
      const referenceByKey = new Map(
        fullModel.trainableWeights.map((w, i) => [
          `${fullModel.layers.findIndex((l) => l.trainableWeights.includes(w))}/${w.originalName.split('/').pop()}`,
          reference.grads[i]!,
        ]),
      );
      const grads = (fast as DenseStep).lastGradients();
      expect(grads.map(key)).toEqual(own.filter((w) => !w.name.startsWith('moving_')).map(key));
      for (const g of grads) expectClose(g.values, referenceByKey.get(key(g))!, key(g));
      const slowWeights = slow.weights().filter((w) => shared.has(key(w)));
      expectSameWeights(fast.weights(), slowWeights, 'moving statistics after one forward pass');
    } finally {
      fast.dispose();
      slow.dispose();
      fullModel.dispose();
    }
    bareModel.dispose();
  });

  it('after training, evaluate equals the tf.js model of the same layers with the fast step weights', () => {
    const { fast, dispose } = bothSteps({ ...testCase, optimizer: { name: 'adam', learningRate: 0.02 } });
    try {
      expect(fast).toBeInstanceOf(DenseStep);
      for (let step = 0; step < 6; step++) fast.step(batchFor(testCase, 60 + step));
      const batch = batchFor(testCase, 70);
      const { outputs } = fast.evaluate(batch.x, batch.targets, ROWS);
      const model = buildModel({ version: 1, layers: bare }, [INPUTS], 1);
      applyWeights(model, fast.weights());
      const predicted = tf.tidy(() => (model.predict(tf.tensor2d(batch.x, [ROWS, INPUTS])) as tf.Tensor).dataSync());
      expectClose(outputs, predicted, 'outputs');
      model.dispose();
    } finally {
      dispose();
    }
  });
});

/** A run of 30 epochs on wasm with the task's default settings, and the note that says which step trained it. */
async function trainOnWasm(spec: ModelSpec, prepared: PreparedData) {
  const settings = { ...defaultTrainingSettings(prepared.preprocessor.task), backend: 'wasm' as const, epochs: 30 };
  const notes: string[] = [];
  const run = await train(spec, prepared, settings, {
    onEvent: (e) => {
      if (e.type === 'started') notes.push(e.backendNote);
    },
  });
  return { run, settings, note: notes[0] };
}

/** Fraction of rows whose sigmoid output falls on the side of 0.5 its label is on. */
function accuracyOf(step: TrainStep, split: SplitData, width: number): number {
  const { outputs } = step.evaluate(split.x, split.y, split.count);
  let right = 0;
  for (let i = 0; i < split.count; i++) if (outputs[i]! >= 0.5 === split.y[i]! >= 0.5) right++;
  expect(split.x.length).toBe(split.count * width);
  return right / split.count;
}

describe('BatchNormalization on a real dataset', () => {
  it('breast cancer: the fast step trains it, to the validation accuracy of the autodiff path', async () => {
    const { prepared } = await loadFixture('breast_cancer.csv', 'diagnosis');
    const width = prepared.preprocessor.inputShape[0]!;
    const spec: ModelSpec = { version: 1, layers: [dense(16, 'linear'), batchNorm(), relu, dense(1, 'sigmoid')] };

    const { run, settings, note } = await trainOnWasm(spec, prepared);
    expect(note).toContain('fast Dense step');
    const runAccuracy = run.finalValidation.valAccuracy!;
    expect(runAccuracy).toBeGreaterThanOrEqual(0.93);

    // Both paths from one initial model over the same shuffled batches, for as many epochs.
    const choice = (model: tf.Sequential) => ({
      spec,
      model,
      inputShape: [width],
      loss: 'binaryCrossentropy' as const,
      optimizer: settings.optimizer,
      dropoutPrng: createPrng(3),
    });
    const fastModel = buildModel(spec, [width], 5);
    const slowModel = buildModel(spec, [width], 5);
    const fast = chooseTrainStep(choice(fastModel));
    const slow = new AutodiffStep(choice(slowModel));
    expect(fast).toBeInstanceOf(DenseStep);
    const { x, y, count } = prepared.train;
    const order = Int32Array.from({ length: count }, (_, i) => i);
    const shuffle = createPrng(17);
    const batchX = new Float32Array(settings.batchSize * width);
    const batchY = new Float32Array(settings.batchSize);
    for (let epoch = 0; epoch < 30; epoch++) {
      for (let i = count - 1; i > 0; i--) {
        const j = Math.floor(shuffle.next() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (let start = 0; start < count; start += settings.batchSize) {
        const rows = Math.min(settings.batchSize, count - start);
        for (let r = 0; r < rows; r++) {
          const row = order[start + r]!;
          batchX.set(x.subarray(row * width, (row + 1) * width), r * width);
          batchY[r] = y[row]!;
        }
        const batch = { x: batchX, targets: batchY.subarray(0, rows), weights: null, rows };
        fast.step(batch);
        slow.step(batch);
      }
    }
    const fastAccuracy = accuracyOf(fast, prepared.validation, width);
    const slowAccuracy = accuracyOf(slow, prepared.validation, width);
    // At most one validation row on the other side of 0.5 after 30 epochs of float32 rounding.
    expect(Math.abs(fastAccuracy - slowAccuracy)).toBeLessThanOrEqual(1 / prepared.validation.count + 1e-9);
    expect(slowAccuracy).toBeGreaterThanOrEqual(0.93);
    expect(Math.abs(runAccuracy - slowAccuracy)).toBeLessThanOrEqual(0.03);
    fast.dispose();
    slow.dispose();
    fastModel.dispose();
    slowModel.dispose();
  }, 120_000);

  it('breast cancer without gamma or beta, which tf.js alone cannot train, trains on the fast step', async () => {
    const { prepared } = await loadFixture('breast_cancer.csv', 'diagnosis');
    const spec: ModelSpec = {
      version: 1,
      layers: [
        dense(16, 'linear'),
        batchNorm({ scale: false }),
        relu,
        layerNorm({ center: false }),
        dense(1, 'sigmoid'),
      ],
    };
    const { run, note } = await trainOnWasm(spec, prepared);
    expect(note).toContain('fast Dense step');
    expect(run.model.weights.filter((w) => w.layerIndex === 1).map((w) => w.name)).toEqual([
      'beta',
      'moving_mean',
      'moving_variance',
    ]);
    expect(run.finalValidation.valAccuracy).toBeGreaterThanOrEqual(0.93);
  }, 120_000);
});
