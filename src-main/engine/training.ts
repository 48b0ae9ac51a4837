/** Training runs: each in its own trainer process, its events relayed to listeners, its result kept when it ends. */
import type { InsightRequest, LayerLabApi, RunSummary, StartTrainingRequest } from '../contract/api.js';
import type { TrainingEvent, TrainingResult } from '../core/training/types.js';
import { prepareRun, type RunEvaluation } from '../app/index.js';
import { modelSizeIssue } from '../core/model/limits.js';
import { machineTrainingBudget } from '../node/training-budget.js';
import { newRunId } from './core.js';
import type { EngineState, RunEntry } from './engine-state.js';
import { errorMessage } from './error-message.js';
import { recordFailedRun, restoreRun, storeRunResult, summaryOf } from './run-results.js';

export const ONE_RUN_AT_A_TIME =
  'A training run is already in progress in this session: stop it or wait for it to end, then start the next one.';

export type TrainingApi = Pick<
  LayerLabApi,
  'startTraining' | 'controlTraining' | 'setTrainingInsight' | 'onTrainingEvent' | 'getRun'
>;

export function createTrainingApi(state: EngineState): TrainingApi {
  const { host, datasets, projects, runs, trainingListeners } = state;

  function emit(runId: string, event: TrainingEvent): void {
    trainingListeners.deliver({ runId, event });
  }

  return {
    async startTraining(projectId: string, request: StartTrainingRequest): Promise<{ runId: string }> {
      projects.get(projectId);
      // Each run is a process: one at a time per session, so no client can fork them without end.
      if ([...runs.values()].some((other) => other.trainer !== null)) throw new Error(ONE_RUN_AT_A_TIME);
      const datasetEntry = datasets.get(request.datasetId);
      // Prepared once, here: bad settings fail now with the data side's message, the trainer gets these arrays,
      // and evaluation and the export check use the same split.
      const prepared = prepareRun(datasetEntry.dataset, request.dataSettings);
      const tooLarge = modelSizeIssue(
        prepared.preprocessor.inputShape,
        request.spec,
        request.settings.batchSize,
        machineTrainingBudget(),
      );
      if (tooLarge) throw new Error(tooLarge);
      const runId = newRunId();
      const trainer = host.spawnTrainer();
      const run: RunEntry = {
        projectId,
        datasetId: request.datasetId,
        startedAt: new Date(),
        request: { dataSettings: request.dataSettings, spec: request.spec, settings: request.settings },
        trainer,
        started: null,
        paused: false,
        backend: 'cpu',
        history: [],
        outcome: null,
        bestEpoch: null,
        seconds: 0,
        // The kept weights' metrics arrive with the result; until then a run has none to call final.
        finalValidation: {},
        finalTest: {},
        trained: null,
        prepared,
        evaluation: null,
        testEvaluation: null,
        weightsPath: null,
      };
      runs.add(run, runId);
      projects.get(projectId).datasetId = request.datasetId;
      const began = Date.now();
      let ending: TrainingEvent | null = null;
      let settled = false;

      const onEvent = (event: TrainingEvent) => {
        if (event.type === 'started') {
          run.backend = event.backend;
          run.started = event;
        }
        if (event.type === 'paused' || event.type === 'resumed') run.paused = event.type === 'paused';
        if (event.type === 'epoch') {
          run.history.push({
            epoch: event.epoch,
            metrics: event.metrics,
            learningRate: event.learningRate,
            seconds: event.seconds,
          });
        }
        // The end is announced once the result is stored, so getRun right after it sees the evaluation.
        if (event.type === 'finished' || event.type === 'stopped' || event.type === 'error') {
          ending ??= event;
          return;
        }
        emit(runId, event);
      };
      /** The trainer can end more than one way (result, fatal message, exit): only the first one counts. */
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        run.trainer = null;
        trainer.dispose();
        return true;
      };
      const fail = (why: string) => {
        if (!settle()) return;
        run.outcome = 'error';
        run.seconds = (Date.now() - began) / 1000;
        recordFailedRun(state, runId, run);
        emit(runId, ending?.type === 'error' ? ending : { type: 'error', message: why });
      };
      const succeed = (result: TrainingResult, evaluation: RunEvaluation) => {
        if (!settle()) return;
        storeRunResult(state, runId, run, result, evaluation).then(
          () => emit(runId, ending ?? endingFromResult(result)),
          (failure: unknown) => {
            run.outcome = 'error';
            emit(runId, {
              type: 'error',
              message: `Training finished but its result could not be kept: ${errorMessage(failure)}`,
            });
          },
        );
      };

      trainer.onMessage((reply) => {
        if (reply.type === 'event') onEvent(reply.event);
        else if (reply.type === 'result') succeed(reply.result, reply.evaluation);
        else fail(reply.message);
      });
      trainer.onExit((code) =>
        fail(
          `The training process stopped unexpectedly (exit code ${code ?? 'none'}); try again, or choose the cpu backend.`,
        ),
      );
      trainer.start({
        runId,
        prepared,
        spec: request.spec,
        trainingSettings: request.settings,
        insight: request.insight,
      });
      return { runId };
    },

    async controlTraining(runId: string, action: 'pause' | 'resume' | 'stop'): Promise<void> {
      const run = runs.get(runId);
      if (!run.trainer || run.trainer.exited) return;
      if (action === 'pause') run.trainer.pause();
      else if (action === 'resume') run.trainer.resume();
      else run.trainer.stop();
    },

    async setTrainingInsight(runId: string, request: InsightRequest): Promise<void> {
      const run = runs.get(runId);
      if (!run.trainer || run.trainer.exited) return;
      run.trainer.setInsight(request);
    },

    onTrainingEvent: trainingListeners.add,

    async getRun(runId: string): Promise<RunSummary> {
      return summaryOf(runId, await restoreRun(state, runId));
    },
  };
}

/** The end event for a result that arrived without one (the trainer always sends it first; this is the fallback). */
function endingFromResult(result: TrainingResult): TrainingEvent {
  const terminal = { reason: result.outcome, bestEpoch: result.bestEpoch, epochsCompleted: result.history.length };
  const { outcome } = result;
  return outcome === 'finished' || outcome === 'early-stopped'
    ? { type: 'finished', outcome, ...terminal }
    : { type: 'stopped', outcome, ...terminal };
}
