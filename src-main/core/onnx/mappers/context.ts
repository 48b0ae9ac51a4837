/**
 * What every layer mapper receives: the graph being built, the layer's own weights in tf.js order, and a
 * name for the layer that error messages can use.
 */
import type { WeightTensor } from '../../training/types.js';
import type { GraphBuilder, TensorRef } from '../graph-builder.js';

export interface LayerContext {
  g: GraphBuilder;
  index: number;
  /** "Conv2D (layer 3)": how messages name the layer. */
  label: string;
  weights: WeightTensor[];
  /**
   * Channels-last value → the channels-first value it was transposed from. Lets consecutive conv and
   * pooling layers skip the transpose back and forth between them.
   */
  channelsFirstOf: Map<string, string>;
}

export type LayerMapper<Config> = (ctx: LayerContext, config: Config, input: TensorRef) => TensorRef;

/**
 * The layer's weights, checked against the shapes its config implies; a mismatch means the weights were
 * saved for another stack, and the message says which tensor is off.
 */
export function takeWeights(ctx: LayerContext, expected: Array<{ what: string; shape: number[] }>): Float32Array[] {
  if (ctx.weights.length !== expected.length) {
    throw new Error(
      `${ctx.label}: expected ${expected.length} weight tensors (${expected.map((e) => e.what).join(', ') || 'none'}) but the trained model has ${ctx.weights.length}. Retrain the model after changing its layers.`,
    );
  }
  return expected.map((e, i) => {
    const w = ctx.weights[i]!; // the count is checked above
    if (w.shape.length !== e.shape.length || w.shape.some((d, k) => d !== e.shape[k])) {
      throw new Error(
        `${ctx.label}: the ${e.what} has shape [${w.shape.join(', ')}] but the layer needs [${e.shape.join(', ')}]. Retrain the model after changing its layers.`,
      );
    }
    return w.values;
  });
}

export const lastDim = (shape: number[]): number => shape[shape.length - 1]!;
