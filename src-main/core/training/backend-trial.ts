/**
 * 'auto' by measurement: which backend is fastest depends on the model (native TensorFlow wins on large
 * convolutions, wasm on small MLPs, where native's per-call overhead dominates), so auto times a few batches
 * of the actual model on every backend that starts and keeps the fastest. The choice is remembered per
 * model shape for the life of the process, and the note says what was measured.
 */
import type { PreparedData } from '../data/types.js';
import type { ModelSpec } from '../model/spec.js';
import { selectBackend, type BackendSelection } from './backend.js';
import { usesOneHotTargets } from './losses.js';
import { setUpStep } from './step-setup.js';
import { buildSampleWeights, buildTargets } from './train-data.js';
import { BACKEND_NAMES, type BackendName, type TrainingSettings } from './types.js';

const WARM_UP_BATCHES = 2;
const TIMED_BATCHES = 5;
/** A slow backend stops being timed after this long: it has lost already. */
const TRIAL_BUDGET_MS = 1500;

interface Trial {
  backend: BackendName;
  msPerBatch: number;
}

const chosen = new Map<string, { backend: BackendName; measured: string }>();

export async function chooseBackendByTrial(
  spec: ModelSpec,
  prepared: PreparedData,
  settings: TrainingSettings,
): Promise<BackendSelection> {
  const key = shapeKey(spec, prepared, settings);
  const known = chosen.get(key);
  if (known) {
    await selectBackend(known.backend);
    return { backend: known.backend, note: `auto: ${known.measured} (measured earlier for this model shape)` };
  }
  const trials: Trial[] = [];
  const skipped: string[] = [];
  for (const backend of BACKEND_NAMES) {
    try {
      await selectBackend(backend);
    } catch (error) {
      skipped.push(reasonOf(error as Error, backend));
      continue;
    }
    try {
      trials.push({ backend, msPerBatch: timeBatches(spec, prepared, settings) });
    } catch (error) {
      skipped.push(`${backend} could not train this model (${(error as Error).message})`);
    }
  }
  if (trials.length === 0) {
    // Nothing trained: let the ordinary selection raise the error a run would meet.
    return selectBackend('auto');
  }
  trials.sort((a, b) => a.msPerBatch - b.msPerBatch);
  const best = trials[0]!;
  const selection = await selectBackend(best.backend);
  const timings = trials.map((t) => `${t.backend} ${t.msPerBatch.toFixed(2)} ms/batch`).join(', ');
  const measured = `measured ${timings}; using ${best.backend}`;
  chosen.set(key, { backend: best.backend, measured });
  const detail = selection.note.replace(/ \(chosen explicitly\)/, '');
  const note = `auto: ${measured} (${detail})${skipped.length ? `; ${skipped.join('; ')}` : ''}`;
  return { backend: best.backend, note };
}

/** Forgets what was measured (tests, and a host that changed what is installed). */
export function forgetBackendTrials(): void {
  chosen.clear();
}

/** Median milliseconds of one training batch of this model on the current backend. */
function timeBatches(spec: ModelSpec, prepared: PreparedData, settings: TrainingSettings): number {
  const { model, step, loss, outputWidth } = setUpStep(spec, prepared, settings);
  try {
    const split = prepared.train;
    const rows = Math.min(settings.batchSize, split.count);
    const rowSize = prepared.preprocessor.inputShape.reduce((a, b) => a * b, 1);
    const oneHot = usesOneHotTargets(loss);
    const targetWidth = oneHot ? outputWidth : 1;
    const targets = buildTargets(split, targetWidth, oneHot);
    const weights = buildSampleWeights(split, prepared.preprocessor.task, settings.classWeights);
    const batch = {
      x: split.x.subarray(0, rows * rowSize),
      targets: targets.subarray(0, rows * targetWidth),
      weights: weights ? weights.subarray(0, rows) : null,
      rows,
    };
    for (let i = 0; i < WARM_UP_BATCHES; i++) step.step(batch);
    const times: number[] = [];
    const start = performance.now();
    while (times.length < TIMED_BATCHES && performance.now() - start < TRIAL_BUDGET_MS) {
      const t0 = performance.now();
      step.step(batch);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return times[times.length >> 1]!;
  } finally {
    step.dispose();
    model.dispose();
  }
}

/** What decides the fastest backend: the layers, the input, the batch size, the loss and the optimizer. */
function shapeKey(spec: ModelSpec, prepared: PreparedData, settings: TrainingSettings): string {
  const layers = spec.layers.map((layer) => [layer.className, layer.config]);
  return JSON.stringify([
    layers,
    prepared.preprocessor.inputShape,
    settings.batchSize,
    settings.loss,
    settings.optimizer.name,
  ]);
}

function reasonOf(error: Error, backend: BackendName): string {
  const match = /not available: (.*?)\. Choose/.exec(error.message);
  return match ? match[1]! : `${backend} did not start`;
}
