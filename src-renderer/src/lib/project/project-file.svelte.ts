/**
 * The open project as a file: its name, where it is saved, whether it has unsaved changes, and new / open /
 * save. The document is assembled from what the panels hold (data settings, the model, training settings,
 * runs) and handed back to them when a project opens.
 */
import { api } from '../api.js';
import type { DatasetProblem, OpenedProject, ProjectDocument, SessionDraft, SessionSnapshot } from '$contract/api.js';
import type { StackEditor } from '../builder/stack-editor.svelte.js';
import type { DatasetPreview } from '../data/dataset-preview.svelte.js';
import type { Host } from '../host/host.js';
import type { RunBook } from '../train/run-book.svelte.js';
import { readFileBytes } from '../ui/files.js';
import type { Notices } from '../ui/notices.svelte.js';
import type { AppStatus } from './app-status.svelte.js';

export interface ProjectParts {
  data: DatasetPreview;
  editor: StackEditor;
  book: RunBook;
  status: AppStatus;
  notices: Notices;
  host: Host;
  /** A project was opened (panels drop what belonged to the previous one). */
  opened(): void;
}

export class ProjectFile {
  projectId = $state<string | null>(null);
  fileName = $state('');
  name = $state('Untitled');
  /** Where files arrive as downloads: the last saved project's link, to fetch it again. */
  lastDownload = $state.raw<{ url: string; fileName: string } | null>(null);
  /** While Save As asks for a file name in the page (hosts without a native dialog): the name offered. */
  fileNamePrompt = $state<string | null>(null);
  private answerPrompt: ((fileName: string | null) => void) | null = null;
  /** The project's data file is not the one its runs were trained on (or is missing): the window offers to re-link. */
  datasetProblem = $state.raw<DatasetProblem | null>(null);
  /**
   * A new project (or the sample, a template) takes the name of the first other dataset loaded into it, unless
   * the person renamed it first; a project opened from a file keeps its name.
   */
  private namedAfterData = true;
  private datasetAtOpen: string | null = null;
  private baseDocument = $state.raw<ProjectDocument | null>(null);
  private savedSnapshot = $state('');

  readonly dirty = $derived(this.projectId !== null && this.snapshot() !== this.savedSnapshot);

  constructor(private readonly parts: ProjectParts) {}

  /** The document as it stands now, built from what every panel holds. */
  document(): ProjectDocument | null {
    const base = this.baseDocument;
    const training = this.parts.book.settingsSnapshot();
    if (!base || !training) return null;
    return {
      ...base,
      name: this.name,
      dataSettings: this.parts.data.settings,
      model: this.parts.editor.spec,
      training,
      runs: this.parts.book.runs,
    };
  }

  private snapshot(): string {
    const document = this.document();
    return document ? JSON.stringify(document) : '';
  }

  private adopt(opened: OpenedProject, template = false): void {
    const { document } = opened;
    this.namedAfterData = !template;
    this.datasetAtOpen = opened.dataset?.id ?? null;
    this.projectId = opened.projectId;
    this.fileName = opened.fileName;
    this.name = document.name;
    this.baseDocument = document;
    this.parts.book.load(document.training, document.runs);
    this.parts.editor.load(document.model);
    this.parts.data.show(opened.dataset, document.dataSettings);
    this.datasetProblem = opened.datasetProblem;
    for (const warning of opened.warnings) this.parts.notices.push('warning', warning);
    this.parts.opened();
    this.savedSnapshot = this.snapshot();
  }

  /**
   * The engine's session after a reload or in a second tab: the project as last opened or saved (what unsaved
   * changes are measured against), then the window's draft and every run on top of it.
   */
  restore(session: SessionSnapshot): void {
    this.adopt(session.project);
    const { draft } = session;
    this.parts.book.load(draft?.training ?? session.project.document.training, session.runs);
    if (!draft) return;
    this.name = draft.name;
    this.parts.editor.load(draft.model);
    this.parts.data.show(session.project.dataset, draft.dataSettings);
  }

  /** What the engine keeps for a reload: the draft as it stands, or null while there is no project. */
  draft(): SessionDraft | null {
    const training = this.parts.book.settingsSnapshot();
    if (!this.projectId || !training) return null;
    return {
      name: this.name,
      dataSettings: this.parts.data.settings,
      model: this.parts.editor.spec,
      training,
      datasetId: this.parts.data.summary?.id ?? null,
    };
  }

  /** Keeps the data file the project has now, though it differs from the recorded one. */
  keepDataset(): void {
    this.datasetProblem = null;
  }

  /** A CSV loaded while the data file is in question re-links the project to it, with the project's settings. */
  private async relink(datasetId: string): Promise<void> {
    const projectId = this.projectId;
    if (!projectId) return;
    const settings = this.baseDocument?.dataSettings ?? null;
    await this.parts.status.guard('Re-linking the data file…', async () => {
      const { dataset, problem } = await api.relinkDataset(projectId, datasetId);
      this.datasetProblem = problem;
      this.parts.data.show(dataset, settings);
      if (!problem)
        this.parts.notices.push('ok', `Re-linked ${dataset.name}: it is the file the runs were trained on.`);
    });
  }

  async openSample(): Promise<void> {
    await this.parts.status.guard('Opening the sample project…', async () =>
      this.adopt(await api.openSampleProject(), true),
    );
  }

  async create(): Promise<void> {
    if (!this.confirmDiscard()) return;
    await this.parts.status.guard('Creating a new project…', async () => {
      this.adopt(await api.newProject(), true);
    });
  }

  /** A dataset was loaded: a new project that has none yet and keeps its first name is named after it ("glass"). */
  datasetLoaded(datasetId: string, datasetName: string): void {
    if (this.datasetProblem && datasetId !== this.datasetAtOpen) {
      this.datasetAtOpen = datasetId;
      void this.relink(datasetId);
      return;
    }
    if (this.namedAfterData || datasetId === this.datasetAtOpen) return;
    this.namedAfterData = true;
    if (this.name !== this.baseDocument?.name) return;
    const stem = datasetName.replace(/\.[^.]+$/, '').trim();
    if (stem) this.name = stem;
  }

  /** The file name offered when saving: the project's name, as a plain file name. */
  suggestedFileName(): string {
    const stem = this.name.replace(/[/\\\0]/g, '_').trim() || 'project';
    return `${stem}.layerlab.json`;
  }

  /** Resolves with the name the person typed in the page's Save As dialog, or null when they cancelled. */
  private askFileName(): Promise<string | null> {
    this.answerPrompt?.(null);
    this.fileNamePrompt = this.suggestedFileName();
    return new Promise((resolve) => (this.answerPrompt = resolve));
  }

  answerFileName(fileName: string | null): void {
    const answer = this.answerPrompt;
    this.answerPrompt = null;
    this.fileNamePrompt = null;
    const trimmed = fileName?.replace(/[/\\\0]/g, '_').trim();
    answer?.(trimmed ? trimmed : null);
  }

  /** The host's open dialog (where there is none, the top bar offers an upload instead). */
  async open(): Promise<void> {
    if (!this.confirmDiscard()) return;
    await this.parts.status.guard('Opening project…', async () => {
      const opened = await api.openProjectDialog();
      if (opened) this.adopt(opened);
    });
  }

  async upload(file: File): Promise<void> {
    if (!this.confirmDiscard()) return;
    await this.parts.status.guard(`Opening ${file.name}…`, async () => {
      const bytes = await readFileBytes(file);
      this.adopt(await api.uploadProject(file.name, bytes));
    });
  }

  async save(saveAs: boolean): Promise<void> {
    const document = this.document();
    if (!this.projectId || !document) return;
    const projectId = this.projectId;
    const datasetId = this.parts.data.summary?.id;
    // Where the host has a native dialog it asks; elsewhere the page does, before the engine is called.
    const fileName = saveAs && !this.parts.host.nativeDialogs ? await this.askFileName() : this.suggestedFileName();
    if (fileName === null) return;
    await this.parts.status.guard('Saving…', async () => {
      const saved = await api.saveProject(projectId, document, {
        saveAs,
        fileName,
        ...(datasetId ? { datasetId } : {}),
      });
      if (!saved) return;
      this.projectId = saved.projectId;
      this.fileName = saved.fileName;
      this.baseDocument = document;
      this.savedSnapshot = this.snapshot();
      if (saved.downloadUrl) {
        this.lastDownload = { url: saved.downloadUrl, fileName: saved.fileName };
        this.parts.host.download(saved.downloadUrl, saved.fileName);
      } else {
        this.parts.notices.push('ok', `Saved ${saved.fileName}.`);
      }
    });
  }

  private confirmDiscard(): boolean {
    return !this.dirty || confirm('This project has unsaved changes. Discard them?');
  }
}
