/**
 * The wasm backend lacks a few gradient kernels (in tf.js 4.22: Conv2DBackpropFilter, so Conv1D and
 * Conv2D cannot learn their kernels) and gets one wrong (MaxPoolGrad loses the gradient of every window
 * whose values are all 0 or less: max-pool-gradient.ts). Rather than moving the whole model to the slower cpu
 * backend, each is registered for wasm: Conv2DBackpropFilter and MaxPoolGrad with LayerLab's own typed-array
 * versions (tf.js' cpu ones walk TensorBuffers element by element and are very slow), any other missing one
 * with a bridge that copies the inputs to the cpu backend, runs its JavaScript kernel and copies the result
 * back. Everything else stays on wasm. What was filled in is reported so the backend note can say so.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2dFilterGradient } from './conv2d-filter-gradient.js';
import { maxPoolGradient } from './max-pool-gradient.js';

/** Kernels LayerLab implements itself for wasm, where missing or wrong. */
const OWN_KERNELS: Record<string, tf.KernelFunc> = {
  Conv2DBackpropFilter: conv2dFilterGradient,
  MaxPoolGrad: maxPoolGradient,
};

/** Kernels wasm ships but computes wrongly: LayerLab's own replaces them. */
const WRONG_ON_WASM = new Set(['MaxPoolGrad']);

/** Gradient kernels the layer catalogue can need during training. */
const TRAINING_KERNELS = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'MaxPoolGrad',
  'AvgPoolGrad',
  'UnsortedSegmentSum',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
] as const;

/** A kernel served on wasm by something other than wasm's own: why, and by what. */
export interface BridgedKernel {
  name: string;
  why: 'missing' | 'wrong';
  by: 'own' | 'cpu';
}

let bridged: BridgedKernel[] | null = null;

/** Kernels that are (after this call) served on wasm by LayerLab's own or the cpu implementation. Idempotent. */
export function bridgeMissingWasmKernels(): readonly BridgedKernel[] {
  if (bridged) return bridged;
  bridged = [];
  for (const name of TRAINING_KERNELS) {
    const shipped = Boolean(tf.getKernel(name, 'wasm'));
    if (shipped && !WRONG_ON_WASM.has(name)) continue;
    const own = OWN_KERNELS[name];
    const cpuKernel = own ? null : tf.getKernel(name, 'cpu');
    if (!own && !cpuKernel) continue;
    if (shipped) tf.unregisterKernel(name, 'wasm');
    const kernelFunc = own ?? runOnCpu(cpuKernel!.kernelFunc);
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc });
    bridged.push({ name, why: shipped ? 'wrong' : 'missing', by: own ? 'own' : 'cpu' });
  }
  return bridged;
}

/** Training kernels that were bridged; empty before the wasm backend was set up. */
export function bridgedWasmKernels(): readonly BridgedKernel[] {
  return bridged ?? [];
}

/** Gradient kernels each layer class needs beyond the common ones. */
const KERNELS_BY_LAYER: Record<string, readonly string[]> = {
  Conv1D: ['Conv2DBackpropFilter', 'Conv2DBackpropInput'],
  Conv2D: ['Conv2DBackpropFilter', 'Conv2DBackpropInput'],
  MaxPooling1D: ['MaxPoolGrad'],
  MaxPooling2D: ['MaxPoolGrad'],
  AveragePooling1D: ['AvgPoolGrad'],
  AveragePooling2D: ['AvgPoolGrad'],
};

/** The bridged kernels a model made of these layer classes will use. */
export function bridgedKernelsFor(layerClasses: readonly string[]): BridgedKernel[] {
  const needed = new Set(layerClasses.flatMap((name) => KERNELS_BY_LAYER[name] ?? []));
  return bridgedWasmKernels().filter((kernel) => needed.has(kernel.name));
}

/** What the backend note says of bridged kernels, one clause each. */
export function describeBridged(kernels: readonly BridgedKernel[]): string {
  return kernels
    .map(
      (k) =>
        `${k.name}, which the wasm backend ${k.why === 'missing' ? 'lacks' : 'gets wrong'}, runs on ` +
        (k.by === 'own' ? "LayerLab's own typed-array kernel" : 'the JavaScript cpu kernel'),
    )
    .join('; ');
}

function runOnCpu(cpuKernelFunc: tf.KernelFunc): tf.KernelFunc {
  return ({ inputs, backend: wasmBackend, attrs }) => {
    const backend = wasmBackend as tf.KernelBackend;
    const cpu = tf.findBackend('cpu');
    if (!cpu)
      throw new Error('The cpu backend is needed to run a kernel the wasm backend lacks, but it did not start.');
    const cpuInputs: Record<string, tf.TensorInfo> = {};
    for (const [name, input] of Object.entries(inputs)) {
      if (!input) continue;
      const values = backend.readSync(input.dataId);
      cpuInputs[name] = { dataId: cpu.write(values, input.shape, input.dtype), shape: input.shape, dtype: input.dtype };
    }
    try {
      const output = cpuKernelFunc({ inputs: cpuInputs, backend: cpu, attrs });
      const outputs = Array.isArray(output) ? output : [output];
      const moved = outputs.map((info) => {
        const values = cpu.readSync(info.dataId);
        cpu.disposeData(info.dataId);
        return { dataId: backend.write(values, info.shape, info.dtype), shape: info.shape, dtype: info.dtype };
      });
      return Array.isArray(output) ? moved : moved[0]!;
    } finally {
      for (const input of Object.values(cpuInputs)) cpu.disposeData(input.dataId);
    }
  };
}
