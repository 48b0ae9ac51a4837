import type { DataSettings, RunRecord, RunSummary } from '$contract/api.js';

/**
 * What the project file remembers of a run made in this session. The engine owns the weights; it fills
 * in `weightsFile` when it writes the project.
 */
export function runRecordFromSummary(summary: RunSummary, dataSettings: DataSettings): RunRecord {
  return {
    id: summary.runId,
    startedAt: summary.startedAt,
    spec: summary.spec,
    dataSettings,
    settings: summary.settings,
    backend: summary.backend,
    seconds: summary.seconds,
    outcome: summary.outcome,
    bestEpoch: summary.bestEpoch,
    history: summary.history,
    finalValidation: summary.finalValidation,
    weightsFile: null,
  };
}
