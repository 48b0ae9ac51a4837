/**
 * What the fast-step tests share: small seeded batches, the fast and the autodiff step built alike from one
 * spec, tf.js' own gradients as the reference, and comparisons within float32 tolerance.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import type { LayerSpec, ModelSpec } from '../../src-main/core/model/spec.js';
import { buildModel, createPrng } from '../../src-main/core/training/index.js';
import type { ConcreteLoss } from '../../src-main/core/training/defaults.js';
import type { FlatParameterStep } from '../../src-main/core/training/flat-parameter-step.js';
import {
  AutodiffStep,
  chooseTrainStep,
  type BatchInput,
  type TrainStep,
} from '../../src-main/core/training/train-step.js';
import type { OptimizerSettings, WeightTensor } from '../../src-main/core/training/types.js';

export const INPUTS = 6;
export const ROWS = 24;

export interface Case {
  name: string;
  layers: LayerSpec[];
  loss: ConcreteLoss;
  optimizer?: OptimizerSettings;
  sampleWeights?: boolean;
  /** The input shape of a row; [INPUTS] unless given. */
  inputShape?: number[];
}

export const shapeOf = (testCase: Case): number[] => testCase.inputShape ?? [INPUTS];

export const dense = (units: number, activation: string, extra: object = {}): LayerSpec =>
  ({ className: 'Dense', config: { units, activation, ...extra } }) as LayerSpec;

export function batchFor(testCase: Case, seed: number): BatchInput {
  const prng = createPrng(seed);
  const rowSize = shapeOf(testCase).reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: ROWS * rowSize }, () => prng.next() * 4 - 2);
  const lastUnits = (testCase.layers.filter((l) => l.className === 'Dense').at(-1)!.config as { units: number }).units;
  const targets = new Float32Array(ROWS * lastUnits);
  for (let r = 0; r < ROWS; r++) {
    if (testCase.loss === 'categoricalCrossentropy' || testCase.loss === 'sparseCategoricalCrossentropy') {
      targets[r * lastUnits + Math.floor(prng.next() * lastUnits)] = 1;
    } else if (testCase.loss === 'binaryCrossentropy') {
      targets[r] = prng.next() > 0.5 ? 1 : 0;
    } else {
      for (let k = 0; k < lastUnits; k++) targets[r * lastUnits + k] = prng.next() * 3 - 1.5;
    }
  }
  const weights = testCase.sampleWeights ? Float32Array.from({ length: ROWS }, () => 0.5 + prng.next()) : null;
  return { x, targets, weights, rows: ROWS };
}

export function bothSteps(testCase: Case) {
  const spec: ModelSpec = { version: 1, layers: testCase.layers };
  const optimizer = testCase.optimizer ?? { name: 'adam', learningRate: 0.01 };
  const make = (model: tf.Sequential) => ({
    spec,
    model,
    inputShape: shapeOf(testCase),
    loss: testCase.loss,
    optimizer,
    dropoutPrng: createPrng(3),
  });
  const fastModel = buildModel(spec, shapeOf(testCase), 11);
  const slowModel = buildModel(spec, shapeOf(testCase), 11);
  const fast = chooseTrainStep(make(fastModel));
  const slow = new AutodiffStep(make(slowModel));
  const dispose = () => {
    fast.dispose();
    slow.dispose();
    fastModel.dispose();
    slowModel.dispose();
  };
  return { fast, slow, slowModel, dispose };
}

type FastStep = FlatParameterStep<{ inputWidth: number; outputWidth: number }, unknown>;

/**
 * Builds both steps for the case and checks that the fast one is a `kind` and computes tf.js' objective and
 * gradient of every trainable weight on one batch; `more` checks whatever else the caller wants of the same
 * steps before they are disposed.
 */
export function expectAutodiffGradients(
  testCase: Case,
  kind: abstract new (...args: never[]) => FastStep,
  more?: (steps: ReturnType<typeof bothSteps>) => void,
): void {
  const steps = bothSteps(testCase);
  const { fast, slow, slowModel, dispose } = steps;
  try {
    expect(fast).toBeInstanceOf(kind);
    const batch = batchFor(testCase, 5);
    const reference = autodiffGradients(slow, slowModel, batch);
    expect((fast as FastStep).gradient(batch)).toBeCloseTo(reference.value, 5);
    const grads = (fast as FastStep).lastGradients();
    expect(grads.map((g) => g.name)).toEqual(slowModel.trainableWeights.map((w) => w.originalName.split('/').pop()));
    grads.forEach((g, i) => expectClose(g.values, reference.grads[i]!, `${testCase.name} ${g.layerIndex}/${g.name}`));
    more?.(steps);
  } finally {
    dispose();
  }
}

/** Steps both through `count` batches (seeds from `firstSeed` on), checking that their objectives agree. */
export function stepBothAlike(fast: TrainStep, slow: TrainStep, testCase: Case, count = 6, firstSeed = 100): void {
  for (let step = 0; step < count; step++) {
    const batch = batchFor(testCase, firstSeed + step);
    const fastLoss = fast.step(batch);
    const slowLoss = slow.step(batch);
    expect(Math.abs(fastLoss - slowLoss)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(slowLoss)));
  }
}

/** Both steps evaluate the batch of `seed` to the same outputs and loss; returns the batch and the fast step's outputs. */
export function expectSameEvaluation(
  fast: TrainStep,
  slow: TrainStep,
  testCase: Case,
  seed: number,
  { label = 'outputs', tolerance = 2e-5, lossDigits = 5 } = {},
): { batch: BatchInput; outputs: Float32Array } {
  const batch = batchFor(testCase, seed);
  const a = fast.evaluate(batch.x, batch.targets, ROWS);
  const b = slow.evaluate(batch.x, batch.targets, ROWS);
  expectClose(a.outputs, b.outputs, label, tolerance);
  expect(a.loss).toBeCloseTo(b.loss, lossDigits);
  return { batch, outputs: a.outputs };
}

export function autodiffGradients(step: AutodiffStep, model: tf.Sequential, batch: BatchInput) {
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => step.objective(batch), variables);
  const result = {
    value: value.dataSync()[0]!,
    grads: model.trainableWeights.map((w) => Float32Array.from(grads[(w.read() as tf.Variable).name]!.dataSync())),
  };
  tf.dispose([value, ...Object.values(grads)]);
  return result;
}

export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  label: string,
  tolerance = 2e-5,
): void {
  expect(actual.length, label).toBe(expected.length);
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst, `${label}: largest difference ${worst} (largest value ${scale})`).toBeLessThanOrEqual(
    tolerance * Math.max(1, scale),
  );
}

export function expectSameWeights(fast: WeightTensor[], slow: WeightTensor[], label: string, tolerance?: number): void {
  expect(fast.map((w) => `${w.layerIndex}/${w.name}`)).toEqual(slow.map((w) => `${w.layerIndex}/${w.name}`));
  fast.forEach((w, i) => expectClose(w.values, slow[i]!.values, `${label} ${w.layerIndex}/${w.name}`, tolerance));
}

export const OPTIMIZER_CASES: OptimizerSettings[] = [
  { name: 'sgd', learningRate: 0.1 },
  { name: 'sgd', learningRate: 0.05, momentum: 0.9 },
  { name: 'sgd', learningRate: 0.05, momentum: 0.9, nesterov: true },
  { name: 'adam', learningRate: 0.01 },
  { name: 'rmsprop', learningRate: 0.01 },
  { name: 'adagrad', learningRate: 0.1 },
  { name: 'adadelta', learningRate: 1 },
  { name: 'adamax', learningRate: 0.02 },
];

export function optimizerLabel(optimizer: OptimizerSettings): string {
  return `${optimizer.name}${optimizer.momentum ? ` momentum ${optimizer.momentum}` : ''}${optimizer.nesterov ? ' nesterov' : ''}`;
}
