/**
 * The fast training step for small image models (conv-plan.ts says which), with the backward pass
 * written out by hand: on images this small most of tf.js' autodiff kernels cost more in bookkeeping than
 * their arithmetic (the digits network's autodiff step launches well over a hundred of them per batch).
 * Pooling, Dense layers, activations and the loss run as plain loops on Float32Arrays reused from batch
 * to batch; each convolution is three matrix products on the backend (conv-products.ts), where its
 * arithmetic outweighs a kernel's cost. Max pooling remembers where each maximum came from. All
 * parameters live in one flat array for one fused optimizer update, as in the fast Dense step.
 */
import * as tf from '@tensorflow/tfjs';
import type { ConcreteLoss } from './defaults.js';
import type { DenseStage } from './dense-plan.js';
import type { ConvPlan, ImageStage, LayerStage } from './conv-plan.js';
import { ConvProducts } from './conv-products.js';
import { activateInPlace, activationBackward, addPenaltyGradient, penaltyValue } from './fast-math.js';
import { flatOptimizer, type FlatOptimizer } from './flat-optimizers.js';
import { lossAndGradient } from './loss-gradient.js';
import { maxPoolBackward, maxPoolForward } from './max-pool.js';
import type { Prng } from './prng.js';
import type { BatchInput, Evaluation, TrainStep } from './step-types.js';
import type { OptimizerSettings, WeightTensor } from './types.js';

const EVAL_CHUNK = 512;

type ConvStage = Extract<ImageStage, { kind: 'conv2d' }>;
type DenseLayer = Extract<DenseStage, { kind: 'dense' }>;

/** Where a stage's kernel and bias sit in the flat parameter array. */
interface Slots {
  kernel: number;
  kernelSize: number;
  bias: number | null;
  biasSize: number;
}

interface PlacedWeight {
  weight: WeightTensor;
  offset: number;
}

export interface ConvStepOptions {
  plan: ConvPlan;
  /** The model's initial weights (extractWeights of the built model), so both paths start alike. */
  initialWeights: WeightTensor[];
  loss: ConcreteLoss;
  optimizer: OptimizerSettings;
  dropoutPrng: Prng;
}

export class ConvStep implements TrainStep {
  readonly description =
    'fast convolution step (hand-derived backward pass on typed arrays, one fused optimizer update)';
  private readonly plan: ConvPlan;
  private readonly loss: ConcreteLoss;
  private readonly params: Float32Array;
  private readonly grads: Float32Array;
  private readonly slots: (Slots | null)[];
  private readonly layout: PlacedWeight[];
  private readonly optimizer: FlatOptimizer;
  private readonly dropoutPrng: Prng;
  /** Values per row after each stage. */
  private readonly widths: number[];
  /** The first stage with parameters: nothing before it needs a gradient. */
  private readonly firstTrained: number;
  private readonly scratch = new Map<string, Float32Array>();
  private readonly positions = new Map<number, Int32Array>();
  /** Each Conv2D stage's products and their scratch (null for other stages). */
  private readonly convs: (ConvProducts | null)[];

  constructor(options: ConvStepOptions) {
    this.plan = options.plan;
    this.loss = options.loss;
    this.dropoutPrng = options.dropoutPrng;
    const { slots, layout, size } = layoutParameters(options.plan.stages, options.initialWeights);
    this.slots = slots;
    this.layout = layout;
    this.params = new Float32Array(size);
    this.grads = new Float32Array(size);
    for (const { weight, offset } of layout) this.params.set(weight.values, offset);
    this.optimizer = flatOptimizer(options.optimizer, size, tf.backend().epsilon());
    this.widths = options.plan.stages.map(outputWidth);
    this.convs = options.plan.stages.map((s) => (s.kind === 'conv2d' ? new ConvProducts(s.geometry, s.filters) : null));
    this.firstTrained = slots.findIndex((s) => s !== null);
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
    return value;
  }

  /**
   * The objective of one batch; leaves d(objective)/d(parameters) in `grads` (exposed for the tests), and the
   * forward outputs in `keepOutputs` when given.
   */
  gradient(batch: BatchInput, keepOutputs: Float32Array | null = null): number {
    const { rows } = batch;
    const activations = this.forward(batch.x.subarray(0, rows * this.plan.inputWidth), rows, true);
    const width = this.plan.outputWidth;
    const dOutput = this.buffer('dOutput', rows * width);
    const outputs = activations[activations.length - 1]!;
    keepOutputs?.set(outputs);
    const total = lossAndGradient(this.loss, outputs, batch.targets, rows, width, batch.weights, dOutput, 1 / rows);
    this.grads.fill(0);
    this.backward(activations, dOutput, rows);
    return total / rows + this.penalties();
  }

  /** The flat gradient of the last `gradient` call, laid out as weights(). */
  lastGradients(): WeightTensor[] {
    return this.copyOut(this.grads);
  }

  evaluate(x: Float32Array, targets: Float32Array, count: number): Evaluation {
    const width = this.plan.outputWidth;
    const outputs = new Float32Array(count * width);
    let lossSum = 0;
    for (let start = 0; start < count; start += EVAL_CHUNK) {
      const n = Math.min(EVAL_CHUNK, count - start);
      const input = x.subarray(start * this.plan.inputWidth, (start + n) * this.plan.inputWidth);
      const activations = this.forward(input, n, false);
      const chunk = outputs.subarray(start * width, (start + n) * width);
      chunk.set(activations[activations.length - 1]!);
      lossSum += lossAndGradient(
        this.loss,
        chunk,
        targets.subarray(start * width, (start + n) * width),
        n,
        width,
        null,
        null,
      );
    }
    return { outputs, loss: count ? lossSum / count : 0 };
  }

  weights(): WeightTensor[] {
    return this.copyOut(this.params);
  }

  restore(weights: WeightTensor[]): void {
    for (const { weight, offset } of this.layout) {
      const found = weights.find((w) => w.layerIndex === weight.layerIndex && w.name === weight.name);
      if (found) this.params.set(found.values, offset);
    }
  }

  dispose(): void {
    this.scratch.clear();
    this.positions.clear();
  }

  private copyOut(flat: Float32Array): WeightTensor[] {
    return this.layout.map(({ weight, offset }) => ({
      layerIndex: weight.layerIndex,
      name: weight.name,
      shape: [...weight.shape],
      values: flat.slice(offset, offset + weight.values.length),
    }));
  }

  /** The input followed by every stage's output, `rows` rows each. */
  private forward(x: Float32Array, rows: number, training: boolean): Float32Array[] {
    const activations = [x];
    this.plan.stages.forEach((stage, index) => {
      const input = activations[index]!;
      activations.push(this.forwardStage(stage, index, input, rows, training));
    });
    return activations;
  }

  private forwardStage(
    stage: LayerStage,
    index: number,
    input: Float32Array,
    rows: number,
    training: boolean,
  ): Float32Array {
    const width = this.widths[index]!;
    switch (stage.kind) {
      case 'conv2d': {
        const out = this.buffer(`out${index}`, rows * width);
        this.convs[index]!.forward(this.params, this.slots[index]!, input, out, rows, training);
        activateInPlace(
          stage.activation,
          out,
          rows * stage.geometry.outHeight * stage.geometry.outWidth,
          stage.filters,
        );
        return out;
      }
      case 'maxPool2d': {
        const out = this.buffer(`out${index}`, rows * width);
        maxPoolForward(stage.geometry, input, out, this.argmax(index, rows * width), rows);
        return out;
      }
      case 'dense': {
        const out = this.buffer(`out${index}`, rows * width);
        denseForward(stage, this.params, this.slots[index]!, input, out, rows);
        activateInPlace(stage.activation, out, rows, stage.units);
        return out;
      }
      case 'activation': {
        const out = this.buffer(`out${index}`, rows * width);
        out.set(input);
        // Softmax only reaches here on a flat input (conv-plan.ts), where a row is the whole stage.
        activateInPlace(stage.activation, out, rows, width);
        return out;
      }
      case 'dropout': {
        if (!training) return input;
        const size = rows * width;
        const mask = this.buffer(`mask${index}`, size);
        const out = this.buffer(`out${index}`, size);
        // tf.js' dropout keeps a unit when a uniform draw is at least the rate, and scales kept units by 1/(1-rate).
        const scale = 1 / (1 - stage.rate);
        for (let i = 0; i < size; i++) {
          const m = this.dropoutPrng.next() >= stage.rate ? scale : 0;
          mask[i] = m;
          out[i] = input[i]! * m;
        }
        return out;
      }
    }
  }

  private backward(activations: Float32Array[], dOutput: Float32Array, rows: number): void {
    let upstream = dOutput;
    for (let index = this.plan.stages.length - 1; index >= this.firstTrained; index--) {
      const stage = this.plan.stages[index]!;
      const input = activations[index]!;
      const output = activations[index + 1]!;
      const needInput = index > this.firstTrained;
      const dInput = needInput ? this.buffer(`dIn${index}`, rows * (index ? this.widths[index - 1]! : 0)) : null;
      switch (stage.kind) {
        case 'conv2d': {
          const g = stage.geometry;
          const positions = rows * g.outHeight * g.outWidth;
          const dz = activationBackward(
            stage.activation,
            upstream,
            output,
            positions,
            stage.filters,
            this.buffer(`dz${index}`, positions * stage.filters),
          );
          this.convs[index]!.backward(this.params, this.grads, this.slots[index]!, dz, dInput, rows);
          this.addPenaltyGradients(stage, index);
          break;
        }
        case 'dense': {
          const dz = activationBackward(
            stage.activation,
            upstream,
            output,
            rows,
            stage.units,
            this.buffer(`dz${index}`, rows * stage.units),
          );
          denseBackward(stage, this.params, this.grads, this.slots[index]!, input, dz, dInput, rows);
          this.addPenaltyGradients(stage, index);
          break;
        }
        case 'maxPool2d': {
          if (dInput) maxPoolBackward(this.positions.get(index)!, upstream, dInput, rows * this.widths[index]!);
          break;
        }
        case 'activation':
          if (dInput) activationBackward(stage.activation, upstream, output, rows, this.widths[index]!, dInput);
          break;
        case 'dropout': {
          if (!dInput) break;
          const mask = this.buffer(`mask${index}`, rows * stage.width);
          for (let i = 0; i < rows * stage.width; i++) dInput[i] = upstream[i]! * mask[i]!;
          break;
        }
      }
      if (dInput) upstream = dInput;
    }
  }

  private addPenaltyGradients(stage: ConvStage | DenseLayer, index: number): void {
    const s = this.slots[index]!;
    addPenaltyGradient(this.params, this.grads, s.kernel, s.kernelSize, stage.kernelPenalty);
    if (s.bias !== null) addPenaltyGradient(this.params, this.grads, s.bias, s.biasSize, stage.biasPenalty);
  }

  private penalties(): number {
    let total = 0;
    this.plan.stages.forEach((stage, index) => {
      if (stage.kind !== 'conv2d' && stage.kind !== 'dense') return;
      const s = this.slots[index]!;
      total += penaltyValue(this.params, s.kernel, s.kernelSize, stage.kernelPenalty);
      if (s.bias !== null) total += penaltyValue(this.params, s.bias, s.biasSize, stage.biasPenalty);
    });
    return total;
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

  private argmax(index: number, size: number): Int32Array {
    let array = this.positions.get(index);
    if (!array || array.length < size) {
      array = new Int32Array(size);
      this.positions.set(index, array);
    }
    return array;
  }
}

function outputWidth(stage: LayerStage): number {
  switch (stage.kind) {
    case 'conv2d':
      return stage.geometry.outHeight * stage.geometry.outWidth * stage.filters;
    case 'maxPool2d':
      return stage.geometry.outHeight * stage.geometry.outWidth * stage.geometry.channels;
    case 'dense':
      return stage.units;
    case 'activation':
    case 'dropout':
      return stage.width;
  }
}

/** out[r, u] = bias[u] + sum over i of x[r, i] * kernel[i, u]. */
function denseForward(
  stage: DenseLayer,
  params: Float32Array,
  slots: Slots,
  x: Float32Array,
  out: Float32Array,
  rows: number,
): void {
  const { inputs, units } = stage;
  for (let r = 0; r < rows; r++) {
    const o = r * units;
    for (let u = 0; u < units; u++) out[o + u] = slots.bias === null ? 0 : params[slots.bias + u]!;
    for (let i = 0; i < inputs; i++) {
      const xv = x[r * inputs + i]!;
      if (xv === 0) continue;
      const w = slots.kernel + i * units;
      for (let u = 0; u < units; u++) out[o + u] = out[o + u]! + xv * params[w + u]!;
    }
  }
}

function denseBackward(
  stage: DenseLayer,
  params: Float32Array,
  grads: Float32Array,
  slots: Slots,
  x: Float32Array,
  dz: Float32Array,
  dx: Float32Array | null,
  rows: number,
): void {
  const { inputs, units } = stage;
  for (let r = 0; r < rows; r++) {
    const o = r * units;
    if (slots.bias !== null)
      for (let u = 0; u < units; u++) grads[slots.bias + u] = grads[slots.bias + u]! + dz[o + u]!;
    for (let i = 0; i < inputs; i++) {
      const xv = x[r * inputs + i]!;
      const w = slots.kernel + i * units;
      if (xv !== 0) for (let u = 0; u < units; u++) grads[w + u] = grads[w + u]! + xv * dz[o + u]!;
      if (dx) {
        let sum = 0;
        for (let u = 0; u < units; u++) sum += params[w + u]! * dz[o + u]!;
        dx[r * inputs + i] = sum;
      }
    }
  }
}

/** Lays every kernel and bias out in one flat array, in the model's weight order. */
function layoutParameters(
  stages: LayerStage[],
  initial: WeightTensor[],
): { slots: (Slots | null)[]; layout: PlacedWeight[]; size: number } {
  let size = 0;
  const layout: PlacedWeight[] = [];
  const place = (layerIndex: number, name: string, expected: number): number => {
    const weight = initial.find((w) => w.layerIndex === layerIndex && w.name === name);
    if (!weight || weight.values.length !== expected) {
      throw new Error(`The fast step found no ${name} of ${expected} values for layer ${layerIndex + 1}.`);
    }
    layout.push({ weight, offset: size });
    size += expected;
    return size - expected;
  };
  const slots = stages.map((stage): Slots | null => {
    if (stage.kind !== 'conv2d' && stage.kind !== 'dense') return null;
    const [kernelSize, biasSize] =
      stage.kind === 'conv2d'
        ? [
            stage.geometry.windowHeight * stage.geometry.windowWidth * stage.geometry.channels * stage.filters,
            stage.filters,
          ]
        : [stage.inputs * stage.units, stage.units];
    const kernel = place(stage.layerIndex, 'kernel', kernelSize);
    const bias = stage.useBias ? place(stage.layerIndex, 'bias', biasSize) : null;
    return { kernel, kernelSize, bias, biasSize };
  });
  return { slots, layout, size };
}
