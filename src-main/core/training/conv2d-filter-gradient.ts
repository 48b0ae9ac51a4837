/**
 * Conv2DBackpropFilter (the gradient of a convolution's kernel) for the wasm backend, which does not
 * ship it. tf.js' cpu version walks TensorBuffers element by element and costs more than the whole
 * rest of a training step; these plain typed-array loops are dozens of times faster and keep Conv1D and
 * Conv2D training on wasm. Only NHWC with dilation 1 occurs: tf.js' conv gradient requires both.
 */
import * as tf from '@tensorflow/tfjs';

interface FilterGradientAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

export const conv2dFilterGradient: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const kernelBackend = backend as tf.KernelBackend;
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = attrs as unknown as FilterGradientAttrs;
  if (a.dataFormat !== 'NHWC') throw new Error('Conv2DBackpropFilter on wasm supports channels-last data only.');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    a.filterShape,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
    false,
    'channelsLast',
  );
  const xValues = kernelBackend.readSync(x.dataId) as Float32Array;
  const dyValues = kernelBackend.readSync(dy.dataId) as Float32Array;
  const gradient = filterGradient(xValues, dyValues, info);
  return { dataId: kernelBackend.write(gradient, a.filterShape, 'float32'), shape: a.filterShape, dtype: 'float32' };
};

/** dW[kh, kw, ci, co] = sum over batch and output positions of x[input position] * dy[output position]. */
function filterGradient(x: Float32Array, dy: Float32Array, info: tf.backend_util.Conv2DInfo): Float32Array {
  const {
    batchSize,
    inHeight,
    inWidth,
    inChannels,
    outHeight,
    outWidth,
    outChannels,
    filterHeight,
    filterWidth,
    strideHeight,
    strideWidth,
  } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const dW = new Float32Array(filterHeight * filterWidth * inChannels * outChannels);
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const dyBase = ((b * outHeight + oh) * outWidth + ow) * outChannels;
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = oh * strideHeight + kh - top;
          if (ih < 0 || ih >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = ow * strideWidth + kw - left;
            if (iw < 0 || iw >= inWidth) continue;
            const xBase = ((b * inHeight + ih) * inWidth + iw) * inChannels;
            for (let ci = 0; ci < inChannels; ci++) {
              const xv = x[xBase + ci]!;
              if (xv === 0) continue;
              const wBase = ((kh * filterWidth + kw) * inChannels + ci) * outChannels;
              for (let co = 0; co < outChannels; co++) dW[wBase + co]! += xv * dy[dyBase + co]!;
            }
          }
        }
      }
    }
  }
  return dW;
}
