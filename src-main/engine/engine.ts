/**
 * The engine behind `LayerLabApi`, shared by the Electron host and browser mode: the parts below share one
 * in-memory state (engine-state.ts), and every call is validated (validate-args.ts) before it acts.
 */
import {
  API_EVENTS,
  API_METHODS,
  subscriptionName,
  type ApiEventName,
  type ApiListener,
  type ApiMethod,
  type ApiMethods,
} from '../contract/api.js';
import { appInfo } from './app-info.js';
import { createDatasetRegistry } from './datasets.js';
import { createEngineState } from './engine-state.js';
import { createInsightApi } from './insight.js';
import { createInsightQueriesApi } from './insight-queries.js';
import { createOnnxExportApi } from './onnx-export.js';
import { createScriptExportApi } from './script-export.js';
import { createOnnxModelApi } from './onnx-models.js';
import { createProjectApi } from './projects.js';
import { createSessionApi } from './session.js';
import { createTrainingApi } from './training.js';
import type { Engine, EngineHost } from './types.js';
import { validateArgs } from './validate-args.js';

/** Where each event of the contract comes from: the compiler asks for an entry when an event is added. */
type EventSources = { [E in ApiEventName]: (listener: ApiListener<E>) => () => void };

export function createEngine(host: EngineHost): Engine {
  const state = createEngineState(host);
  const datasets = createDatasetRegistry(state);
  const training = createTrainingApi(state);

  const methods = {
    appInfo: async () => appInfo(host),
    ...datasets.api,
    ...createProjectApi(state, datasets),
    ...createSessionApi(state, datasets),
    ...training,
    ...createInsightApi(state),
    ...createInsightQueriesApi(state),
    ...createOnnxExportApi(state),
    ...createScriptExportApi(state),
    ...createOnnxModelApi(state),

    async setDirty(dirty: boolean): Promise<void> {
      host.setDirty?.(dirty);
    },
  } satisfies ApiMethods;

  const sources: EventSources = {
    trainingEvent: training.onTrainingEvent,
    dataProgress: datasets.api.onDataProgress,
    lrFinderProgress: state.lrFinderProgressListeners.add,
    // Menu commands go from the host straight to the window; the engine has none to give.
    menuCommand: () => () => {},
  };

  const invokable = methods as unknown as Record<ApiMethod, (...args: unknown[]) => Promise<unknown>>;

  async function invoke(method: ApiMethod, args: unknown): Promise<unknown> {
    const parsed = validateArgs(method, args);
    return invokable[method](...parsed);
  }

  function on<E extends ApiEventName>(event: E, listener: ApiListener<E>): () => void {
    return (sources[event] as (listener: ApiListener<E>) => () => void)(listener);
  }

  const engine: Record<string, unknown> = {
    invoke,
    on,
    async dispose() {
      for (const run of state.runs.values()) run.trainer?.dispose();
      for (const entry of state.models.values()) await entry.model.close?.();
      state.datasets.clear();
      state.projects.clear();
      state.sessions.clear();
      state.runs.clear();
      state.models.clear();
      state.trainingListeners.clear();
      state.dataProgressListeners.clear();
      state.lrFinderProgressListeners.clear();
    },
  };
  // Direct callers (tests, the CLI) get the same validation as calls arriving over IPC or the socket.
  for (const method of API_METHODS) engine[method] = (...args: unknown[]) => invoke(method, args);
  for (const event of API_EVENTS)
    engine[subscriptionName(event)] = (listener: ApiListener<typeof event>) => on(event, listener);
  return engine as unknown as Engine;
}
