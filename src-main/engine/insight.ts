/**
 * The step-through over the contract: each trace is made with a stepper (core/insight/example-trace.ts) the
 * engine keeps by id, so "Next batch" trains that copy and never a run's record. While a run trains, the newest
 * epoch weights that reached the window (the live network view asks for them) are kept here too.
 */
import type { BatchStep, ExampleSource, LayerLabApi, RunEvent, TracedExample } from '../contract/api.js';
import { ExampleStepper, type StepperSource } from '../core/insight/example-trace.js';
import type { WeightTensor } from '../core/training/types.js';
import { prepareRun } from '../app/index.js';
import type { EngineState } from './engine-state.js';
import { IdStore } from './id-store.js';
import { keptEpochOfRun, restoreRun } from './run-results.js';

export type InsightApi = Pick<LayerLabApi, 'traceExample' | 'stepExampleBatch'>;

/** Each stepper holds a model and its optimizer state: a few are plenty for one person stepping through rows. */
const KEPT_STEPPERS = 4;

export function createInsightApi(state: EngineState): InsightApi {
  const steppers = new IdStore<ExampleStepper>('s', 'step-through', 'pick the row again to start a fresh one.');
  const order: string[] = [];
  const newestEpoch = new Map<string, { epoch: number; weights: WeightTensor[] }>();

  state.trainingListeners.add(({ runId, event }: RunEvent) => {
    if (event.type === 'epoch' && event.insight?.weights) {
      newestEpoch.set(runId, { epoch: event.epoch, weights: event.insight.weights });
    }
  });

  function keep(stepper: ExampleStepper): string {
    const stepperId = steppers.add(stepper);
    order.push(stepperId);
    while (order.length > KEPT_STEPPERS) {
      const oldest = order.shift()!;
      steppers.find(oldest)?.dispose();
      steppers.delete(oldest);
    }
    return stepperId;
  }

  async function sourceOf(source: Exclude<ExampleSource, { kind: 'stepper' }>): Promise<StepperSource> {
    if (source.kind === 'model') {
      const { datasetId, dataSettings, spec, settings } = source.model;
      const prepared = prepareRun(state.datasets.get(datasetId).dataset, dataSettings);
      return { spec, prepared, settings, weights: null, origin: { kind: 'initial', runId: null } };
    }
    const { runId } = source;
    const run = await restoreRun(state, runId);
    if (!run.prepared) {
      throw new Error(`The data run ${runId} trained on is not loaded: open its dataset again to step through a row.`);
    }
    const { spec, settings } = run.request;
    const base = { spec, settings, prepared: run.prepared };
    if (run.trained) {
      return { ...base, weights: run.trained.weights, origin: { kind: 'kept', runId, epoch: keptEpochOfRun(run) } };
    }
    const newest = newestEpoch.get(runId);
    if (run.trainer && newest) {
      return { ...base, weights: newest.weights, origin: { kind: 'epoch', runId, epoch: newest.epoch } };
    }
    if (!run.trainer)
      throw new Error(`Run ${runId} left no trained weights (it ended with ${run.outcome ?? 'an error'}).`);
    return { ...base, weights: null, origin: { kind: 'initial', runId } };
  }

  return {
    async traceExample(source: ExampleSource, row: number | null): Promise<TracedExample> {
      await state.ensureTf();
      if (source.kind === 'stepper')
        return { stepperId: source.stepperId, trace: steppers.get(source.stepperId).trace(row) };
      const stepper = new ExampleStepper(await sourceOf(source));
      try {
        const trace = stepper.trace(row);
        return { stepperId: keep(stepper), trace };
      } catch (error) {
        stepper.dispose();
        throw error;
      }
    },

    async stepExampleBatch(stepperId: string, row: number | null): Promise<BatchStep> {
      await state.ensureTf();
      return steppers.get(stepperId).stepBatch(row);
    },
  };
}
