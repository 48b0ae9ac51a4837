/**
 * Training metrics are measured on the batches each epoch trains on, with the validation metrics' own code.
 * With shuffling off and one batch per epoch, epoch 1's training metrics are the metrics of the model's
 * predictions before its first update: predicted here independently from a model built with the same seed.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LayerSpec, ModelSpec } from '../../src-main/core/model/spec.js';
import {
  buildModel,
  createPrng,
  defaultTrainingSettings,
  predictRaw,
  selectBackend,
  train,
  validationMetrics,
} from '../../src-main/core/training/index.js';
import { ConvStep } from '../../src-main/core/training/conv-step.js';
import { trainingMetrics, trainingTwinOf } from '../../src-main/core/training/metrics.js';
import { chooseTrainStep, type BatchInput } from '../../src-main/core/training/train-step.js';
import type { TrainingSettings } from '../../src-main/core/training/types.js';
import { loadFixture } from './training-kit.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

const dense = (units: number, activation: string): LayerSpec =>
  ({ className: 'Dense', config: { units, activation } }) as LayerSpec;

/** The benchmark's digits network, which the fast convolution step covers. */
const DIGITS_NET: ModelSpec = {
  version: 1,
  layers: [
    { className: 'Reshape', config: { targetShape: [8, 8, 1] } },
    { className: 'Conv2D', config: { filters: 6, kernelSize: 3, activation: 'relu' } },
    { className: 'MaxPooling2D', config: { poolSize: 2 } },
    { className: 'Flatten', config: {} },
    { className: 'Dense', config: { units: 10, activation: 'softmax' } },
  ],
} as ModelSpec;

function oneBatchSettings(rows: number): TrainingSettings {
  const settings = defaultTrainingSettings({ kind: 'binary', target: 't' });
  return {
    ...settings,
    epochs: 2,
    batchSize: rows,
    shuffle: false,
    backend: 'wasm',
    earlyStopping: { ...settings.earlyStopping, enabled: false },
  };
}

describe('training metrics on the epoch’s batches', () => {
  const cases: Array<{ path: string; hidden: string; fixture: string; target: string; expected: string[] }> = [
    { path: 'fast Dense', hidden: 'relu', fixture: 'iris.csv', target: 'species', expected: ['accuracy', 'f1'] },
    { path: 'autodiff', hidden: 'softplus', fixture: 'iris.csv', target: 'species', expected: ['accuracy', 'f1'] },
    {
      path: 'fast Dense',
      hidden: 'relu',
      fixture: 'diabetes.csv',
      target: 'progression',
      expected: ['mae', 'rmse', 'r2'],
    },
    { path: 'autodiff', hidden: 'softplus', fixture: 'diabetes.csv', target: 'progression', expected: ['mae', 'r2'] },
  ];

  for (const c of cases) {
    it(`${c.path} step, ${c.fixture}: epoch 1 equals the metrics of the pre-update predictions`, async () => {
      const { prepared } = await loadFixture(c.fixture, c.target);
      const task = prepared.preprocessor.task;
      const outputs = task.kind === 'regression' ? 1 : task.labels!.length;
      const spec: ModelSpec = {
        version: 1,
        layers: [dense(8, c.hidden), dense(outputs, task.kind === 'regression' ? 'linear' : 'softmax')],
      };
      const settings = oneBatchSettings(prepared.train.count);
      let note = '';
      const result = await train(spec, prepared, settings, {
        onEvent: (e) => {
          if (e.type === 'started') note = e.backendNote;
        },
      });
      expect(note).toContain(c.path === 'autodiff' ? 'autodiff' : 'fast Dense');
      const first = result.history[0]!.metrics;

      const model = buildModel(spec, prepared.preprocessor.inputShape, settings.seed);
      const before = predictRaw(model, prepared.train.x, prepared.train.count);
      model.dispose();
      const expected = trainingMetrics(
        task,
        before,
        prepared.train.y,
        prepared.train.count,
        outputs,
        prepared.preprocessor.targetScale,
      );
      for (const name of c.expected) {
        expect(first[name as keyof typeof first], name).toBeCloseTo(expected[name as keyof typeof expected]!, 4);
      }
      // Every validation metric has its training twin, in every epoch.
      for (const record of result.history) {
        for (const name of Object.keys(record.metrics).filter((n) => n.startsWith('val') && n !== 'valLoss')) {
          expect(record.metrics[trainingTwinOf(name as never)], name).toBeTypeOf('number');
        }
      }
      // The second epoch trains on updated weights, so its training metrics are not the first's.
      expect(result.history[1]!.metrics).not.toEqual(first);
    });
  }

  it('fast convolution step, digits.csv: epoch 1 equals the metrics and loss of the pre-update predictions', async () => {
    const { prepared } = await loadFixture('digits.csv', 'digit');
    const task = prepared.preprocessor.task;
    const classes = task.labels!.length;
    const settings = oneBatchSettings(prepared.train.count);
    let note = '';
    const result = await train(DIGITS_NET, prepared, settings, {
      onEvent: (e) => {
        if (e.type === 'started') note = e.backendNote;
      },
    });
    expect(note).toContain('fast convolution step');
    const first = result.history[0]!.metrics;

    const model = buildModel(DIGITS_NET, prepared.preprocessor.inputShape, settings.seed);
    const count = prepared.train.count;
    const before = predictRaw(model, prepared.train.x, count);
    model.dispose();
    const expected = trainingMetrics(task, before, prepared.train.y, count, classes);
    for (const name of ['accuracy', 'precision', 'recall', 'f1'] as const) {
      expect(first[name], name).toBeTypeOf('number');
      expect(first[name], name).toBeCloseTo(expected[name]!, 4);
    }
    // One batch: the epoch's loss is the cross-entropy of those same predictions (tf.js clips at 1e-7).
    let crossEntropy = 0;
    for (let r = 0; r < count; r++) {
      const p = before[r * classes + prepared.train.y[r]!]!;
      crossEntropy -= Math.log(Math.min(Math.max(p, 1e-7), 1 - 1e-7));
    }
    expect(first.loss).toBeCloseTo(crossEntropy / count, 4);
    for (const record of result.history) {
      for (const name of Object.keys(record.metrics).filter((n) => n.startsWith('val') && n !== 'valLoss')) {
        expect(record.metrics[trainingTwinOf(name as never)], name).toBeTypeOf('number');
      }
    }
    expect(result.history[1]!.metrics.accuracy).not.toBe(first.accuracy);
  });

  it('fast convolution step: the outputs it hands back are the forward pass before the update', async () => {
    const { prepared } = await loadFixture('digits.csv', 'digit');
    const inputShape = prepared.preprocessor.inputShape;
    const classes = prepared.preprocessor.task.labels!.length;
    const rows = 48;
    const rowSize = inputShape.reduce((a, b) => a * b, 1);
    const targets = new Float32Array(rows * classes);
    for (let r = 0; r < rows; r++) targets[r * classes + prepared.train.y[r]!] = 1;
    const batch: BatchInput = { x: prepared.train.x.subarray(0, rows * rowSize), targets, weights: null, rows };
    const choice = (model: tf.Sequential) => ({
      spec: DIGITS_NET,
      model,
      inputShape,
      loss: 'categoricalCrossentropy' as const,
      optimizer: { name: 'adam' as const, learningRate: 0.01 },
      dropoutPrng: createPrng(3),
    });
    const model = buildModel(DIGITS_NET, inputShape, 5);
    const twinModel = buildModel(DIGITS_NET, inputShape, 5);
    const step = chooseTrainStep(choice(model));
    const twin = chooseTrainStep(choice(twinModel));
    try {
      expect(step).toBeInstanceOf(ConvStep);
      const reference = predictRaw(model, batch.x, rows);
      const outputs = new Float32Array(rows * classes).fill(NaN);
      const value = step.stepWithOutputs!(batch, outputs);
      let worst = 0;
      for (let i = 0; i < outputs.length; i++) worst = Math.max(worst, Math.abs(outputs[i]! - reference[i]!));
      expect(worst).toBeLessThanOrEqual(1e-5);
      // Handing the outputs back changes nothing else: the same objective and the same update as step().
      expect(value).toBe(twin.step(batch));
      const updated = step.weights();
      twin.weights().forEach((w, i) => expect(Array.from(updated[i]!.values)).toEqual(Array.from(w.values)));
      // And they are the outputs before the update: the next forward pass differs.
      const after = step.evaluate(batch.x, targets, rows).outputs;
      expect(after.some((v, i) => Math.abs(v - outputs[i]!) > 1e-4)).toBe(true);
    } finally {
      step.dispose();
      twin.dispose();
      model.dispose();
      twinModel.dispose();
    }
  });

  it('names each training metric after its validation twin, computed by the same code', () => {
    const task = { kind: 'binary' as const, target: 't', labels: ['no', 'yes'] };
    const outputs = Float32Array.from([0.9, 0.2, 0.6, 0.4]);
    const y = Float32Array.from([1, 0, 0, 0]);
    const val = validationMetrics(task, outputs, y, 4, 1);
    const training = trainingMetrics(task, outputs, y, 4, 1);
    expect(training).toEqual({
      accuracy: val.valAccuracy,
      precision: val.valPrecision,
      recall: val.valRecall,
      f1: val.valF1,
    });
    expect(training.accuracy).toBe(0.75);
    expect(trainingTwinOf('valR2')).toBe('r2');
    expect(trainingTwinOf('valLoss')).toBe('loss');
  });
});
