/**
 * The engine behind `LayerLabApi`, shared by the Electron host and browser mode: the parts below share one
 * in-memory state (engine-state.ts), and every call is validated (validate-args.ts) before it acts.
 */
import type { ApiMethod, ApiSubscription, LayerLabApi, MenuCommand } from '../contract/api.js';
import { appInfo } from './app-info.js';
import { createDatasetRegistry } from './datasets.js';
import { createEngineState } from './engine-state.js';
import { createOnnxExportApi } from './onnx-export.js';
import { createOnnxModelApi } from './onnx-models.js';
import { createProjectApi } from './projects.js';
import { createTrainingApi } from './training.js';
import type { Engine, EngineHost } from './types.js';
import { validateArgs } from './validate-args.js';

/** Subscriptions are handed over as they are: only calls go through `invoke`. */
const SUBSCRIPTIONS: ReadonlySet<string> = new Set<ApiSubscription>(['onTrainingEvent', 'onDataProgress', 'onMenuCommand']);

export function createEngine(host: EngineHost): Engine {
  const state = createEngineState(host);
  const datasets = createDatasetRegistry(state);

  const impl = {
    appInfo: async () => appInfo(host),
    ...datasets.api,
    ...createProjectApi(state, datasets),
    ...createTrainingApi(state),
    ...createOnnxExportApi(state),
    ...createOnnxModelApi(state),

    async setDirty(dirty: boolean): Promise<void> {
      host.setDirty?.(dirty);
    },

    onMenuCommand(_listener: (command: MenuCommand) => void): () => void {
      // Menu commands go from the host straight to the UI; the engine has none to give.
      return () => {};
    },
  } satisfies LayerLabApi;

  const invokable = impl as unknown as Record<ApiMethod, (...args: unknown[]) => Promise<unknown>>;

  async function invoke(method: ApiMethod, args: unknown[]): Promise<unknown> {
    const parsed = validateArgs(method, args);
    return invokable[method](...parsed);
  }

  const engine = {
    invoke,
    onTrainingEvent: impl.onTrainingEvent,
    onDataProgress: impl.onDataProgress,
    onMenuCommand: impl.onMenuCommand,
    async dispose() {
      for (const run of state.runs.values()) run.trainer?.dispose();
      for (const entry of state.models.values()) await entry.model.close?.();
      state.datasets.clear();
      state.projects.clear();
      state.runs.clear();
      state.models.clear();
      state.trainingListeners.clear();
      state.dataProgressListeners.clear();
    },
  } as Record<string, unknown>;
  for (const method of Object.keys(invokable) as ApiMethod[]) {
    if (SUBSCRIPTIONS.has(method)) continue;
    engine[method] = (...args: unknown[]) => invoke(method, args);
  }
  return engine as unknown as Engine;
}
