/**
 * Messages between a host (Electron main, browser mode, tests) and the training process. Plain data only; typed
 * arrays cross as they are (structured clone / advanced serialization).
 */
import type { PreparedData } from '../core/data/types.js';
import type { ModelSpec } from '../core/model/spec.js';
import type { RunEvaluation } from '../app/ports.js';
import type { TrainingEvent, TrainingResult, TrainingSettings } from '../core/training/types.js';
import type { InsightRequest } from '../core/training/insight-types.js';

export interface StartRun {
  type: 'start';
  runId: string;
  /**
   * The data already read and prepared by the host, split arrays and fitted preprocessor: the CSV is read and
   * prepared once per run, and the host keeps the same split for evaluation and the export check.
   */
  prepared: PreparedData;
  spec: ModelSpec;
  trainingSettings: TrainingSettings;
  /** What the open insight views ask for at the start; `insight` messages change it. */
  insight?: InsightRequest;
}

export type ToTrainer =
  StartRun | { type: 'pause' } | { type: 'resume' } | { type: 'stop' } | { type: 'insight'; request: InsightRequest };

export type { RunEvaluation };

export type FromTrainer =
  | { type: 'event'; runId: string; event: TrainingEvent }
  | { type: 'result'; runId: string; result: TrainingResult; evaluation: RunEvaluation }
  /** The run could not go on (bad file, bad settings, crash); `runId` is absent when no run was active. */
  | { type: 'fatal'; message: string; runId?: string };

export function isToTrainer(value: unknown): value is ToTrainer {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'start' || type === 'pause' || type === 'resume' || type === 'stop' || type === 'insight';
}
