/**
 * What a training run leaves behind: its result stored when it finishes (weights on disk, a record in the
 * project), a record when it fails, the run restored from an earlier session's weights, and its summary.
 */
import path from 'node:path';
import type { Evaluation, RunSummary } from '../contract/api.js';
import type { PreparedData } from '../core/data/types.js';
import { keptEpochOf } from '../core/training/kept-weights.js';
import type { TrainedModel, TrainingResult } from '../core/training/types.js';
import {
  evaluateSplit,
  failedRunRecord,
  prepareRun,
  recordRun,
  type RunEvaluation,
  type RunInputs,
} from '../app/index.js';
import { readTrainedModel, weightsMismatch, weightsPathFor } from './core.js';
import type { EngineState, RunEntry } from './engine-state.js';
import { toContractEvaluation } from './evaluation.js';

/** The model evaluated here on one split of the prepared data, when that split has rows. */
async function evaluateOn(
  state: EngineState,
  trained: TrainedModel,
  prepared: PreparedData | null,
  split: 'validation' | 'test',
): Promise<Evaluation | null> {
  if (!prepared || prepared[split].count === 0) return null;
  await state.ensureTf();
  const evaluation = evaluateSplit(trained, prepared[split]);
  return evaluation && toContractEvaluation(evaluation);
}

function inputsOf(runId: string, run: RunEntry): RunInputs {
  return { id: runId, startedAt: run.startedAt, ...run.request };
}

export function summaryOf(runId: string, run: RunEntry): RunSummary {
  return {
    runId,
    startedAt: run.startedAt.toISOString(),
    backend: run.backend,
    outcome: run.outcome ?? 'finished',
    seconds: run.seconds,
    bestEpoch: run.bestEpoch,
    history: run.history,
    finalValidation: run.finalValidation,
    finalTest: run.finalTest,
    settings: run.request.settings,
    spec: run.request.spec,
    evaluation: run.evaluation,
    testEvaluation: run.testEvaluation,
  };
}

/** Keeps a finished run: its evaluation (the trainer's, else computed here), its weights file and its record. */
export async function storeRunResult(
  state: EngineState,
  runId: string,
  run: RunEntry,
  result: TrainingResult,
  evaluation: RunEvaluation | null,
): Promise<void> {
  run.trained = result.model;
  run.backend = result.backend;
  run.history = result.history;
  run.bestEpoch = result.bestEpoch;
  run.outcome = result.outcome;
  run.seconds = result.seconds;
  run.finalValidation = result.finalValidation;
  run.finalTest = result.finalTest;
  run.evaluation = evaluation?.validation
    ? toContractEvaluation(evaluation.validation)
    : await evaluateOn(state, result.model, run.prepared, 'validation');
  run.testEvaluation = evaluation?.test ? toContractEvaluation(evaluation.test) : null;
  const project = state.projects.get(run.projectId);
  run.weightsPath = project.path
    ? weightsPathFor(project.path, runId)
    : path.join(state.host.workspaceDir, 'runs', `${runId}.llw`);
  project.runs.set(runId, await recordRun(inputsOf(runId, run), result, run.weightsPath, project.path));
}

/** The epoch whose weights the run kept: null while it trains, or when it ended before an epoch completed. */
export function keptEpochOfRun(run: RunEntry): number | null {
  return run.outcome ? keptEpochOf({ ...run, settings: run.request.settings, outcome: run.outcome }) : null;
}

export function recordFailedRun(state: EngineState, runId: string, run: RunEntry): void {
  const project = state.projects.find(run.projectId);
  if (!project) return;
  project.runs.set(runId, failedRunRecord(inputsOf(runId, run), run));
}

/** A live run, or one from an earlier session: weights from disk, data prepared again with the recorded settings. */
export async function restoreRun(state: EngineState, runId: string): Promise<RunEntry> {
  const live = state.runs.find(runId);
  if (live) return live;
  const old = state.weightsOfOldRuns.get(runId);
  if (!old) return state.runs.get(runId);
  const { record } = old;
  const trained = await readTrainedModel(old.path);
  const project = state.projects.find(old.projectId);
  const datasetId = project?.datasetId ?? null;
  let prepared: PreparedData | null = null;
  if (datasetId) {
    try {
      prepared = prepareRun(state.datasets.get(datasetId).dataset, record.dataSettings);
    } catch {
      prepared = null;
    }
  }
  const mismatch = weightsMismatch(trained, path.basename(old.path), {
    spec: record.spec,
    inputShape: prepared?.preprocessor.inputShape,
  });
  if (mismatch) throw new Error(mismatch);
  const run: RunEntry = {
    projectId: old.projectId,
    datasetId,
    startedAt: new Date(record.startedAt),
    request: { dataSettings: record.dataSettings, spec: record.spec, settings: record.settings },
    trainer: null,
    started: null,
    paused: false,
    backend: record.backend,
    history: record.history,
    outcome: record.outcome,
    bestEpoch: record.bestEpoch,
    seconds: record.seconds,
    finalValidation: record.finalValidation,
    finalTest: record.finalTest ?? {},
    trained,
    prepared,
    evaluation: await evaluateOn(state, trained, prepared, 'validation'),
    testEvaluation: await evaluateOn(state, trained, prepared, 'test'),
    weightsPath: old.path,
  };
  state.runs.add(run, runId);
  return run;
}
