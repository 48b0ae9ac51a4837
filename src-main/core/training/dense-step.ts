/**
 * The fast training step for Dense stacks (dense-plan.ts says which). The backward pass is written out by
 * hand instead of recorded on tf.js' tape: the backend does only the matrix products (forward with the
 * bias and activation fused in, then the two gradient products per layer), while the loss and its
 * gradient, the activation derivatives, dropout, the normalization layers and the optimizer update run
 * as plain loops on Float32Arrays that are reused from batch to batch. All trainable parameters live in
 * one flat array, so the update is one pass whatever the optimizer (flat-parameter-step.ts);
 * BatchNormalization's moving statistics live in a second one that only the forward pass moves. A
 * three-layer MLP step is about 15 kernels instead of 223.
 */
import * as tf from '@tensorflow/tfjs';
import type { DenseLayerStage, DensePlan, FastActivation, FlatStage, NormStage } from './dense-plan.js';
import { activationBackward, dropoutBackward, dropoutForward } from './fast-math.js';
import { FlatParameterStep, type FastStepOptions } from './flat-parameter-step.js';
import {
  groupingOf,
  normalizationBackward,
  normalizeByFeature,
  normalizeByGroups,
  scaleAndShift,
  updateMovingAverage,
  type NormalizedBatch,
} from './norm-math.js';
import { WeightLayout, type KernelSlots, type Slot } from './weight-layout.js';

const EVAL_CHUNK = 2048;

type FusedActivation = NonNullable<Parameters<typeof tf.fused.matMul>[0]['activation']>;

/** A Dense layer's kernel and bias, and the kernel's [inputs, units] for its tensor. */
interface DenseSlots extends KernelSlots {
  kernelShape: [number, number];
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

export type DenseStepOptions = FastStepOptions<DensePlan>;

export class DenseStep extends FlatParameterStep<DensePlan, StageRecord[]> {
  readonly description = 'fast Dense step (hand-derived backward pass, one fused optimizer update)';
  private readonly slots: (DenseSlots | null)[];
  private readonly normSlots: (NormSlots | null)[];
  /** The first stage with trainable weights: the backward pass stops there. */
  private readonly firstTrained: number;
  private readonly fusable: ReadonlySet<FastActivation>;
  /** Kernel and bias tensors of the current parameters; null after an update until next needed. */
  private uploaded: ({ kernel: tf.Tensor2D; bias: tf.Tensor1D | null } | null)[] = [];

  constructor(options: DenseStepOptions) {
    const layout = new WeightLayout(options.initialWeights);
    const { slots, normSlots } = placeWeights(options.plan, layout);
    super(options, layout, EVAL_CHUNK);
    this.slots = slots;
    this.normSlots = normSlots;
    this.firstTrained = options.plan.stages.findIndex(
      (stage) => stage.kind === 'dense' || (isNorm(stage) && (stage.center || stage.scale)),
    );
    // Every backend fuses relu into the product; wasm and cpu also fuse these, the others get a separate kernel.
    const backend = tf.getBackend();
    this.fusable = new Set<FastActivation>(
      backend === 'wasm' || backend === 'cpu' ? ['linear', 'relu', 'relu6', 'sigmoid', 'elu'] : ['linear', 'relu'],
    );
  }

  override dispose(): void {
    super.dispose();
    this.releaseUploads();
  }

  protected override parametersChanged(): void {
    this.releaseUploads();
  }

  protected trainingForward(x: Float32Array, rows: number): StageRecord[] {
    return this.forward(tf.tensor2d(x, [rows, this.plan.inputWidth]), rows, true);
  }

  protected outputsOf(records: StageRecord[]): Float32Array {
    const last = records[records.length - 1]!;
    return last.values ?? (last.output.dataSync() as Float32Array);
  }

  protected override release(records: StageRecord[]): void {
    disposeTensors(records);
  }

  protected predict(x: Float32Array, rows: number): Float32Array {
    const records = this.forward(tf.tensor2d(x, [rows, this.plan.inputWidth]), rows, false);
    const values = records[records.length - 1]!.output.dataSync() as Float32Array;
    disposeTensors(records);
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
          output = TF_ACTIVATIONS[stage.activation](linear);
          linear.dispose();
        }
        const needValues = keep && stage.activation !== 'linear';
        return { input, output, values: needValues ? (output.dataSync() as Float32Array) : null, mask: null };
      }
      case 'activation': {
        const output = TF_ACTIVATIONS[stage.activation](input);
        return { input, output, values: keep ? (output.dataSync() as Float32Array) : null, mask: null };
      }
      case 'dropout': {
        if (!training) return { input, output: input, values: inputValues, mask: null };
        const size = rows * stage.width;
        const source = inputValues ?? (input.dataSync() as Float32Array);
        const mask = this.buffer(`mask${index}`, size);
        const values = this.buffer(`dropped${index}`, size);
        dropoutForward(source, stage.rate, this.dropoutPrng, size, mask, values);
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

  protected backward(records: StageRecord[], dOutput: Float32Array, rows: number): void {
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
          const size = rows * stage.width;
          const out = this.buffer(`dd${index}`, size);
          dropoutBackward(upstream, record.mask!, size, out);
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
    stage: DenseLayerStage,
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
      if (!needInput) return dz;
      const dInput = tf.matMul(dzTensor, this.tensorsOf(index).kernel, false, true);
      const values = dInput.dataSync() as Float32Array;
      dInput.dispose();
      return values;
    } finally {
      dzTensor.dispose();
    }
  }

  private tensorsOf(index: number): { kernel: tf.Tensor2D; bias: tf.Tensor1D | null } {
    const cached = this.uploaded[index];
    if (cached) return cached;
    const slots = this.slots[index]!;
    const { offset, size } = slots.kernel;
    // Copies: some backends keep the array they are given, and the update writes into `params` in place.
    const kernel = tf.tensor2d(this.params.slice(offset, offset + size), slots.kernelShape);
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
}

/** Each activation as its tf.js op; linear clones, so every stage's output is a tensor of its own to dispose. */
const TF_ACTIVATIONS: Record<FastActivation, (x: tf.Tensor2D) => tf.Tensor2D> = {
  linear: tf.clone,
  relu: tf.relu,
  relu6: tf.relu6,
  sigmoid: tf.sigmoid,
  tanh: tf.tanh,
  softmax: tf.softmax,
  elu: tf.elu,
};

function isNorm(stage: FlatStage): stage is NormStage {
  return stage.kind === 'batchNorm' || stage.kind === 'layerNorm';
}

/** The slot's values as a view of `array` (so writes land in it), or null without a slot. */
function slice(array: Float32Array, slot: Slot | null): Float32Array | null {
  return slot ? array.subarray(slot.offset, slot.offset + slot.size) : null;
}

/** Every tensor of a pass: its input and each stage's output, one of which may be its input passed through. */
function disposeTensors(records: StageRecord[]): void {
  const input = records[0]!.input;
  input.dispose();
  for (const r of records) if (r.output !== input) r.output.dispose();
}

/**
 * Places every Dense and normalization layer's weights, keeping the model's weight order (tf.js': kernel,
 * bias; gamma, beta, moving_mean, moving_variance); the moving statistics go in the state.
 */
function placeWeights(
  plan: DensePlan,
  layout: WeightLayout,
): { slots: (DenseSlots | null)[]; normSlots: (NormSlots | null)[] } {
  const slots: (DenseSlots | null)[] = [];
  const normSlots: (NormSlots | null)[] = [];
  for (const stage of plan.stages) {
    slots.push(null);
    normSlots.push(null);
    if (stage.kind === 'dense') {
      const kernel = layout.placeKernel(stage, stage.inputs * stage.units, stage.units);
      slots[slots.length - 1] = { ...kernel, kernelShape: [stage.inputs, stage.units] };
    } else if (isNorm(stage)) {
      const { layerIndex, width } = stage;
      const gamma = stage.scale ? layout.place(layerIndex, 'gamma', width) : null;
      const beta = stage.center ? layout.place(layerIndex, 'beta', width) : null;
      const moving = stage.kind === 'batchNorm';
      normSlots[normSlots.length - 1] = {
        gamma,
        beta,
        movingMean: moving ? layout.place(layerIndex, 'moving_mean', width, false) : null,
        movingVariance: moving ? layout.place(layerIndex, 'moving_variance', width, false) : null,
      };
    }
  }
  return { slots, normSlots };
}
