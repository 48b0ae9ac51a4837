/**
 * Starting and stopping a run: what stands in the way of training now, and the run itself. A finished run
 * is handed to the run book.
 */
import type { StackEditor } from '../builder/stack-editor.svelte.js';
import type { DatasetPreview } from '../data/dataset-preview.svelte.js';
import type { RunBook } from './run-book.svelte.js';
import { TrainingRun } from './training-run.svelte.js';
import type { InsightRequest, LrFinderRequest } from '$contract/api.js';
import { settingsProblems } from '$core/model/training-ranges.js';

export class TrainingControl {
  readonly run: TrainingRun;

  constructor(
    private readonly data: DatasetPreview,
    private readonly editor: StackEditor,
    private readonly book: RunBook,
    private readonly projectId: () => string | null,
    /** What the open insight views ask each epoch for (InsightViews). */
    private readonly insight: () => InsightRequest,
  ) {
    this.run = new TrainingRun((summary, runId) => {
      if (summary) this.book.record(summary, runId, this.data.settings);
    });
  }

  /** Why training cannot start now, in words for the person; null when it can. */
  readonly blocker = $derived.by((): string | null => {
    if (!this.data.summary) return 'Load a dataset first (Data tab).';
    if (this.data.checking && !this.data.check) return 'Checking the data…';
    if (this.data.check && !this.data.check.ok)
      return this.data.check.error ?? 'The data settings need attention (Data tab).';
    const report = this.editor.report;
    if (report && !report.ok) return report.issue?.message ?? 'The model needs attention (Model tab).';
    const setting = this.book.settings ? settingsProblems(this.book.settings)[0] : undefined;
    if (setting) return `${setting.message} (Settings, below)`;
    return null;
  });

  readonly canStart = $derived.by(() => !this.run.active && this.blocker === null && this.book.settings !== null);
  readonly canStop = $derived.by(
    () => (this.run.status === 'running' || this.run.status === 'paused') && this.run.runId !== null,
  );

  async start(): Promise<void> {
    const projectId = this.projectId();
    const summary = this.data.summary;
    const dataSettings = this.data.settings;
    const settings = this.book.settingsSnapshot();
    if (!projectId || !summary || !dataSettings || !settings || !this.canStart) return;
    await this.run.start(projectId, {
      datasetId: summary.id,
      dataSettings,
      spec: this.editor.spec,
      settings,
      insight: this.insight(),
    });
  }

  /** The project and request a learning-rate sweep runs on: what Start would train now. */
  sweepRequest(): { projectId: string; request: LrFinderRequest } | null {
    const projectId = this.projectId();
    const summary = this.data.summary;
    const dataSettings = this.data.settings;
    const settings = this.book.settingsSnapshot();
    if (!projectId || !summary || !dataSettings || !settings || this.blocker !== null) return null;
    return { projectId, request: { datasetId: summary.id, dataSettings, spec: this.editor.spec, settings } };
  }

  async stop(): Promise<void> {
    if (this.canStop) await this.run.control('stop');
  }

  dispose(): void {
    this.run.dispose();
  }
}
