/** Dense: x · kernel + bias on the last axis (MatMul broadcasts over any leading axes, as tf.js does). */
import type { DenseConfig } from '../../model/spec.js';
import { applyActivation } from './activation.js';
import { lastDim, takeWeights } from './context.js';
import type { LayerMapper } from './context.js';

export const mapDense: LayerMapper<DenseConfig> = (ctx, config, input) => {
  const inputs = lastDim(input.shape);
  const useBias = config.useBias ?? true;
  const tensors = takeWeights(ctx, [
    { what: 'kernel', shape: [inputs, config.units] },
    ...(useBias ? [{ what: 'bias', shape: [config.units] }] : []),
  ]);
  const kernel = tensors.shift()!;
  const bias = useBias ? tensors.shift()! : null;
  let y = ctx.g.op('MatMul', [input.name, ctx.g.floats(`dense${ctx.index}_kernel`, [inputs, config.units], kernel)]);
  if (bias) y = ctx.g.op('Add', [y, ctx.g.floats(`dense${ctx.index}_bias`, [config.units], bias)]);
  return { name: applyActivation(ctx.g, config.activation, y), shape: [...input.shape.slice(0, -1), config.units] };
};
