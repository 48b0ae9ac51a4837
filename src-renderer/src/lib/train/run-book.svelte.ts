/** The project's training settings and its runs: those saved with it and those of this session, with their evaluation. */
import type { DataSettings } from '$contract/api.js';
import type { RunSummary } from '$contract/api.js';
import type { RunRecord } from '$contract/api.js';
import type { TrainingSettings } from '$contract/api.js';
import { runRecordFromSummary } from '../project/run-record.js';

export class RunBook {
  settings = $state<TrainingSettings | null>(null);
  runs = $state.raw<RunRecord[]>([]);
  /** Session runs with their evaluation, by id (project runs from disk have none until re-run). */
  summaries = $state.raw<Record<string, RunSummary>>({});
  selectedRunId = $state<string | null>(null);

  readonly selectedRun = $derived(this.selectedRunId ? (this.summaries[this.selectedRunId] ?? null) : null);

  /** A project was opened: its settings and runs replace the session's. */
  load(settings: TrainingSettings, runs: RunRecord[]): void {
    this.settings = structuredClone(settings);
    this.runs = runs;
    this.summaries = {};
    this.selectedRunId = null;
  }

  /** The settings as plain data (the form edits a deep-reactive copy). */
  settingsSnapshot(): TrainingSettings | null {
    return this.settings ? ($state.snapshot(this.settings) as TrainingSettings) : null;
  }

  /** A run of this session ended with a summary: it joins the project's runs and becomes the selected one. */
  record(summary: RunSummary, runId: string, dataSettings: DataSettings | null): void {
    this.summaries = { ...this.summaries, [runId]: summary };
    if (dataSettings)
      this.runs = [...this.runs.filter((run) => run.id !== runId), runRecordFromSummary(summary, dataSettings)];
    this.selectedRunId = runId;
  }
}
