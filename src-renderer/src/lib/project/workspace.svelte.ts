/**
 * The open project and everything the window shows about it: the dataset, the model editor, training
 * settings, runs, and the actions of the top bar. Panels read and change it; it alone calls the project
 * and dataset parts of the API.
 */
import { api, onConnectionState, type ConnectionState } from '../api.js';
import type {
  AppInfo, DataProgress, DatasetSummary, MenuCommand, OpenedProject, ProjectDocument, RunSummary,
} from '$contract/api.js';
import type { RunRecord, TrainingSettings } from '$contract/api.js';
import { StackEditor } from '../builder/stack-editor.svelte.js';
import { DatasetPreview } from '../data/dataset-preview.svelte.js';
import { OnnxExport } from '../export/onnx-export.svelte.js';
import { InferenceSession } from '../inference/inference.svelte.js';
import { TrainingRun } from '../train/training-run.svelte.js';
import { Notices } from '../ui/notices.svelte.js';
import { errorMessage, formatBytes } from '../ui/format.js';
import { readFileBytes, type ByteProgress } from '../ui/files.js';
import { runRecordFromSummary } from './run-record.js';

export type TabId = 'data' | 'model' | 'train' | 'results' | 'export';

export interface FileLoad {
  label: string;
  /** Null while the bytes travel to the engine, or before its reader reports. */
  progress: ByteProgress | null;
}

export class Workspace {
  readonly notices = new Notices();
  readonly data = new DatasetPreview();
  readonly editor = new StackEditor();
  readonly run: TrainingRun;
  readonly onnx = new OnnxExport();
  readonly inference = new InferenceSession();

  tab = $state<TabId>('data');
  appInfo = $state.raw<AppInfo | null>(null);
  connection = $state<ConnectionState>('connecting');
  /** A project-wide action in progress ("Opening project…"). */
  busy = $state<string | null>(null);

  projectId = $state<string | null>(null);
  fileName = $state('');
  projectName = $state('Untitled');
  private baseDocument = $state.raw<ProjectDocument | null>(null);
  private savedSnapshot = $state('');

  dataLoad = $state.raw<FileLoad | null>(null);
  dataError = $state<string | null>(null);

  training = $state<TrainingSettings | null>(null);
  runs = $state.raw<RunRecord[]>([]);
  /** Session runs with their evaluation, by id (project runs from disk have none until re-run). */
  runSummaries = $state.raw<Record<string, RunSummary>>({});
  selectedRunId = $state<string | null>(null);

  readonly selectedRun = $derived(this.selectedRunId ? this.runSummaries[this.selectedRunId] ?? null : null);
  readonly dirty = $derived(this.projectId !== null && this.snapshot() !== this.savedSnapshot);

  constructor() {
    this.run = new TrainingRun((summary, runId) => this.runEnded(summary, runId));
  }

  async start(): Promise<void> {
    onConnectionState((state) => (this.connection = state));
    api.onMenuCommand((command) => void this.menu(command));
    try {
      this.appInfo = await api.appInfo();
    } catch (error) {
      this.notices.push('error', `Could not reach the LayerLab engine: ${errorMessage(error)}`);
    }
    await this.guard('Opening the sample project…', async () => this.adopt(await api.openSampleProject()));
  }

  // ---- the project ------------------------------------------------------------------------------------

  /** The document as it stands now, built from what every panel holds. */
  document(): ProjectDocument | null {
    const base = this.baseDocument;
    if (!base || !this.training) return null;
    return {
      ...base,
      name: this.projectName,
      dataSettings: this.data.settings,
      model: this.editor.spec,
      training: $state.snapshot(this.training) as TrainingSettings,
      runs: this.runs,
    };
  }

  private snapshot(): string {
    const document = this.document();
    return document ? JSON.stringify(document) : '';
  }

  private adopt(opened: OpenedProject): void {
    const { document } = opened;
    this.projectId = opened.projectId;
    this.fileName = opened.fileName;
    this.projectName = document.name;
    this.baseDocument = document;
    this.training = structuredClone(document.training);
    this.runs = document.runs;
    this.runSummaries = {};
    this.selectedRunId = null;
    this.editor.load(document.model);
    this.data.show(opened.dataset, document.dataSettings);
    this.dataError = null;
    for (const warning of opened.warnings) this.notices.push('warning', warning);
    this.savedSnapshot = this.snapshot();
  }

  async newProject(): Promise<void> {
    if (!this.confirmDiscard()) return;
    await this.guard('Creating a new project…', async () => this.adopt(await api.newProject()));
  }

  /** Electron: the open dialog. Browser mode has no dialog; the top bar offers an upload instead. */
  async openProject(): Promise<void> {
    if (!this.confirmDiscard()) return;
    await this.guard('Opening project…', async () => {
      const opened = await api.openProjectDialog();
      if (opened) this.adopt(opened);
    });
  }

  async uploadProject(file: File): Promise<void> {
    if (!this.confirmDiscard()) return;
    await this.guard(`Opening ${file.name}…`, async () => {
      const bytes = await readFileBytes(file);
      this.adopt(await api.uploadProject(file.name, bytes));
    });
  }

  async save(saveAs: boolean): Promise<void> {
    const document = this.document();
    if (!this.projectId || !document) return;
    const projectId = this.projectId;
    const datasetId = this.data.summary?.id;
    await this.guard('Saving…', async () => {
      const saved = await api.saveProject(projectId, document, { saveAs, ...(datasetId ? { datasetId } : {}) });
      if (!saved) return;
      this.projectId = saved.projectId;
      this.fileName = saved.fileName;
      this.baseDocument = document;
      this.savedSnapshot = this.snapshot();
      if (saved.downloadUrl) this.offerDownload(saved.downloadUrl, saved.fileName);
      else this.notices.push('ok', `Saved ${saved.fileName}.`);
    });
  }

  /** Browser mode: a saved file reaches the person as a download. */
  lastDownload = $state.raw<{ url: string; fileName: string } | null>(null);

  private offerDownload(url: string, fileName: string): void {
    this.lastDownload = { url, fileName };
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.rel = 'noopener';
    document.body.append(link);
    link.click();
    link.remove();
  }

  private confirmDiscard(): boolean {
    return !this.dirty || confirm('This project has unsaved changes. Discard them?');
  }

  // ---- the dataset ------------------------------------------------------------------------------------

  /** Skip rows with the wrong number of fields instead of refusing the file (the person opts in). */
  skipBadRows = $state(false);
  /** The last CSV the person picked, so "skip bad rows and retry" needs no second pick. */
  private lastCsv: File | 'dialog' | null = null;

  async openCsvDialog(): Promise<void> {
    this.lastCsv = 'dialog';
    const options = { skipBadRows: this.skipBadRows };
    await this.loadData('Opening CSV…', () => api.openCsvDialog(options));
  }

  /** Turns on skipping bad rows and loads the last file again. */
  async retrySkippingBadRows(): Promise<void> {
    this.skipBadRows = true;
    const last = this.lastCsv;
    if (last === 'dialog') await this.openCsvDialog();
    else if (last) await this.uploadCsv(last);
  }

  async uploadCsv(file: File): Promise<void> {
    this.lastCsv = file;
    this.dataError = null;
    const reading = `Reading ${file.name}`;
    this.dataLoad = { label: reading, progress: { loaded: 0, total: file.size } };
    const sending = `Sending ${file.name} (${formatBytes(file.size)}) to the engine…`;
    let bytes: Uint8Array;
    try {
      bytes = await readFileBytes(file, (progress) => (this.dataLoad = { label: reading, progress }));
    } catch (error) {
      this.dataLoad = null;
      this.dataError = errorMessage(error);
      return;
    }
    const options = { skipBadRows: this.skipBadRows };
    await this.loadData(sending, () => api.uploadCsv(file.name, bytes, options), file.name);
  }

  async loadSample(sampleId: string): Promise<void> {
    const name = this.appInfo?.samples.find((sample) => sample.id === sampleId)?.name ?? sampleId;
    await this.loadData(`Loading ${name}…`, () => api.loadSampleDataset(sampleId));
  }

  /**
   * Runs one dataset load with the engine's reading progress on the bar. `fileName` names the file when the
   * page knows it (an upload); a dialog pick or a sample is only named by the engine's events.
   */
  private async loadData(label: string, load: () => Promise<DatasetSummary | null>, fileName?: string): Promise<void> {
    this.dataError = null;
    this.dataLoad = { label, progress: null };
    const stopProgress = api.onDataProgress((progress) => this.showEngineProgress(progress, fileName));
    try {
      const summary = await load();
      if (summary) {
        this.data.show(summary);
        this.tab = 'data';
        for (const warning of summary.warnings) this.notices.push('warning', warning.message);
      }
    } catch (error) {
      this.dataError = errorMessage(error);
    } finally {
      stopProgress();
      this.dataLoad = null;
    }
  }

  private showEngineProgress(progress: DataProgress, fileName: string | undefined): void {
    // Events for other files (another window's upload) are not this load's.
    if (!this.dataLoad || (fileName !== undefined && progress.fileName !== fileName)) return;
    this.dataLoad = {
      label: `Reading ${progress.fileName} in the engine`,
      progress: { loaded: progress.bytesRead, total: progress.totalBytes },
    };
  }

  // ---- training ---------------------------------------------------------------------------------------

  readonly trainBlocker = $derived.by((): string | null => {
    if (!this.data.summary) return 'Load a dataset first (Data tab).';
    if (this.data.checking && !this.data.check) return 'Checking the data…';
    if (this.data.check && !this.data.check.ok) return this.data.check.error ?? 'The data settings need attention (Data tab).';
    const report = this.editor.report;
    if (report && !report.ok) return report.issue?.message ?? 'The model needs attention (Model tab).';
    return null;
  });

  async startTraining(): Promise<void> {
    const summary = this.data.summary;
    const dataSettings = this.data.settings;
    if (!this.projectId || !summary || !dataSettings || !this.training) return;
    await this.run.start(this.projectId, {
      datasetId: summary.id,
      dataSettings,
      spec: this.editor.spec,
      settings: $state.snapshot(this.training) as TrainingSettings,
    });
  }

  private runEnded(summary: RunSummary | null, runId: string): void {
    if (!summary) return;
    const dataSettings = this.data.settings;
    this.runSummaries = { ...this.runSummaries, [runId]: summary };
    if (dataSettings) this.runs = [...this.runs.filter((run) => run.id !== runId), runRecordFromSummary(summary, dataSettings)];
    this.selectedRunId = runId;
  }

  // ---- export ------------------------------------------------------------------------------------------

  /** Exports the selected run and opens the written model for predictions. */
  async exportOnnx(): Promise<void> {
    const run = this.selectedRun;
    if (!run?.evaluation) {
      this.notices.push('warning', 'Train a model first: there is no finished run in this session to export.');
      return;
    }
    const exported = await this.onnx.run(run.runId);
    if (exported) this.inference.use(exported.model);
  }

  // ---- menus and drops --------------------------------------------------------------------------------

  /** Routes a host menu command to the same action as its button. */
  async menu(command: MenuCommand): Promise<void> {
    switch (command) {
      case 'new': return this.newProject();
      case 'open': return this.openProject();
      case 'save': return this.save(false);
      case 'saveAs': return this.save(true);
      case 'importCsv': return this.openCsvDialog();
      case 'exportOnnx':
        this.tab = 'export';
        return this.exportOnnx();
      case 'openOnnx':
        this.tab = 'export';
        return this.inference.openDialog();
      case 'undo':
      case 'redo':
        // The builder's command registry owns undo, so the menu and Ctrl+Z take the same path.
        this.editor.execute(command);
        return;
    }
  }

  private async guard(label: string, action: () => Promise<void>): Promise<void> {
    this.busy = label;
    try {
      await action();
    } catch (error) {
      this.notices.push('error', errorMessage(error));
    } finally {
      this.busy = null;
    }
  }
}
