/**
 * Messages between a host (Electron main, CLI, tests) and the training process. Plain data only; typed
 * arrays cross as they are (structured clone / advanced serialization).
 */
import type { DataSettings } from '../core/data/types.js';
import type { ModelSpec } from '../core/model/spec.js';
import type { RunEvaluation } from '../app/ports.js';
import type { TrainingEvent, TrainingResult, TrainingSettings } from '../core/training/types.js';

export interface StartRun {
  type: 'start';
  runId: string;
  /** The CSV to train on; the training process reads it itself so the host never ships the rows. */
  dataPath: string;
  /** Read the CSV as the person loaded it (e.g. skipping rows with the wrong number of fields). */
  skipBadRows?: boolean;
  dataSettings: DataSettings;
  spec: ModelSpec;
  trainingSettings: TrainingSettings;
}

export type ToTrainer = StartRun | { type: 'pause' } | { type: 'resume' } | { type: 'stop' };

export type { RunEvaluation };

export type FromTrainer =
  | { type: 'event'; runId: string; event: TrainingEvent }
  | { type: 'result'; runId: string; result: TrainingResult; evaluation: RunEvaluation }
  /** The run could not go on (bad file, bad settings, crash); `runId` is absent when no run was active. */
  | { type: 'fatal'; message: string; runId?: string };

export function isToTrainer(value: unknown): value is ToTrainer {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'start' || type === 'pause' || type === 'resume' || type === 'stop';
}
