/**
 * Which image models the fast convolution step covers: Reshape, Conv2D, MaxPooling2D and Flatten in
 * front of the layers the fast Dense step covers (Dense on a flat input, Activation, Dropout), all in
 * tf.js' channels-last layout. Reshape and Flatten only rename the shape of the same row-major
 * numbers, so they leave no stage behind. The plan keeps each stage's geometry as tf.js computes it
 * (output size and padding), so both paths see the same windows.
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerSpec, ModelSpec } from '../model/spec.js';
import {
  denseStage,
  fastActivation,
  penalty,
  type DenseStage,
  type FastActivation,
  type Penalty,
} from './dense-plan.js';

/** Where a window of a 2-D stage reads its input: sizes, strides and the padding before the first row and column. */
export interface WindowGeometry {
  inHeight: number;
  inWidth: number;
  channels: number;
  outHeight: number;
  outWidth: number;
  windowHeight: number;
  windowWidth: number;
  strideHeight: number;
  strideWidth: number;
  top: number;
  left: number;
}

export type ImageStage =
  | {
      kind: 'conv2d';
      layerIndex: number;
      geometry: WindowGeometry;
      filters: number;
      activation: FastActivation;
      useBias: boolean;
      kernelPenalty: Penalty | null;
      biasPenalty: Penalty | null;
    }
  | { kind: 'maxPool2d'; geometry: WindowGeometry };

export type LayerStage = ImageStage | DenseStage;

export interface ConvPlan {
  inputWidth: number;
  outputWidth: number;
  stages: LayerStage[];
}

export type ConvPlanResult = { ok: true; plan: ConvPlan } | { ok: false; reason: string };

/** Why a model that the Dense step would cover is not this step's. */
export const NO_IMAGE_LAYER = 'a model without Conv2D or MaxPooling2D';

export function planConvStack(spec: ModelSpec, inputShape: readonly number[]): ConvPlanResult {
  let shape = [...inputShape];
  const inputWidth = size(shape);
  const stages: LayerStage[] = [];
  for (const [layerIndex, layer] of spec.layers.entries()) {
    const next = planLayer(layer, layerIndex, shape, stages);
    if (typeof next === 'string') return { ok: false, reason: next };
    shape = next;
  }
  if (!stages.some((s) => s.kind === 'conv2d' || s.kind === 'maxPool2d')) {
    return { ok: false, reason: NO_IMAGE_LAYER };
  }
  if (shape.length !== 1) return { ok: false, reason: `an output of shape [${shape.join(', ')}]` };
  return { ok: true, plan: { inputWidth, outputWidth: shape[0]!, stages } };
}

/** Appends the layer's stage (if it has one); the shape after it, or why it is not covered. */
function planLayer(layer: LayerSpec, layerIndex: number, shape: number[], stages: LayerStage[]): number[] | string {
  const width = size(shape);
  switch (layer.className) {
    case 'Reshape': {
      const target = layer.config.targetShape;
      return target.every((d) => d > 0) && size(target) === width ? [...target] : 'a Reshape that infers a size';
    }
    case 'Flatten':
      return [width];
    case 'Conv2D': {
      const c = layer.config;
      if (shape.length !== 3) return `Conv2D on an input of shape [${shape.join(', ')}]`;
      const activation = fastActivation(c.activation ?? 'linear');
      if (!activation || activation === 'softmax') return `Conv2D with ${c.activation} activation`;
      const [kh, kw] = pair(c.kernelSize);
      const info = tf.backend_util.computeConv2DInfo(
        [1, shape[0]!, shape[1]!, shape[2]!],
        [kh, kw, shape[2]!, c.filters],
        pair(c.strides ?? 1),
        1,
        c.padding ?? 'valid',
      );
      stages.push({
        kind: 'conv2d',
        layerIndex,
        geometry: geometryOf(info),
        filters: c.filters,
        activation,
        useBias: c.useBias ?? true,
        kernelPenalty: penalty(c.kernelRegularizer),
        biasPenalty: penalty(c.biasRegularizer),
      });
      return [info.outHeight, info.outWidth, c.filters];
    }
    case 'MaxPooling2D': {
      const c = layer.config;
      if (shape.length !== 3) return `MaxPooling2D on an input of shape [${shape.join(', ')}]`;
      const poolSize = pair(c.poolSize ?? 2);
      const info = tf.backend_util.computePool2DInfo(
        [1, shape[0]!, shape[1]!, shape[2]!],
        poolSize,
        pair(c.strides ?? poolSize),
        1,
        c.padding ?? 'valid',
      );
      stages.push({ kind: 'maxPool2d', geometry: geometryOf(info) });
      return [info.outHeight, info.outWidth, shape[2]!];
    }
    case 'Dense': {
      if (shape.length !== 1) return `Dense on an input of shape [${shape.join(', ')}]`;
      const stage = denseStage(layer.config, layerIndex, width);
      if (typeof stage === 'string') return stage;
      stages.push(stage);
      return [stage.units];
    }
    case 'Activation': {
      const activation = fastActivation(layer.config.activation);
      if (!activation || (activation === 'softmax' && shape.length !== 1)) {
        return `the ${layer.config.activation} activation`;
      }
      if (activation !== 'linear') stages.push({ kind: 'activation', width, activation });
      return shape;
    }
    case 'Dropout':
      if (layer.config.rate > 0) stages.push({ kind: 'dropout', width, rate: layer.config.rate });
      return shape;
    default:
      return `the ${layer.className} layer`;
  }
}

/** The windows tf.js computes for a convolution or pooling, as the typed-array loops read them. */
export function geometryOf(info: tf.backend_util.Conv2DInfo): WindowGeometry {
  return {
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    channels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    windowHeight: info.filterHeight,
    windowWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    top: info.padInfo.top,
    left: info.padInfo.left,
  };
}

function pair(value: number | number[]): [number, number] {
  return Array.isArray(value) ? [value[0]!, value[1] ?? value[0]!] : [value, value];
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
