/**
 * The step-through shows tf.js' own numbers: a model built separately from the same weights gives the same layer
 * outputs (one model whose outputs are every layer), and tf.js gradients of the row's loss taken on that model
 * give the same gradients for every weight and for the input. "Next batch" moves the weights exactly as one step
 * of a tf.js optimizer on that batch does. A row outside the training split is refused with a message.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExampleStepper } from '../../src-main/core/insight/example-trace.js';
import type { ExampleTrace } from '../../src-main/core/insight/example-trace-types.js';
import type { LayerSpec, ModelSpec } from '../../src-main/core/model/spec.js';
import {
  applyWeights,
  buildModel,
  defaultTrainingSettings,
  extractWeights,
  selectBackend,
} from '../../src-main/core/training/index.js';
import type { TrainingSettings } from '../../src-main/core/training/types.js';
import { loadFixture, type Fixture } from './training-kit.js';

let moons: Fixture;

beforeAll(async () => {
  await selectBackend('cpu');
  moons = await loadFixture('moons.csv', 'moon');
});

const dense = (units: number, activation: string): LayerSpec =>
  ({ className: 'Dense', config: { units, activation } }) as LayerSpec;

const MLP: ModelSpec = { version: 1, layers: [dense(8, 'relu'), dense(6, 'tanh'), dense(1, 'sigmoid')] };
const WITH_DROPOUT_AND_NORM: ModelSpec = {
  version: 1,
  layers: [
    dense(8, 'elu'),
    { className: 'BatchNormalization', config: {} } as LayerSpec,
    { className: 'Dropout', config: { rate: 0.5 } } as LayerSpec,
    dense(1, 'sigmoid'),
  ],
};

function settingsWith(change: Partial<TrainingSettings> = {}): TrainingSettings {
  return { ...defaultTrainingSettings(moons.prepared.preprocessor.task), shuffle: false, ...change };
}

function stepperFor(spec: ModelSpec, settings = settingsWith()): ExampleStepper {
  return new ExampleStepper({
    spec,
    prepared: moons.prepared,
    settings,
    weights: null,
    origin: { kind: 'initial', runId: null },
  });
}

/** Binary cross-entropy written out here, clipped as Keras clips it. */
function bce(target: number, p: tf.Tensor): tf.Scalar {
  const q = tf.clipByValue(p, 1e-7, 1 - 1e-7);
  return tf.neg(tf.add(tf.mul(target, tf.log(q)), tf.mul(1 - target, tf.log(tf.sub(1, q))))).sum() as tf.Scalar;
}

function expectClose(actual: number[], expected: ArrayLike<number>, tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((value, i) => {
    expect(Number.isFinite(value)).toBe(true);
    expect(Math.abs(value - expected[i]!)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected[i]!)));
  });
}

/** The trace's weights as the plain tensors build-model writes. */
function weightsOf(trace: ExampleTrace) {
  return trace.layers.flatMap((layer) =>
    layer.params.map((p) => ({
      layerIndex: layer.index,
      name: p.name,
      shape: p.shape,
      values: Float32Array.from(p.values),
    })),
  );
}

function checkAgainstTfjs(spec: ModelSpec, row: number): ExampleTrace {
  const stepper = stepperFor(spec);
  try {
    const trace = stepper.trace(row);
    const pre = moons.prepared.preprocessor;
    const model = buildModel(spec, pre.inputShape, 7);
    applyWeights(model, weightsOf(trace));
    const everyLayer = tf.model({
      inputs: model.inputs,
      outputs: model.layers.map((l) => l.output as tf.SymbolicTensor),
    });
    const i = trace.trainIndex;
    const width = pre.inputShape[0]!;
    const x = tf.tensor2d(moons.prepared.train.x.slice(i * width, (i + 1) * width), [1, width]);
    const target = moons.prepared.train.y[i]!;
    expectClose(trace.layers[0]!.input, x.dataSync());

    const outputs = everyLayer.predict(x) as tf.Tensor[];
    outputs.forEach((out, k) => expectClose(trace.layers[k]!.output, out.dataSync()));
    const p = outputs.at(-1)!;
    expect(trace.loss.value).toBeCloseTo(bce(target, p).dataSync()[0]!, 5);

    const lossOf = (input: tf.Tensor) => bce(target, model.apply(input, { training: false }) as tf.Tensor);
    expectClose(trace.layers[0]!.gradients.input, tf.grad(lossOf)(x).dataSync());
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(() => lossOf(x), variables);
    let checked = 0;
    for (const layer of model.layers) {
      const traced = trace.layers[model.layers.indexOf(layer)]!;
      for (const weight of layer.trainableWeights) {
        const variable = weight.read() as tf.Variable;
        const param = traced.params.find((candidate) => weight.originalName.endsWith(`/${candidate.name}`))!;
        expectClose(param.gradient!, grads[variable.name]!.dataSync());
        checked++;
      }
    }
    expect(checked).toBe(model.trainableWeights.length);
    // At least one gradient is not zero: the row does teach the model something.
    expect(trace.layers.some((l) => l.params.some((p) => p.gradient?.some((g) => g !== 0)))).toBe(true);
    model.dispose();
    return trace;
  } finally {
    stepper.dispose();
  }
}

describe('the step-through of one row', () => {
  it('gives tf.js own forward values, loss and gradients for a Dense MLP', () => {
    const row = moons.prepared.train.rows[3]! + 1;
    const trace = checkAgainstTfjs(MLP, row);
    expect(trace.row).toBe(row);
    expect(trace.features.map((f) => f.name)).toEqual(['x1', 'x2']);
    expect(['upper', 'lower']).toContain(trace.target.label);
    // z = Wx + b, a = relu(z) for the first layer.
    const first = trace.layers[0]!;
    expect(first.activation).toBe('relu');
    expectClose(
      first.output,
      first.z!.map((z) => Math.max(0, z)),
    );
    // ∂loss/∂z = ∂loss/∂a · relu'(z).
    expectClose(
      first.gradients.z!,
      first.gradients.output.map((g, j) => (first.z![j]! > 0 ? g : 0)),
    );
  });

  it('keeps Dropout inactive and uses BatchNormalization moving statistics', () => {
    const trace = checkAgainstTfjs(WITH_DROPOUT_AND_NORM, moons.prepared.train.rows[0]! + 1);
    expectClose(trace.layers[2]!.output, trace.layers[2]!.input);
    expect(trace.layers[1]!.params.find((p) => p.name === 'moving_mean')!.gradient).toBeNull();
  });

  it('refuses a row outside the training split with a message that says why', () => {
    const stepper = stepperFor(MLP);
    try {
      const validationRow = moons.prepared.validation.rows[0]! + 1;
      expect(() => stepper.trace(validationRow)).toThrow(`Row ${validationRow} is in the validation split`);
      expect(() => stepper.trace(100000)).toThrow('Row 100000 is not a row of the training split');
    } finally {
      stepper.dispose();
    }
  });
});

describe('next batch', () => {
  for (const optimizer of [
    { name: 'adam', learningRate: 0.01 },
    { name: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true },
  ] as const) {
    it(`changes the weights as one tf.js ${optimizer.name} step on that batch does`, () => {
      const settings = settingsWith({ optimizer, batchSize: 16 });
      const stepper = stepperFor(MLP, settings);
      try {
        const row = moons.prepared.train.rows[0]! + 1;
        const before = stepper.trace(row);
        const step = stepper.stepBatch(row);
        expect(step.batch).toBe(0);
        expect(step.rows).toEqual({ from: 0, to: 15 });
        expect(step.rowLoss.before).toBeCloseTo(before.loss.value, 6);
        expect(step.rowLoss.after).not.toBe(step.rowLoss.before);
        expect(step.trace.weights).toEqual({ kind: 'stepped', batches: 1 });

        // The same step, taken here with a tf.js optimizer on a separately built model.
        const pre = moons.prepared.preprocessor;
        const model = buildModel(MLP, pre.inputShape, 99);
        applyWeights(model, weightsOf(before));
        const x = tf.tensor2d(moons.prepared.train.x.slice(0, 16 * 2), [16, 2]);
        const t = tf.tensor2d(moons.prepared.train.y.slice(0, 16), [16, 1]);
        const tfOptimizer =
          optimizer.name === 'adam'
            ? tf.train.adam(optimizer.learningRate)
            : tf.train.momentum(optimizer.learningRate, optimizer.momentum, optimizer.nesterov);
        tfOptimizer.minimize(() => {
          const p = tf.clipByValue(model.apply(x, { training: true }) as tf.Tensor, 1e-7, 1 - 1e-7);
          const perRow = tf.neg(tf.add(tf.mul(t, tf.log(p)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, p)))));
          return tf.mean(perRow) as tf.Scalar;
        });
        const expected = extractWeights(model);
        const actual = weightsOf(step.trace);
        expect(actual.length).toBe(expected.length);
        expected.forEach((w, k) => expectClose(Array.from(actual[k]!.values), w.values, 1e-6));
        // The weights did move.
        expect(actual.some((w, k) => w.values.some((v, j) => v !== weightsOf(before)[k]!.values[j]))).toBe(true);
        tfOptimizer.dispose();
        model.dispose();
      } finally {
        stepper.dispose();
      }
    });
  }

  it('shows the update SGD makes for the row: −learning rate × gradient', () => {
    const stepper = stepperFor(MLP, settingsWith({ optimizer: { name: 'sgd', learningRate: 0.05 } }));
    try {
      const trace = stepper.trace(moons.prepared.train.rows[5]! + 1);
      const kernel = trace.layers[0]!.params.find((p) => p.name === 'kernel')!;
      expectClose(
        kernel.update!,
        kernel.gradient!.map((g) => -0.05 * g),
        1e-6,
      );
    } finally {
      stepper.dispose();
    }
  });
});
