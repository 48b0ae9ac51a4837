/** What the About box and the backend picker show: version, mode, which tf.js backends can load, the samples. */
import { createRequire } from 'node:module';
import type { AppInfo } from '../contract/api.js';
import { SAMPLES } from './samples.js';
import type { EngineHost } from './types.js';

function installed(name: string): boolean {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
}

export function appInfo(host: EngineHost): AppInfo {
  const native = installed('@tensorflow/tfjs-node');
  return {
    version: host.version,
    mode: host.mode,
    platform: `${process.platform}-${process.arch}`,
    backends: [
      {
        name: 'tensorflow',
        available: native,
        note: native
          ? 'native TensorFlow (fastest)'
          : 'not installed: the optional package @tensorflow/tfjs-node needs a download at install time',
      },
      {
        name: 'wasm',
        available: installed('@tensorflow/tfjs-backend-wasm'),
        note: 'WebAssembly with SIMD; a few layers fall back to the cpu kernels',
      },
      { name: 'cpu', available: true, note: 'plain JavaScript: always works, slowest' },
    ],
    samples: SAMPLES.map(({ id, name, description }) => ({ id, name, description })),
  };
}
