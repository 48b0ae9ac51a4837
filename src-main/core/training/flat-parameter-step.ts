/**
 * What the two fast steps (dense-step.ts, conv-step.ts) share around their own forward and backward passes:
 * every trainable weight in one flat array, so that one fused optimizer update moves them all whatever the
 * optimizer; the batch's objective (loss plus L1/L2 penalties) and its gradient; chunked evaluation; plain
 * copies of the weights in the model's order; and scratch arrays reused from batch to batch.
 */
import * as tf from '@tensorflow/tfjs';
import type { ConcreteLoss } from './defaults.js';
import { addPenaltyGradient, penaltyValue } from './fast-math.js';
import { flatOptimizer, type FlatOptimizer } from './flat-optimizers.js';
import { lossAndGradient } from './loss-gradient.js';
import type { Prng } from './prng.js';
import type { BatchInput, Evaluation, TrainStep } from './step-types.js';
import type { OptimizerSettings, WeightTensor } from './types.js';
import type { PenalizedSlot, PlacedWeight, WeightLayout } from './weight-layout.js';

export interface FastStepOptions<Plan> {
  plan: Plan;
  /** The model's initial weights (extractWeights of the built model), so both paths start alike. */
  initialWeights: WeightTensor[];
  loss: ConcreteLoss;
  optimizer: OptimizerSettings;
  dropoutPrng: Prng;
}

/** Values per row going in and coming out. */
interface RowWidths {
  inputWidth: number;
  outputWidth: number;
}

/** `Pass` is what a training forward pass leaves for the backward pass. */
export abstract class FlatParameterStep<Plan extends RowWidths, Pass> implements TrainStep {
  abstract readonly description: string;
  protected readonly plan: Plan;
  protected readonly dropoutPrng: Prng;
  protected readonly params: Float32Array;
  protected readonly grads: Float32Array;
  /** Weights no optimizer updates: BatchNormalization's moving mean and variance. */
  protected readonly state: Float32Array;
  private readonly loss: ConcreteLoss;
  private readonly placed: readonly PlacedWeight[];
  private readonly penalized: readonly PenalizedSlot[];
  private readonly optimizer: FlatOptimizer;
  /** Rows per forward pass in evaluate. */
  private readonly evalChunk: number;
  private readonly scratch = new Map<string, Float32Array>();

  protected constructor(options: FastStepOptions<Plan>, layout: WeightLayout, evalChunk: number) {
    this.plan = options.plan;
    this.loss = options.loss;
    this.dropoutPrng = options.dropoutPrng;
    this.placed = layout.placed;
    this.penalized = layout.penalized;
    this.params = new Float32Array(layout.parameterSize);
    this.grads = new Float32Array(layout.parameterSize);
    this.state = new Float32Array(layout.stateSize);
    for (const { weight, offset, trainable } of layout.placed)
      (trainable ? this.params : this.state).set(weight.values, offset);
    this.optimizer = flatOptimizer(options.optimizer, layout.parameterSize, tf.backend().epsilon());
    this.evalChunk = evalChunk;
  }

  /** Runs the stages in training mode on `rows` rows of `x`. */
  protected abstract trainingForward(x: Float32Array, rows: number): Pass;

  /** The pass's final outputs: exactly rows × outputWidth values. */
  protected abstract outputsOf(pass: Pass): Float32Array;

  /** Puts d(loss)/d(parameters) in `grads` (zeroed before) from d(loss)/d(outputs); the penalties' share comes after. */
  protected abstract backward(pass: Pass, dOutput: Float32Array, rows: number): void;

  /** Frees what the pass holds beyond the scratch arrays. */
  protected release(_pass: Pass): void {}

  /** The inference outputs of `rows` rows of `x`. */
  protected abstract predict(x: Float32Array, rows: number): Float32Array;

  /** Called after `params` changed in place, for anything derived from them. */
  protected parametersChanged(): void {}

  get learningRate(): number {
    return this.optimizer.learningRate;
  }

  set learningRate(value: number) {
    this.optimizer.learningRate = value;
  }

  step(batch: BatchInput): number {
    return this.stepWithOutputs(batch, null);
  }

  stepWithOutputs(batch: BatchInput, outputs: Float32Array | null): number {
    const value = this.gradient(batch, outputs);
    this.optimizer.apply(this.params, this.grads);
    this.parametersChanged();
    return value;
  }

  /**
   * The objective of one batch; leaves d(objective)/d(parameters) in `grads` (exposed for the tests), and the
   * forward outputs in `keepOutputs` when given.
   */
  gradient(batch: BatchInput, keepOutputs: Float32Array | null = null): number {
    const { rows } = batch;
    const pass = this.trainingForward(batch.x.subarray(0, rows * this.plan.inputWidth), rows);
    try {
      const outputs = this.outputsOf(pass);
      keepOutputs?.set(outputs);
      const width = this.plan.outputWidth;
      const dOutput = this.buffer('dOutput', rows * width);
      const total = lossAndGradient(this.loss, outputs, batch.targets, rows, width, batch.weights, dOutput, 1 / rows);
      this.grads.fill(0);
      this.backward(pass, dOutput, rows);
      for (const { offset, size, penalty } of this.penalized)
        addPenaltyGradient(this.params, this.grads, offset, size, penalty);
      return total / rows + this.penalties();
    } finally {
      this.release(pass);
    }
  }

  /** The gradient of the last `gradient` call for each trainable weight, in weights() order. */
  lastGradients(): WeightTensor[] {
    return this.copyOut((trainable) => (trainable ? this.grads : null));
  }

  evaluate(x: Float32Array, targets: Float32Array, count: number): Evaluation {
    const { inputWidth, outputWidth: width } = this.plan;
    const outputs = new Float32Array(count * width);
    let lossSum = 0;
    for (let start = 0; start < count; start += this.evalChunk) {
      const n = Math.min(this.evalChunk, count - start);
      const chunk = outputs.subarray(start * width, (start + n) * width);
      chunk.set(this.predict(x.subarray(start * inputWidth, (start + n) * inputWidth), n));
      const chunkTargets = targets.subarray(start * width, (start + n) * width);
      lossSum += lossAndGradient(this.loss, chunk, chunkTargets, n, width, null, null);
    }
    return { outputs, loss: count ? lossSum / count : 0 };
  }

  weights(): WeightTensor[] {
    return this.copyOut((trainable) => (trainable ? this.params : this.state));
  }

  restore(weights: WeightTensor[]): void {
    for (const { weight, offset, trainable } of this.placed) {
      const found = weights.find((w) => w.layerIndex === weight.layerIndex && w.name === weight.name);
      if (found) (trainable ? this.params : this.state).set(found.values, offset);
    }
    this.parametersChanged();
  }

  dispose(): void {
    this.scratch.clear();
  }

  /** A reusable array of at least `size` numbers, viewed at exactly `size`. */
  protected buffer(name: string, size: number): Float32Array {
    let array = this.scratch.get(name);
    if (!array || array.length < size) {
      array = new Float32Array(size);
      this.scratch.set(name, array);
    }
    return array.length === size ? array : array.subarray(0, size);
  }

  /** tf.js' l1l2 regularizers of every penalized weight, added up. */
  private penalties(): number {
    let total = 0;
    for (const { offset, size, penalty } of this.penalized) total += penaltyValue(this.params, offset, size, penalty);
    return total;
  }

  /** Copies of the weights whose store `from` names, in the model's weight order. */
  private copyOut(from: (trainable: boolean) => Float32Array | null): WeightTensor[] {
    return this.placed.flatMap(({ weight, offset, trainable }) => {
      const flat = from(trainable);
      if (!flat) return [];
      return [
        {
          layerIndex: weight.layerIndex,
          name: weight.name,
          shape: [...weight.shape],
          values: flat.slice(offset, offset + weight.values.length),
        },
      ];
    });
  }
}
