/**
 * Picks the tf.js backend: native TensorFlow when its optional package is installed, else wasm (SIMD),
 * else plain JavaScript. The choice is process-wide in tf.js, so the trainer calls this once per run.
 * The returned note tells the user why this backend and what it costs them.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  BACKEND_CHOICES,
  BACKEND_NAMES,
  type BackendChoice,
  type BackendName,
  type TrainingSettings,
} from './types.js';
import { bridgeMissingWasmKernels } from './wasm-kernel-bridge.js';
import { installExplicitTransposeMatMul } from './wasm-transposed-matmul.js';

export interface BackendSelection {
  backend: BackendName;
  note: string;
}

const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];

let quieted = false;
let wasmPathsSet = false;

export async function selectBackend(choice: BackendChoice = 'auto'): Promise<BackendSelection> {
  quietTfjs();
  if (choice !== 'auto') {
    const attempt = await tryBackend(choice);
    if (!attempt.ok) {
      throw new Error(
        `The ${choice} backend was requested but is not available: ` +
          `${attempt.reason}. Choose 'auto' (or another backend) to let LayerLab pick one that works.`,
      );
    }
    return { backend: choice, note: `${choice} (chosen explicitly)${attempt.detail ? `; ${attempt.detail}` : ''}` };
  }

  const skipped: string[] = [];
  for (const name of BACKEND_NAMES) {
    const attempt = await tryBackend(name);
    if (attempt.ok) {
      const why = skipped.length ? `${skipped.join('; ')}; using ${name}` : `using ${name}`;
      return { backend: name, note: attempt.detail ? `${why} (${attempt.detail})` : why };
    }
    skipped.push(attempt.reason);
  }
  throw new Error(`No tf.js backend could start: ${skipped.join('; ')}.`);
}

/** Which backend tf.js is using now, as LayerLab names it. */
export function currentBackend(): BackendName {
  const name = tf.getBackend();
  return name === 'wasm' || name === 'cpu' ? name : 'tensorflow';
}

/**
 * Reads a backend override given from outside the settings, such as the LAYERLAB_BACKEND variable that the
 * CLI and the training process read; `source` names it in the error. Empty or absent means 'auto'.
 */
export function parseBackendOverride(raw: string | undefined, source: string): BackendChoice {
  const value = raw?.trim();
  if (!value) return 'auto';
  if ((BACKEND_CHOICES as readonly string[]).includes(value)) return value as BackendChoice;
  throw new Error(`${source} is "${value}"; use one of ${BACKEND_CHOICES.join(', ')}.`);
}

/** An override replaces only 'auto': a backend the person picked in the settings still wins. */
export function withBackendOverride(settings: TrainingSettings, override: BackendChoice): TrainingSettings {
  return settings.backend === 'auto' && override !== 'auto' ? { ...settings, backend: override } : settings;
}

type Attempt = { ok: true; detail: string } | { ok: false; reason: string };

async function tryBackend(name: BackendName): Promise<Attempt> {
  switch (name) {
    case 'tensorflow':
      return tryNative();
    case 'wasm':
      return tryWasm();
    case 'cpu':
      return (await tf.setBackend('cpu'))
        ? { ok: true, detail: '' }
        : { ok: false, reason: 'the cpu backend did not start' };
  }
}

async function tryNative(): Promise<Attempt> {
  if (!tf.findBackendFactory('tensorflow')) {
    for (const pkg of NATIVE_PACKAGES) {
      try {
        // A variable specifier keeps bundlers and the type checker from requiring the optional package.
        const specifier: string = pkg;
        await import(specifier);
        break;
      } catch {
        // Not installed (the usual case): try the next one.
      }
    }
  }
  if (!tf.findBackendFactory('tensorflow')) {
    return { ok: false, reason: 'native TensorFlow is not installed (optional dependency @tensorflow/tfjs-node)' };
  }
  if (!(await tf.setBackend('tensorflow'))) {
    return { ok: false, reason: 'native TensorFlow is installed but failed to start' };
  }
  return { ok: true, detail: '' };
}

async function tryWasm(): Promise<Attempt> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (!wasmPathsSet) {
      // In Node the backend loads its .wasm binaries from disk: point it at the package's dist folder.
      const require = createRequire(import.meta.url);
      const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
      wasm.setWasmPaths(dist + path.sep);
      wasmPathsSet = true;
    }
    if (!(await tf.setBackend('wasm'))) return { ok: false, reason: 'the wasm backend did not start' };
  } catch (error) {
    return { ok: false, reason: `the wasm backend did not start (${(error as Error).message})` };
  }
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const threads = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
  // Models that need a missing kernel still train; the trainer's note names the kernel when it is used.
  bridgeMissingWasmKernels();
  installExplicitTransposeMatMul();
  return { ok: true, detail: `SIMD ${simd ? 'on' : 'off'}, ${threads ? 'multi-threaded' : 'single thread'}` };
}

/** tf.js prints a hint on first use in Node and debug warnings; LayerLab reports the backend itself. */
export function quietTfjs(): void {
  if (quieted) return;
  quieted = true;
  tf.enableProdMode();
}
