/** Max/average pooling (1D and 2D) and global average pooling. */
import type { PoolingConfig } from '../../model/spec.js';
import { int, ints } from '../graph-builder.js';
import { lastDim } from './context.js';
import type { LayerMapper } from './context.js';
import { perAxis, slideWindow, toChannelsFirst, toChannelsLast } from './spatial.js';

function mapPool(opType: 'MaxPool' | 'AveragePool', spatialAxes: number): LayerMapper<PoolingConfig> {
  return (ctx, config, input) => {
    const poolSize = perAxis(config.poolSize, spatialAxes, Array<number>(spatialAxes).fill(2));
    // tf.js: strides default to the pool size.
    const strides = perAxis(config.strides, spatialAxes, poolSize);
    const window = slideWindow(input.shape.slice(0, spatialAxes), poolSize, strides, config.padding ?? 'valid');
    const attributes = { kernel_shape: ints(poolSize), strides: ints(strides), pads: ints(window.pads) };
    // TF averages 'same' windows over the real pixels only, which is count_include_pad=0.
    const y = ctx.g.op(
      opType,
      [toChannelsFirst(ctx, input.name, spatialAxes + 2)],
      opType === 'AveragePool' ? { ...attributes, count_include_pad: int(0) } : attributes,
    );
    return { name: toChannelsLast(ctx, y, spatialAxes + 2), shape: [...window.outSizes, lastDim(input.shape)] };
  };
}

export const mapMaxPooling1D = mapPool('MaxPool', 1);
export const mapMaxPooling2D = mapPool('MaxPool', 2);
export const mapAveragePooling1D = mapPool('AveragePool', 1);
export const mapAveragePooling2D = mapPool('AveragePool', 2);

function mapGlobalAverage(spatialAxes: number): LayerMapper<unknown> {
  return (ctx, _config, input) => ({
    name: ctx.g.op('ReduceMean', [input.name], {
      axes: ints(Array.from({ length: spatialAxes }, (_, i) => i + 1)),
      keepdims: int(0),
    }),
    shape: [lastDim(input.shape)],
  });
}

export const mapGlobalAveragePooling1D = mapGlobalAverage(1);
export const mapGlobalAveragePooling2D = mapGlobalAverage(2);
