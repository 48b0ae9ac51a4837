/**
 * The wasm backend's BatchMatMul is 5-10x slower with a transposed operand than without (its packing
 * path for transposed inputs is not vectorized), and backpropagation through every Dense layer asks for
 * exactly those products. Transposing explicitly with the wasm Transpose kernel and then multiplying
 * plainly gives the same numbers at the untransposed speed, so the kernel is re-registered that way.
 */
import * as tf from '@tensorflow/tfjs';

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

let installed = false;

/** Re-registers wasm BatchMatMul once; a no-op when the wasm kernels are not registered. */
export function installExplicitTransposeMatMul(): void {
  if (installed) return;
  const stock = tf.getKernel('BatchMatMul', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!stock || !transpose) return;
  installed = true;
  const multiply = stock.kernelFunc;
  const swapLastTwo = (x: tf.TensorInfo, backend: unknown): tf.TensorInfo => {
    const perm = x.shape.map((_, i) => i);
    const last = perm.length - 1;
    [perm[last - 1], perm[last]] = [perm[last]!, perm[last - 1]!];
    return transpose.kernelFunc({
      inputs: { x },
      backend: backend as tf.KernelBackend,
      attrs: { perm },
    }) as tf.TensorInfo;
  };
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { transposeA, transposeB } = attrs as unknown as MatMulAttrs;
    if (!transposeA && !transposeB) return multiply({ inputs, backend, attrs });
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const kernelBackend = backend as tf.KernelBackend;
    const plainA = transposeA ? swapLastTwo(a, backend) : a;
    const plainB = transposeB ? swapLastTwo(b, backend) : b;
    try {
      return multiply({
        inputs: { a: plainA, b: plainB },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
    } finally {
      if (plainA !== a) kernelBackend.disposeData(plainA.dataId);
      if (plainB !== b) kernelBackend.disposeData(plainB.dataId);
    }
  };
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({ kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc });
}
