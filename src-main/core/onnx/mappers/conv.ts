/** Conv1D and Conv2D. tf.js kernels are [k…, in, out]; ONNX wants [out, in, k…]. */
import type { ConvConfig } from '../../model/spec.js';
import { ints } from '../graph-builder.js';
import { transposeValues } from '../tensor-layout.js';
import { applyActivation } from './activation.js';
import { lastDim, takeWeights } from './context.js';
import type { LayerContext, LayerMapper } from './context.js';
import { perAxis, slideWindow, toChannelsFirst, toChannelsLast } from './spatial.js';

function mapConv(spatialAxes: number): LayerMapper<ConvConfig> {
  return (ctx: LayerContext, config, input) => {
    const inSizes = input.shape.slice(0, spatialAxes);
    const channels = lastDim(input.shape);
    const kernelSize = perAxis(config.kernelSize, spatialAxes, []);
    const strides = perAxis(config.strides, spatialAxes, Array<number>(spatialAxes).fill(1));
    const useBias = config.useBias ?? true;
    const kernelShape = [...kernelSize, channels, config.filters];
    const tensors = takeWeights(ctx, [
      { what: 'kernel', shape: kernelShape },
      ...(useBias ? [{ what: 'bias', shape: [config.filters] }] : []),
    ]);
    const kernel = tensors.shift()!;
    const bias = useBias ? tensors.shift()! : null;
    const rank = kernelShape.length;
    const onnxKernel = transposeValues(kernel, kernelShape, [
      rank - 1,
      rank - 2,
      ...Array.from({ length: spatialAxes }, (_, i) => i),
    ]);
    const window = slideWindow(inSizes, kernelSize, strides, config.padding ?? 'valid');
    const inputs = [
      toChannelsFirst(ctx, input.name, spatialAxes + 2),
      ctx.g.floats(`conv${ctx.index}_kernel`, [config.filters, channels, ...kernelSize], onnxKernel),
    ];
    if (bias) inputs.push(ctx.g.floats(`conv${ctx.index}_bias`, [config.filters], bias));
    const y = ctx.g.op('Conv', inputs, {
      kernel_shape: ints(kernelSize),
      strides: ints(strides),
      pads: ints(window.pads),
      dilations: ints(Array<number>(spatialAxes).fill(1)),
      group: { int: 1 },
    });
    const shape = [...window.outSizes, config.filters];
    // Softmax works on the last axis, so it must follow the transpose; element-wise activations go before
    // it, which lets a following conv or pooling layer reuse the channels-first value.
    if (config.activation === 'softmax') {
      return { name: applyActivation(ctx.g, 'softmax', toChannelsLast(ctx, y, spatialAxes + 2)), shape };
    }
    return { name: toChannelsLast(ctx, applyActivation(ctx.g, config.activation, y), spatialAxes + 2), shape };
  };
}

export const mapConv1D = mapConv(1);
export const mapConv2D = mapConv(2);
