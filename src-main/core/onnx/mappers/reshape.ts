/** Flatten and Reshape. Values stay channels-last between layers, so tf.js' element order is kept. */
import type { ReshapeConfig } from '../../model/spec.js';
import { int } from '../graph-builder.js';
import { product } from '../tensor-layout.js';
import type { LayerMapper } from './context.js';

export const mapFlatten: LayerMapper<unknown> = (ctx, _config, input) => ({
  name: ctx.g.op('Flatten', [input.name], { axis: int(1) }),
  shape: [product(input.shape)],
});

export const mapReshape: LayerMapper<ReshapeConfig> = (ctx, config, input) => {
  const size = product(input.shape);
  const known = product(config.targetShape.filter((d) => d !== -1));
  const target = config.targetShape.map((d) => (d === -1 ? size / known : d));
  if (product(target) !== size || !target.every(Number.isInteger)) {
    throw new Error(
      `${ctx.label}: cannot reshape [${input.shape.join(', ')}] (${size} values) to [${config.targetShape.join(', ')}]. Change the target shape so it holds ${size} values.`,
    );
  }
  // 0 copies the batch dimension from the input.
  const shape = ctx.g.int64s(`reshape${ctx.index}_shape`, [target.length + 1], [0, ...target]);
  return { name: ctx.g.op('Reshape', [input.name, shape]), shape: target };
};
