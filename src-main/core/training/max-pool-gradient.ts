/**
 * MaxPoolGrad (the gradient of max pooling) for the wasm backend. The kernel wasm ships in tf.js 4.22 starts
 * each window's search from the smallest positive float instead of the lowest one, so a window whose values
 * are all 0 or less finds no maximum and its gradient is lost (the tensor's first window sends it to the
 * tensor's first value instead); among tied positive maxima it picks the last where the cpu backend picks
 * the first. This version pools with the fast convolution step's own loops (max-pool.ts) and sends each
 * window's gradient to its first maximum.
 */
import * as tf from '@tensorflow/tfjs';
import { geometryOf } from './conv-plan.js';
import { maxPoolBackward, maxPoolForward } from './max-pool.js';

interface MaxPoolGradAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export const maxPoolGradient: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const kernelBackend = backend as tf.KernelBackend;
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const a = attrs as unknown as MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    a.filterSize,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
  const x = kernelBackend.readSync(input.dataId) as Float32Array;
  const dyValues = kernelBackend.readSync(dy.dataId) as Float32Array;
  const from = new Int32Array(dyValues.length);
  maxPoolForward(geometryOf(info), x, new Float32Array(dyValues.length), from, info.batchSize);
  const dx = new Float32Array(x.length);
  maxPoolBackward(from, dyValues, dx, from.length);
  return { dataId: kernelBackend.write(dx, input.shape, 'float32'), shape: input.shape, dtype: 'float32' };
};
