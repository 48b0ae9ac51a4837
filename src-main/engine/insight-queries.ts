/**
 * The insight views' calls that are not part of a run in progress: a finished run's kept weights as the
 * decision boundary, the network and the layer views show them, and the learning-rate finder's sweep (one
 * reply, with `lrFinderProgress` events on the way).
 */
import type {
  BoundaryGrid,
  BoundaryRequest,
  EpochInsight,
  KeptInsightRequest,
  LayerLabApi,
  LrFinderRequest,
  LrSweep,
} from '../contract/api.js';
import { prepareRun } from '../app/index.js';
import { boundaryGrid, findLearningRate, keptInsight } from './core.js';
import type { EngineState } from './engine-state.js';
import { keptEpochOfRun, restoreRun } from './run-results.js';

export type InsightQueriesApi = Pick<LayerLabApi, 'boundaryForRun' | 'insightForRun' | 'findLearningRate'>;

export function createInsightQueriesApi(state: EngineState): InsightQueriesApi {
  return {
    async boundaryForRun(runId: string, request: BoundaryRequest): Promise<BoundaryGrid | null> {
      const run = await restoreRun(state, runId);
      if (!run.trained || !run.prepared) return null;
      await state.ensureTf();
      return boundaryGrid({ spec: run.trained.spec, prepared: run.prepared }, run.trained.weights, request);
    },

    async insightForRun(runId: string, request: KeptInsightRequest): Promise<EpochInsight | null> {
      const run = await restoreRun(state, runId);
      const epoch = keptEpochOfRun(run);
      if (!run.trained || !run.prepared || epoch === null) return null;
      await state.ensureTf();
      const { spec, weights } = run.trained;
      return keptInsight({ spec, weights, prepared: run.prepared, settings: run.request.settings, epoch }, request);
    },

    async findLearningRate(projectId: string, request: LrFinderRequest): Promise<LrSweep> {
      state.projects.get(projectId);
      const prepared = prepareRun(state.datasets.get(request.datasetId).dataset, request.dataSettings);
      await state.ensureTf();
      return findLearningRate(request.spec, prepared, request.settings, {}, (done, total) =>
        state.lrFinderProgressListeners.deliver({ projectId, done, total }),
      );
    },
  };
}
