/**
 * The fast training step for small image models (conv-plan.ts says which), with the backward pass
 * written out by hand: on images this small most of tf.js' autodiff kernels cost more in bookkeeping than
 * their arithmetic (the digits network's autodiff step launches well over a hundred of them per batch).
 * Pooling, activations and the loss run as plain loops on Float32Arrays reused from batch to batch;
 * each convolution and Dense layer is three matrix products on the backend (conv-products.ts), where
 * their arithmetic outweighs a kernel's cost. Max pooling remembers where each maximum came from. All
 * parameters live in one flat array for one fused optimizer update, as in the fast Dense step
 * (flat-parameter-step.ts).
 */
import type { ConvPlan, LayerStage } from './conv-plan.js';
import { ConvProducts } from './conv-products.js';
import { activateInPlace, activationBackward, dropoutBackward, dropoutForward } from './fast-math.js';
import { FlatParameterStep, type FastStepOptions } from './flat-parameter-step.js';
import { maxPoolBackward, maxPoolForward } from './max-pool.js';
import { WeightLayout, type KernelSlots } from './weight-layout.js';

const EVAL_CHUNK = 512;

export type ConvStepOptions = FastStepOptions<ConvPlan>;

export class ConvStep extends FlatParameterStep<ConvPlan, Float32Array[]> {
  readonly description =
    'fast convolution step (hand-derived backward pass, convolutions as matrix products, one fused optimizer update)';
  private readonly slots: (KernelSlots | null)[];
  /** Values per row after each stage. */
  private readonly widths: number[];
  /** The first stage with parameters: nothing before it needs a gradient. */
  private readonly firstTrained: number;
  private readonly positions = new Map<number, Int32Array>();
  /** Each Conv2D and Dense stage's matrix products and their scratch (null for other stages). */
  private readonly products: (ConvProducts | null)[];

  constructor(options: ConvStepOptions) {
    const layout = new WeightLayout(options.initialWeights);
    const slots = options.plan.stages.map((stage) => placeKernel(layout, stage));
    super(options, layout, EVAL_CHUNK);
    this.slots = slots;
    this.widths = options.plan.stages.map(outputWidth);
    this.products = options.plan.stages.map(productsOf);
    this.firstTrained = slots.findIndex((s) => s !== null);
  }

  override dispose(): void {
    super.dispose();
    this.positions.clear();
  }

  /** The input followed by every stage's output, `rows` rows each. */
  protected trainingForward(x: Float32Array, rows: number): Float32Array[] {
    return this.forward(x, rows, true);
  }

  protected outputsOf(activations: Float32Array[]): Float32Array {
    return activations[activations.length - 1]!;
  }

  protected predict(x: Float32Array, rows: number): Float32Array {
    const activations = this.forward(x, rows, false);
    return activations[activations.length - 1]!;
  }

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
        this.products[index]!.forward(this.params, this.slots[index]!, input, out, rows, training);
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
        this.products[index]!.forward(this.params, this.slots[index]!, input, out, rows, training);
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
        const out = this.buffer(`out${index}`, size);
        dropoutForward(input, stage.rate, this.dropoutPrng, size, this.buffer(`mask${index}`, size), out);
        return out;
      }
    }
  }

  protected backward(activations: Float32Array[], dOutput: Float32Array, rows: number): void {
    let upstream = dOutput;
    for (let index = this.plan.stages.length - 1; index >= this.firstTrained; index--) {
      const stage = this.plan.stages[index]!;
      const output = activations[index + 1]!;
      const needInput = index > this.firstTrained;
      const dInput = needInput ? this.buffer(`dIn${index}`, rows * (index ? this.widths[index - 1]! : 0)) : null;
      switch (stage.kind) {
        case 'conv2d':
        case 'dense': {
          // The activation acts on each output position's channels; a Dense layer has one position per row.
          const channels = stage.kind === 'conv2d' ? stage.filters : stage.units;
          const positions = (rows * this.widths[index]!) / channels;
          const dz = activationBackward(
            stage.activation,
            upstream,
            output,
            positions,
            channels,
            this.buffer(`dz${index}`, positions * channels),
          );
          this.products[index]!.backward(this.params, this.grads, this.slots[index]!, dz, dInput, rows);
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
          const size = rows * stage.width;
          if (dInput) dropoutBackward(upstream, this.buffer(`mask${index}`, size), size, dInput);
          break;
        }
      }
      if (dInput) upstream = dInput;
    }
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

/** Places a Conv2D or Dense stage's kernel and bias; null for a stage without weights. */
function placeKernel(layout: WeightLayout, stage: LayerStage): KernelSlots | null {
  switch (stage.kind) {
    case 'conv2d': {
      const { windowHeight, windowWidth, channels } = stage.geometry;
      return layout.placeKernel(stage, windowHeight * windowWidth * channels * stage.filters, stage.filters);
    }
    case 'dense':
      return layout.placeKernel(stage, stage.inputs * stage.units, stage.units);
    default:
      return null;
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

/** A Dense layer is the 1×1 convolution of a one-pixel image whose channels are the layer's inputs. */
function productsOf(stage: LayerStage): ConvProducts | null {
  if (stage.kind === 'conv2d') return new ConvProducts(stage.geometry, stage.filters);
  if (stage.kind !== 'dense') return null;
  const pixel = { inHeight: 1, inWidth: 1, outHeight: 1, outWidth: 1, windowHeight: 1, windowWidth: 1 };
  const geometry = { ...pixel, channels: stage.inputs, strideHeight: 1, strideWidth: 1, top: 0, left: 0 };
  return new ConvProducts(geometry, stage.units);
}
