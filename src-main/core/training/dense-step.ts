/**
 * The fast training step for Dense stacks (dense-plan.ts says which). The backward pass is written out by
 * hand instead of recorded on tf.js' tape: the backend does only the matrix products (forward with the
 * bias and activation fused in, then the two gradient products per layer), while the loss and its
 * gradient, the activation derivatives, dropout, the normalization layers and the optimizer update run
 * as plain loops on Float32Arrays that are reused from batch to batch. All trainable parameters live in
 * one flat array, so the update is one pass whatever the optimizer; BatchNormalization's moving
 * statistics live in a second one that only the forward pass moves. A three-layer MLP step is about
 * 15 kernels instead of 223.
 */
import * as tf from '@tensorflow/tfjs';
import type { ConcreteLoss } from './defaults.js';
import type { DensePlan, DenseStage, FastActivation, FlatStage, NormStage } from './dense-plan.js';
import { flatOptimizer, type FlatOptimizer } from './flat-optimizers.js';
import { activationBackward, addPenaltyGradient, penaltyValue } from './fast-math.js';
import { lossAndGradient } from './loss-gradient.js';
import {
  groupingOf,
  normalizationBackward,
  normalizeByFeature,
  normalizeByGroups,
  scaleAndShift,
  updateMovingAverage,
  type NormalizedBatch,
} from './norm-math.js';
import type { Prng } from './prng.js';
import type { BatchInput, Evaluation, TrainStep } from './step-types.js';
import type { OptimizerSettings, WeightTensor } from './types.js';

const EVAL_CHUNK = 2048;

type FusedActivation = NonNullable<Parameters<typeof tf.fused.matMul>[0]['activation']>;

interface Slot {
  offset: number;
  size: number;
}

/** Where one Dense layer's kernel and bias sit in the flat parameter array. */
interface DenseSlots {
  kernel: Slot & { shape: [number, number] };
  bias: Slot | null;
}

/** Where a normalization layer's gamma and beta sit among the parameters, and its moving statistics in the state. */
interface NormSlots {
  gamma: Slot | null;
  beta: Slot | null;
  movingMean: Slot | null;
  movingVariance: Slot | null;
}

/** What the forward pass leaves for the backward pass, per stage. */
interface StageRecord {
  input: tf.Tensor2D;
  output: tf.Tensor2D;
  /** The stage's output as numbers, when its derivative or the loss needs them. */
  values: Float32Array | null;
  /** Dropout's kept-and-scaled mask. */
  mask: Float32Array | null;
  /** A normalization's normalized values and statistics, when training. */
  normalized?: NormalizedBatch;
}

export interface DenseStepOptions {
  plan: DensePlan;
  /** The model's initial weights (extractWeights of the built model), so both paths start alike. */
  initialWeights: WeightTensor[];
  loss: ConcreteLoss;
  optimizer: OptimizerSettings;
  dropoutPrng: Prng;
}

export class DenseStep implements TrainStep {
  readonly description = 'fast Dense step (hand-derived backward pass, one fused optimizer update)';
  private readonly plan: DensePlan;
  private readonly loss: ConcreteLoss;
  private readonly params: Float32Array;
  private readonly grads: Float32Array;
  /** Weights no optimizer updates: BatchNormalization's moving mean and variance. */
  private readonly state: Float32Array;
  private readonly slots: (DenseSlots | null)[];
  private readonly normSlots: (NormSlots | null)[];
  /** The first stage with trainable weights: the backward pass stops there. */
  private readonly firstTrained: number;
  private readonly layout: PlacedWeight[];
  private readonly optimizer: FlatOptimizer;
  private readonly dropoutPrng: Prng;
  private readonly fusable: ReadonlySet<FastActivation>;
  /** Kernel and bias tensors of the current parameters; null after an update until next needed. */
  private uploaded: ({ kernel: tf.Tensor2D; bias: tf.Tensor1D | null } | null)[] = [];
  private readonly scratch = new Map<string, Float32Array>();

  constructor(options: DenseStepOptions) {
    this.plan = options.plan;
    this.loss = options.loss;
    this.dropoutPrng = options.dropoutPrng;
    const { slots, normSlots, layout, size, stateSize } = layoutParameters(options.plan, options.initialWeights);
    this.slots = slots;
    this.normSlots = normSlots;
    this.firstTrained = options.plan.stages.findIndex(
      (stage) => stage.kind === 'dense' || (isNorm(stage) && (stage.center || stage.scale)),
    );
    this.layout = layout;
    this.params = new Float32Array(size);
    this.grads = new Float32Array(size);
    this.state = new Float32Array(stateSize);
    for (const { weight, offset, trainable } of layout)
      (trainable ? this.params : this.state).set(weight.values, offset);
    this.optimizer = flatOptimizer(options.optimizer, size, tf.backend().epsilon());
    // Every backend fuses relu into the product; wasm and cpu also fuse these, the others get a separate kernel.
    const backend = tf.getBackend();
    this.fusable = new Set<FastActivation>(
      backend === 'wasm' || backend === 'cpu' ? ['linear', 'relu', 'relu6', 'sigmoid', 'elu'] : ['linear', 'relu'],
    );
  }

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
    this.releaseUploads();
    return value;
  }

  /**
   * The objective of one batch; leaves d(objective)/d(parameters) in `grads` (exposed for the tests), and the
   * forward outputs in `keepOutputs` when given.
   */
  gradient(batch: BatchInput, keepOutputs: Float32Array | null = null): number {
    const { rows } = batch;
    const x = tf.tensor2d(batch.x.subarray(0, rows * this.plan.inputWidth), [rows, this.plan.inputWidth]);
    const records = this.forward(x, rows, true);
    try {
      const last = records[records.length - 1]!;
      const outputs = last.values ?? (last.output.dataSync() as Float32Array);
      const width = this.plan.outputWidth;
      keepOutputs?.set(outputs.subarray(0, rows * width));
      const dOutput = this.buffer('dOutput', rows * width);
      const total = lossAndGradient(this.loss, outputs, batch.targets, rows, width, batch.weights, dOutput, 1 / rows);
      this.grads.fill(0);
      this.backward(records, dOutput, rows);
      return total / rows + this.penalties();
    } finally {
      x.dispose();
      for (const r of records) {
        if (r.output !== x) r.output.dispose();
      }
    }
  }

  /** The gradient of the last `gradient` call for each trainable weight, in weights() order. */
  lastGradients(): WeightTensor[] {
    return this.copyOut((trainable) => (trainable ? this.grads : null));
  }

  evaluate(x: Float32Array, targets: Float32Array, count: number): Evaluation {
    const width = this.plan.outputWidth;
    const outputs = new Float32Array(count * width);
    let lossSum = 0;
    for (let start = 0; start < count; start += EVAL_CHUNK) {
      const n = Math.min(EVAL_CHUNK, count - start);
      const chunk = outputs.subarray(start * width, (start + n) * width);
      chunk.set(this.predictChunk(x.subarray(start * this.plan.inputWidth, (start + n) * this.plan.inputWidth), n));
      const chunkTargets = targets.subarray(start * width, (start + n) * width);
      lossSum += lossAndGradient(this.loss, chunk, chunkTargets, n, width, null, null);
    }
    return { outputs, loss: count ? lossSum / count : 0 };
  }

  weights(): WeightTensor[] {
    return this.copyOut((trainable) => (trainable ? this.params : this.state));
  }

  restore(weights: WeightTensor[]): void {
    for (const { weight, offset, trainable } of this.layout) {
      const found = weights.find((w) => w.layerIndex === weight.layerIndex && w.name === weight.name);
      if (found) (trainable ? this.params : this.state).set(found.values, offset);
    }
    this.releaseUploads();
  }

  /** Copies of the weights whose store `from` names, in the model's weight order. */
  private copyOut(from: (trainable: boolean) => Float32Array | null): WeightTensor[] {
    return this.layout.flatMap(({ weight, offset, trainable }) => {
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

  dispose(): void {
    this.releaseUploads();
  }

  private predictChunk(x: Float32Array, rows: number): Float32Array {
    const input = tf.tensor2d(x, [rows, this.plan.inputWidth]);
    const records = this.forward(input, rows, false);
    const last = records[records.length - 1]!;
    const values = last.output.dataSync() as Float32Array;
    input.dispose();
    for (const r of records) if (r.output !== input) r.output.dispose();
    return values;
  }

  private forward(x: tf.Tensor2D, rows: number, training: boolean): StageRecord[] {
    const records: StageRecord[] = [];
    let input = x;
    let inputValues: Float32Array | null = null;
    this.plan.stages.forEach((stage, index) => {
      const record = this.forwardStage(stage, index, input, inputValues, rows, training);
      records.push(record);
      input = record.output;
      inputValues = record.values;
    });
    return records;
  }

  private forwardStage(
    stage: FlatStage,
    index: number,
    input: tf.Tensor2D,
    inputValues: Float32Array | null,
    rows: number,
    training: boolean,
  ): StageRecord {
    const keep = training;
    switch (stage.kind) {
      case 'dense': {
        const { kernel, bias } = this.tensorsOf(index);
        const fused = (this.fusable.has(stage.activation) ? stage.activation : 'linear') as FusedActivation;
        let output = tf.fused.matMul({
          a: input,
          b: kernel,
          bias: bias ?? undefined,
          activation: fused,
        }) as tf.Tensor2D;
        if (fused !== stage.activation) {
          const linear = output;
          output = applyActivation(stage.activation, linear);
          linear.dispose();
        }
        const needValues = keep && stage.activation !== 'linear';
        return { input, output, values: needValues ? (output.dataSync() as Float32Array) : null, mask: null };
      }
      case 'activation': {
        const output = applyActivation(stage.activation, input);
        return { input, output, values: keep ? (output.dataSync() as Float32Array) : null, mask: null };
      }
      case 'dropout': {
        if (!training) return { input, output: input, values: inputValues, mask: null };
        const size = rows * stage.width;
        const source = inputValues ?? (input.dataSync() as Float32Array);
        const mask = this.buffer(`mask${index}`, size);
        const values = this.buffer(`dropped${index}`, size);
        // tf.js' dropout keeps a unit when a uniform draw is at least the rate, and scales kept units by 1/(1-rate).
        const scale = 1 / (1 - stage.rate);
        for (let i = 0; i < size; i++) {
          const m = this.dropoutPrng.next() >= stage.rate ? scale : 0;
          mask[i] = m;
          values[i] = source[i]! * m;
        }
        return { input, output: tf.tensor2d(values, [rows, stage.width]), values, mask };
      }
      case 'batchNorm':
      case 'layerNorm':
        return this.normForward(stage, index, input, inputValues, rows, training);
    }
  }

  /**
   * Training normalizes by the batch's (or row's) own statistics and moves BatchNormalization's moving
   * statistics toward the batch's; inference normalizes BatchNormalization by the moving ones.
   */
  private normForward(
    stage: NormStage,
    index: number,
    input: tf.Tensor2D,
    inputValues: Float32Array | null,
    rows: number,
    training: boolean,
  ): StageRecord {
    const { width, epsilon } = stage;
    const size = rows * width;
    const source = inputValues ?? (input.dataSync() as Float32Array);
    const slots = this.normSlots[index]!;
    const normalized = this.buffer(`normalized${index}`, size);
    let kept: NormalizedBatch | undefined;
    if (stage.kind === 'batchNorm' && !training) {
      const mean = slice(this.state, slots.movingMean)!;
      const variance = slice(this.state, slots.movingVariance)!;
      normalizeByFeature(source, rows, width, mean, variance, epsilon, normalized);
    } else {
      const grouping = groupingOf(stage.kind === 'batchNorm' ? 'batch' : 'row', rows, width);
      kept = { normalized, inverseStd: this.buffer(`inverseStd${index}`, grouping.groups) };
      const mean = this.buffer(`mean${index}`, grouping.groups);
      const variance = this.buffer(`variance${index}`, grouping.groups);
      normalizeByGroups(source, grouping, epsilon, kept, mean, variance);
      if (stage.kind === 'batchNorm') {
        updateMovingAverage(slice(this.state, slots.movingMean)!, mean, stage.momentum);
        updateMovingAverage(slice(this.state, slots.movingVariance)!, variance, stage.momentum);
      }
    }
    const values = this.buffer(`normed${index}`, size);
    scaleAndShift(normalized, rows, width, slice(this.params, slots.gamma), slice(this.params, slots.beta), values);
    return { input, output: tf.tensor2d(values, [rows, width]), values, mask: null, normalized: kept };
  }

  private backward(records: StageRecord[], dOutput: Float32Array, rows: number): void {
    const first = this.firstTrained;
    let upstream = dOutput;
    for (let index = this.plan.stages.length - 1; index >= first; index--) {
      const stage = this.plan.stages[index]!;
      const record = records[index]!;
      switch (stage.kind) {
        case 'dense': {
          const dz = activationBackward(
            stage.activation,
            upstream,
            record.values,
            rows,
            stage.units,
            this.buffer(`dz${index}`, rows * stage.units),
          );
          upstream = this.denseBackward(stage, index, record, dz, rows, index > first);
          break;
        }
        case 'activation':
          upstream = activationBackward(
            stage.activation,
            upstream,
            record.values,
            rows,
            stage.width,
            this.buffer(`da${index}`, rows * stage.width),
          );
          break;
        case 'dropout': {
          const mask = record.mask!;
          const out = this.buffer(`dd${index}`, rows * stage.width);
          for (let i = 0; i < rows * stage.width; i++) out[i] = upstream[i]! * mask[i]!;
          upstream = out;
          break;
        }
        case 'batchNorm':
        case 'layerNorm': {
          const slots = this.normSlots[index]!;
          const size = rows * stage.width;
          const dInput = index > first ? this.buffer(`dn${index}`, size) : null;
          normalizationBackward(
            upstream,
            record.normalized!,
            groupingOf(stage.kind === 'batchNorm' ? 'batch' : 'row', rows, stage.width),
            rows,
            stage.width,
            slice(this.params, slots.gamma),
            { gamma: slice(this.grads, slots.gamma), beta: slice(this.grads, slots.beta), input: dInput },
            this.buffer(`du${index}`, size),
          );
          if (dInput) upstream = dInput;
          break;
        }
      }
    }
  }

  /** Fills the layer's kernel and bias gradients; returns the gradient of its input when asked. */
  private denseBackward(
    stage: Extract<DenseStage, { kind: 'dense' }>,
    index: number,
    record: StageRecord,
    dz: Float32Array,
    rows: number,
    needInput: boolean,
  ): Float32Array {
    const slots = this.slots[index]!;
    const dzTensor = tf.tensor2d(dz.subarray(0, rows * stage.units), [rows, stage.units]);
    try {
      const dKernel = tf.matMul(record.input, dzTensor, true, false);
      this.grads.set(dKernel.dataSync() as Float32Array, slots.kernel.offset);
      dKernel.dispose();
      if (slots.bias) {
        const g = this.grads;
        const base = slots.bias.offset;
        for (let r = 0; r < rows; r++) {
          const row = r * stage.units;
          for (let u = 0; u < stage.units; u++) g[base + u] = g[base + u]! + dz[row + u]!;
        }
      }
      addPenaltyGradient(this.params, this.grads, slots.kernel.offset, slots.kernel.size, stage.kernelPenalty);
      if (slots.bias)
        addPenaltyGradient(this.params, this.grads, slots.bias.offset, slots.bias.size, stage.biasPenalty);
      if (!needInput) return dz;
      const dInput = tf.matMul(dzTensor, this.tensorsOf(index).kernel, false, true);
      const values = dInput.dataSync() as Float32Array;
      dInput.dispose();
      return values;
    } finally {
      dzTensor.dispose();
    }
  }

  private penalties(): number {
    let total = 0;
    this.plan.stages.forEach((stage, index) => {
      if (stage.kind !== 'dense') return;
      const slots = this.slots[index]!;
      total += penaltyValue(this.params, slots.kernel.offset, slots.kernel.size, stage.kernelPenalty);
      if (slots.bias) total += penaltyValue(this.params, slots.bias.offset, slots.bias.size, stage.biasPenalty);
    });
    return total;
  }

  private tensorsOf(index: number): { kernel: tf.Tensor2D; bias: tf.Tensor1D | null } {
    const cached = this.uploaded[index];
    if (cached) return cached;
    const slots = this.slots[index]!;
    const { offset, size, shape } = slots.kernel;
    // Copies: some backends keep the array they are given, and the update writes into `params` in place.
    const kernel = tf.tensor2d(this.params.slice(offset, offset + size), shape);
    const bias = slots.bias
      ? tf.tensor1d(this.params.slice(slots.bias.offset, slots.bias.offset + slots.bias.size))
      : null;
    const pair = { kernel, bias };
    this.uploaded[index] = pair;
    return pair;
  }

  private releaseUploads(): void {
    for (const pair of this.uploaded) {
      if (!pair) continue;
      pair.kernel.dispose();
      pair.bias?.dispose();
    }
    this.uploaded = [];
  }

  /** A reusable array of at least `size` numbers, viewed at exactly `size`. */
  private buffer(name: string, size: number): Float32Array {
    let array = this.scratch.get(name);
    if (!array || array.length < size) {
      array = new Float32Array(size);
      this.scratch.set(name, array);
    }
    return array.length === size ? array : array.subarray(0, size);
  }
}

function applyActivation(activation: FastActivation, x: tf.Tensor2D): tf.Tensor2D {
  switch (activation) {
    case 'linear':
      return tf.clone(x);
    case 'relu':
      return tf.relu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'tanh':
      return tf.tanh(x);
    case 'softmax':
      return tf.softmax(x);
    case 'elu':
      return tf.elu(x);
  }
}

function isNorm(stage: FlatStage): stage is NormStage {
  return stage.kind === 'batchNorm' || stage.kind === 'layerNorm';
}

/** The slot's values as a view of `array` (so writes land in it), or null without a slot. */
function slice(array: Float32Array, slot: Slot | null): Float32Array | null {
  return slot ? array.subarray(slot.offset, slot.offset + slot.size) : null;
}

interface PlacedWeight {
  weight: WeightTensor;
  offset: number;
  /** In the parameters (updated by the optimizer) or else in the state. */
  trainable: boolean;
}

/**
 * Lays every trainable weight out in one flat array and the moving statistics in another, keeping the
 * model's weight order (tf.js': kernel, bias; gamma, beta, moving_mean, moving_variance).
 */
function layoutParameters(
  plan: DensePlan,
  initial: WeightTensor[],
): {
  slots: (DenseSlots | null)[];
  normSlots: (NormSlots | null)[];
  layout: PlacedWeight[];
  size: number;
  stateSize: number;
} {
  const ends = { params: 0, state: 0 };
  const layout: PlacedWeight[] = [];
  const place = (layerIndex: number, name: string, expected: number, trainable = true): Slot => {
    const weight = initial.find((w) => w.layerIndex === layerIndex && w.name === name);
    if (!weight || weight.values.length !== expected) {
      throw new Error(`The fast step found no ${name} of ${expected} values for layer ${layerIndex + 1}.`);
    }
    const store = trainable ? 'params' : 'state';
    const slot = { offset: ends[store], size: expected };
    layout.push({ weight, offset: slot.offset, trainable });
    ends[store] += expected;
    return slot;
  };
  const slots: (DenseSlots | null)[] = [];
  const normSlots: (NormSlots | null)[] = [];
  for (const stage of plan.stages) {
    slots.push(null);
    normSlots.push(null);
    if (stage.kind === 'dense') {
      const kernel = place(stage.layerIndex, 'kernel', stage.inputs * stage.units);
      const bias = stage.useBias ? place(stage.layerIndex, 'bias', stage.units) : null;
      slots[slots.length - 1] = { kernel: { ...kernel, shape: [stage.inputs, stage.units] }, bias };
    } else if (isNorm(stage)) {
      const { layerIndex, width } = stage;
      const gamma = stage.scale ? place(layerIndex, 'gamma', width) : null;
      const beta = stage.center ? place(layerIndex, 'beta', width) : null;
      const moving = stage.kind === 'batchNorm';
      normSlots[normSlots.length - 1] = {
        gamma,
        beta,
        movingMean: moving ? place(layerIndex, 'moving_mean', width, false) : null,
        movingVariance: moving ? place(layerIndex, 'moving_variance', width, false) : null,
      };
    }
  }
  return { slots, normSlots, layout, size: ends.params, stateSize: ends.state };
}
