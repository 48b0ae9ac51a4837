/**
 * What the training process does with one start request: train on the prepared data it was handed, evaluate.
 * Kept apart from the process plumbing so it can run in-process too.
 */
import { trainAndEvaluate } from '../app/training.js';
import { RunControl } from '../core/training/run-control.js';
import { parseBackendOverride, withBackendOverride } from '../core/training/backend.js';
import type { FromTrainer, StartRun } from './protocol.js';

/**
 * LAYERLAB_BATCH_EVENT_HZ raises or lowers the live-chart update rate (default 10 per second); the UI benchmark
 * uses it to stream 50 batch events a second from a real run.
 */
function batchEventIntervalFromEnvironment(): number | undefined {
  const hz = Number(process.env.LAYERLAB_BATCH_EVENT_HZ);
  if (!Number.isFinite(hz) || hz <= 0) return undefined;
  return Math.min(1000, Math.max(1, 1000 / hz));
}

export async function runTraining(
  request: StartRun,
  control: RunControl,
  post: (message: FromTrainer) => void,
): Promise<void> {
  const { runId } = request;
  try {
    const backendOverride = parseBackendOverride(process.env.LAYERLAB_BACKEND, 'LAYERLAB_BACKEND');
    const settings = withBackendOverride(request.trainingSettings, backendOverride);
    const { result, evaluation } = await trainAndEvaluate(
      { spec: request.spec, prepared: request.prepared, settings },
      {
        control,
        batchEventIntervalMs: batchEventIntervalFromEnvironment(),
        onEvent: (event) => post({ type: 'event', runId, event }),
      },
    );
    post({ type: 'result', runId, result, evaluation });
  } catch (error) {
    post({ type: 'fatal', runId, message: error instanceof Error ? error.message : String(error) });
  }
}
