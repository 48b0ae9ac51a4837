/** The project's training settings and its runs: those saved with it and those of this session, with their evaluation. */
import { api } from '../api.js';
import type { DataSettings, RunRecord, RunSummary, TrainingSettings } from '$contract/api.js';
import { runRecordFromSummary } from '../project/run-record.js';
import { errorMessage } from '../ui/format.js';

export class RunBook {
  settings = $state<TrainingSettings | null>(null);
  runs = $state.raw<RunRecord[]>([]);
  /** Runs with their evaluation, by id: this session's, and recorded ones once opened. */
  summaries = $state.raw<Record<string, RunSummary>>({});
  selectedRunId = $state<string | null>(null);
  /** Why the selected recorded run could not be opened (its weights are missing, say). */
  selectError = $state<string | null>(null);

  readonly selectedRun = $derived(this.selectedRunId ? (this.summaries[this.selectedRunId] ?? null) : null);
  readonly selectedRecord = $derived(this.runs.find((run) => run.id === this.selectedRunId) ?? null);

  /** A project was opened: its settings and runs replace the session's. */
  load(settings: TrainingSettings, runs: RunRecord[]): void {
    this.settings = structuredClone(settings);
    this.runs = runs;
    this.summaries = {};
    this.selectedRunId = null;
    this.selectError = null;
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
    this.selectError = null;
  }

  /** Shows a run; a recorded one is opened by the engine (its weights read again) the first time. */
  async select(runId: string): Promise<void> {
    this.selectedRunId = runId;
    this.selectError = null;
    if (runId in this.summaries) return;
    try {
      const summary = await api.getRun(runId);
      this.summaries = { ...this.summaries, [runId]: summary };
    } catch (error) {
      if (this.selectedRunId === runId) this.selectError = errorMessage(error);
    }
  }

  /** A run's number in the project, 1 for the first; the engine numbers exports the same way. */
  numberOf(runId: string): number {
    const index = this.runs.findIndex((run) => run.id === runId);
    return index >= 0 ? index + 1 : this.runs.length + 1;
  }

  /** "Run 3 — 12:04, 40 epochs, best epoch 31": what every panel showing a run calls it. */
  label(runId: string): string {
    const run = this.runs.find((r) => r.id === runId) ?? this.summaries[runId];
    const name = `Run ${this.numberOf(runId)}`;
    if (!run) return name;
    const time = clockTime(run.startedAt);
    const epochs = run.history.length;
    const best = run.bestEpoch !== null ? `, best epoch ${run.bestEpoch}` : '';
    return `${name} — ${time}, ${epochs} ${epochs === 1 ? 'epoch' : 'epochs'}${best}`;
  }
}

/** "12:04": when a run started, as a clock reads it. */
function clockTime(iso: string): string {
  return new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit' }).format(Date.parse(iso));
}

/** Why a run cannot be exported, or null when it can; the Results panel says the same. */
export function exportBlocker(run: Pick<RunSummary, 'history' | 'outcome' | 'evaluation'>): string | null {
  if (run.history.length === 0)
    return `This run trained no epoch (${run.outcome}), so it has no model to evaluate or export.`;
  if (!run.evaluation) return `This run left no trained model to evaluate or export (${run.outcome}).`;
  return null;
}
