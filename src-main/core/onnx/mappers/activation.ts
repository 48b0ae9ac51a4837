/** tf.js activations as ONNX nodes, with tf.js' own constants. */
import type { ActivationConfig, ActivationName } from '../../model/spec.js';
import type { GraphBuilder } from '../graph-builder.js';
import { int } from '../graph-builder.js';
import type { LayerMapper } from './context.js';

// tf.js' SELU constants (tfjs-core selu_util), to double precision.
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** Applies `activation` to the value `x` and returns the name of the result. */
export function applyActivation(g: GraphBuilder, activation: ActivationName | undefined, x: string): string {
  switch (activation ?? 'linear') {
    case 'linear':
      return x;
    case 'relu':
      return g.op('Relu', [x]);
    case 'relu6':
      return g.op('Clip', [x, g.scalar('relu6_min', 0), g.scalar('relu6_max', 6)]);
    case 'elu':
      return g.op('Elu', [x], { alpha: 1 });
    case 'selu':
      return g.op('Selu', [x], { alpha: SELU_ALPHA, gamma: SELU_SCALE });
    case 'sigmoid':
      return g.op('Sigmoid', [x]);
    case 'hardSigmoid':
      return g.op('HardSigmoid', [x], { alpha: 0.2, beta: 0.5 });
    case 'tanh':
      return g.op('Tanh', [x]);
    case 'softmax':
      return g.op('Softmax', [x], { axis: int(-1) });
    case 'softplus':
      return g.op('Softplus', [x]);
    case 'softsign':
      return g.op('Softsign', [x]);
    case 'swish':
      return g.op('Mul', [x, g.op('Sigmoid', [x])]);
    default:
      throw new Error(`Unknown activation "${String(activation)}".`);
  }
}

export const mapActivation: LayerMapper<ActivationConfig> = (ctx, config, input) => ({
  name: applyActivation(ctx.g, config.activation, input.name),
  shape: input.shape,
});

/** Dropout only acts while training; at inference it passes values through. */
export const mapDropout: LayerMapper<unknown> = (_ctx, _config, input) => input;
