/**
 * Where each of a model's weights sits in the fast steps' flat arrays: trainable weights in the parameters
 * (which one fused optimizer update moves), the rest (BatchNormalization's moving statistics) in the state.
 * Weights are placed in the model's weight order, so copying them back out gives extractWeights' order.
 */
import type { Penalty } from './dense-plan.js';
import type { WeightTensor } from './types.js';

export interface Slot {
  offset: number;
  size: number;
}

/** Where a Dense or Conv2D layer's kernel and bias sit in the parameters. */
export interface KernelSlots {
  kernel: Slot;
  bias: Slot | null;
}

/** A stretch of the parameters with an L1/L2 penalty on it. */
export interface PenalizedSlot extends Slot {
  penalty: Penalty;
}

export interface PlacedWeight {
  weight: WeightTensor;
  offset: number;
  /** In the parameters (updated by the optimizer) or else in the state. */
  trainable: boolean;
}

/** What a layer with a kernel says about its weights. */
export interface KernelLayer {
  layerIndex: number;
  useBias: boolean;
  kernelPenalty: Penalty | null;
  biasPenalty: Penalty | null;
}

export class WeightLayout {
  readonly placed: PlacedWeight[] = [];
  /** Kernel before bias, layer by layer. */
  readonly penalized: PenalizedSlot[] = [];
  parameterSize = 0;
  stateSize = 0;

  constructor(private readonly initial: WeightTensor[]) {}

  /** Places the next weight, which must be the layer's `name` with `size` values. */
  place(layerIndex: number, name: string, size: number, trainable = true): Slot {
    const weight = this.initial.find((w) => w.layerIndex === layerIndex && w.name === name);
    if (!weight || weight.values.length !== size) {
      throw new Error(`The fast step found no ${name} of ${size} values for layer ${layerIndex + 1}.`);
    }
    const offset = trainable ? this.parameterSize : this.stateSize;
    this.placed.push({ weight, offset, trainable });
    if (trainable) this.parameterSize += size;
    else this.stateSize += size;
    return { offset, size };
  }

  /** Places a layer's kernel and (when it has one) bias, noting their penalties. */
  placeKernel(layer: KernelLayer, kernelSize: number, biasSize: number): KernelSlots {
    const kernel = this.place(layer.layerIndex, 'kernel', kernelSize);
    const bias = layer.useBias ? this.place(layer.layerIndex, 'bias', biasSize) : null;
    if (layer.kernelPenalty) this.penalized.push({ ...kernel, penalty: layer.kernelPenalty });
    if (bias && layer.biasPenalty) this.penalized.push({ ...bias, penalty: layer.biasPenalty });
    return { kernel, bias };
  }
}
