/**
 * The wasm backend lacks a few gradient kernels (in tf.js 4.22: Conv2DBackpropFilter, so Conv1D and
 * Conv2D cannot learn their kernels). Rather than moving the whole model to the slower cpu backend, each
 * missing kernel is registered for wasm: Conv2DBackpropFilter with LayerLab's own typed-array version
 * (tf.js' cpu one is very slow), any other with a bridge that copies the inputs to the cpu backend, runs
 * its JavaScript kernel and copies the result back. Everything else stays on wasm. What was filled in
 * is reported so the backend note can say so.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2dFilterGradient } from './conv2d-filter-gradient.js';

/** Kernels LayerLab implements itself for wasm when missing. */
const OWN_KERNELS: Record<string, tf.KernelFunc> = { Conv2DBackpropFilter: conv2dFilterGradient };

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

let bridged: string[] | null = null;

/** Kernels that are (after this call) served on wasm by the cpu implementation. Idempotent. */
export function bridgeMissingWasmKernels(): string[] {
  if (bridged) return bridged;
  bridged = [];
  for (const kernelName of TRAINING_KERNELS) {
    if (tf.getKernel(kernelName, 'wasm')) continue;
    const own = OWN_KERNELS[kernelName];
    if (own) {
      tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: own });
      bridged.push(kernelName);
      continue;
    }
    const cpuKernel = tf.getKernel(kernelName, 'cpu');
    if (!cpuKernel) continue;
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: runOnCpu(cpuKernel.kernelFunc) });
    bridged.push(kernelName);
  }
  return bridged;
}

/** Missing training kernels that were bridged; empty before the wasm backend was set up. */
export function bridgedWasmKernels(): readonly string[] {
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
export function bridgedKernelsFor(layerClasses: readonly string[]): string[] {
  const done = bridgedWasmKernels();
  const needed = new Set(layerClasses.flatMap((name) => KERNELS_BY_LAYER[name] ?? []));
  return done.filter((kernel) => needed.has(kernel));
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
