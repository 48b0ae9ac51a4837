/**
 * One example through the network, in the window, for the live network view's neuron fill: z = Wx + b and
 * a = f(z) for Dense layers, f alone for Activation, Dropout passing values through (as at prediction). Any
 * other layer ends the pass: the layers from there on get no fill rather than a guess.
 */
import type { ActivationName, LayerSpec } from '$core/model/spec.js';

/** A layer's weights as the view receives them (the values may arrive as a plain list). */
export interface LayerWeight {
  layerIndex: number;
  name: string;
  shape: number[];
  values: ArrayLike<number>;
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

const UNIT_ACTIVATIONS: Partial<Record<ActivationName, (z: number) => number>> = {
  linear: (z) => z,
  relu: (z) => Math.max(0, z),
  relu6: (z) => Math.min(6, Math.max(0, z)),
  elu: (z) => (z >= 0 ? z : Math.exp(z) - 1),
  selu: (z) => SELU_SCALE * (z >= 0 ? z : SELU_ALPHA * (Math.exp(z) - 1)),
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  hardSigmoid: (z) => Math.min(1, Math.max(0, 0.2 * z + 0.5)),
  tanh: Math.tanh,
  softplus: (z) => Math.log1p(Math.exp(z)),
  softsign: (z) => z / (1 + Math.abs(z)),
  swish: (z) => z / (1 + Math.exp(-z)),
};

function activate(name: ActivationName | undefined, z: number[]): number[] | null {
  if (name === 'softmax') {
    const top = Math.max(...z);
    const e = z.map((v) => Math.exp(v - top));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / sum);
  }
  const f = UNIT_ACTIVATIONS[name ?? 'linear'];
  return f ? z.map(f) : null;
}

/**
 * Each layer's output for `input`; null from the first layer this pass does not compute (or whose weights do
 * not fit, e.g. the model was edited since the run).
 */
export function denseForward(
  layers: readonly LayerSpec[],
  weights: readonly LayerWeight[],
  input: readonly number[],
): Array<number[] | null> {
  const out: Array<number[] | null> = [];
  let current: number[] | null = [...input];
  layers.forEach((layer, index) => {
    current = current && layerOutput(layer, index, weights, current);
    out.push(current);
  });
  return out;
}

function layerOutput(layer: LayerSpec, index: number, weights: readonly LayerWeight[], x: number[]): number[] | null {
  switch (layer.className) {
    case 'Dense': {
      const kernel = weights.find((w) => w.layerIndex === index && w.name === 'kernel');
      const bias = weights.find((w) => w.layerIndex === index && w.name === 'bias');
      if (!kernel || kernel.shape[0] !== x.length) return null;
      const units = kernel.shape[1]!;
      const z = new Array<number>(units).fill(0);
      for (let j = 0; j < units; j++) {
        let sum = bias ? bias.values[j]! : 0;
        for (let i = 0; i < x.length; i++) sum += x[i]! * kernel.values[i * units + j]!;
        z[j] = sum;
      }
      return activate(layer.config.activation, z);
    }
    case 'Activation':
      return activate(layer.config.activation, x);
    case 'Dropout':
      return x;
    default:
      return null;
  }
}
