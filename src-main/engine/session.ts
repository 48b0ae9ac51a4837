/**
 * Window sessions: the window keeps its draft here as it changes, under a random key of its own, and asks for
 * it back when it starts. The engine outlives the window (a reload, a second tab), so the dataset, the model,
 * the settings, the runs and a training in progress all come back from here.
 */
import type { LayerLabApi, RunInProgress, SessionDraft, SessionSnapshot } from '../contract/api.js';
import type { DatasetRegistry } from './datasets.js';
import type { EngineState } from './engine-state.js';
import { summaryOf } from './run-results.js';

export type SessionApi = Pick<LayerLabApi, 'getSession' | 'setSessionDraft'>;

/** Windows opened and closed over a long session leave keys behind; the oldest beyond this are forgotten. */
const KEPT_SESSIONS = 50;

export function createSessionApi(state: EngineState, datasets: DatasetRegistry): SessionApi {
  const { projects, runs, sessions } = state;

  /** The run of this project that is still training (at most one per window; the newest wins). */
  function runInProgress(projectId: string): RunInProgress | null {
    let found: RunInProgress | null = null;
    for (const [runId, run] of runs.entries()) {
      if (run.projectId !== projectId || run.trainer === null || run.outcome !== null) continue;
      // A copy: the run's own history goes on growing after this answer.
      const summary = { ...summaryOf(runId, run), history: [...run.history] };
      found = { runId, summary, started: run.started, paused: run.paused };
    }
    return found;
  }

  return {
    async getSession(sessionKey: string): Promise<SessionSnapshot | null> {
      const session = sessions.get(sessionKey);
      const project = session && projects.find(session.projectId);
      if (!session || !project) return null;
      const draftDataset = session.draft?.datasetId;
      const datasetId = draftDataset && state.datasets.find(draftDataset) ? draftDataset : project.datasetId;
      return {
        project: {
          projectId: session.projectId,
          fileName: project.fileName,
          document: project.document,
          dataset: datasetId ? datasets.summarize(datasetId) : null,
          datasetProblem: project.datasetProblem,
          warnings: [],
        },
        draft: session.draft,
        runs: [...project.runs.values()],
        running: runInProgress(session.projectId),
      };
    },

    async setSessionDraft(sessionKey: string, projectId: string, draft: SessionDraft): Promise<void> {
      projects.get(projectId);
      if (draft.datasetId) state.datasets.get(draft.datasetId);
      // Re-inserted, so the map's order is the order of last use.
      sessions.delete(sessionKey);
      sessions.set(sessionKey, { projectId, draft });
      for (const key of sessions.keys()) {
        if (sessions.size <= KEPT_SESSIONS) break;
        sessions.delete(key);
      }
    },
  };
}
