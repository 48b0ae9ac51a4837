/**
 * The window's composition: it creates each piece of state once (the project file, the dataset, the model
 * editor, training, export, predictions), provides them to the panels through context, and registers every
 * application command with the behaviour behind it. Panels take the pieces they use, never this whole.
 */
import { untrack } from 'svelte';
import { api, onConnectionState } from '../api.js';
import { StackEditor } from '../builder/stack-editor.svelte.js';
import { AppCommandRegistry, registerHistoryCommands } from '../commands/app-registry.js';
import { CommandRouter } from '../commands/routing.js';
import { DatasetLoader } from '../data/dataset-loader.svelte.js';
import { DatasetPreview } from '../data/dataset-preview.svelte.js';
import { OnnxExport } from '../export/onnx-export.svelte.js';
import type { Host } from '../host/host.js';
import { InferenceSession } from '../inference/inference.svelte.js';
import { exportBlocker, RunBook } from '../train/run-book.svelte.js';
import { TrainingControl } from '../train/training-control.svelte.js';
import { InsightViews } from '../insight/insight-views.svelte.js';
import { kindOfFile } from '../ui/files.js';
import { errorMessage } from '../ui/format.js';
import { Notices } from '../ui/notices.svelte.js';
import { AppStatus } from './app-status.svelte.js';
import {
  provideCommands,
  provideDataset,
  provideDatasetLoader,
  provideEditor,
  provideHost,
  provideInference,
  provideInsightViews,
  provideNotices,
  provideOnnxExport,
  provideProject,
  provideRunBook,
  provideStatus,
  provideTraining,
} from './context.js';
import { ProjectFile } from './project-file.svelte.js';
import { WindowSession } from './session.svelte.js';

export type { TabId } from './app-status.svelte.js';

export class Workspace {
  readonly notices = new Notices();
  readonly status = new AppStatus(this.notices);
  readonly data = new DatasetPreview();
  readonly loader = new DatasetLoader(this.data, this.status, this.notices);
  readonly editor = new StackEditor();
  readonly book = new RunBook();
  readonly project: ProjectFile;
  readonly training: TrainingControl;
  readonly onnx = new OnnxExport();
  readonly inference = new InferenceSession();
  readonly insightViews = new InsightViews();
  readonly commands = new AppCommandRegistry();
  readonly router: CommandRouter;
  readonly session: WindowSession;
  private readonly stopFollowing: () => void;

  constructor(readonly host: Host) {
    this.project = new ProjectFile({
      data: this.data,
      editor: this.editor,
      book: this.book,
      status: this.status,
      notices: this.notices,
      host,
      opened: () => {
        this.loader.error = null;
        this.onnx.clear();
      },
    });
    this.training = new TrainingControl(
      this.data,
      this.editor,
      this.book,
      () => this.project.projectId,
      () => this.insightViews.request,
    );
    this.session = new WindowSession(this.project, this.training.run);
    this.registerCommands();
    this.router = new CommandRouter(this.commands, {
      applicationMenu: host.applicationMenu,
      focused: () => document.activeElement,
      textFieldCommand: (id) => host.textFieldCommand(id),
    });
    this.stopFollowing = $effect.root(() => this.follow());
  }

  /** What follows what: Predict uses the shown run's export, and a new project takes its first dataset's name. */
  private follow(): void {
    $effect(() => {
      const runId = this.book.selectedRunId;
      untrack(() => {
        const model = this.onnx.resultOf(runId)?.model ?? null;
        if (model) this.inference.use(model);
        else if (this.inference.model && runId !== null) this.inference.model = null;
      });
    });
    $effect(() => {
      const dataset = this.data.summary;
      if (dataset) untrack(() => this.project.datasetLoaded(dataset.id, dataset.name));
    });
    $effect(() => this.session.keep());
  }

  /** Puts every piece in context for the panels; call while the root component initialises. */
  provide(): void {
    provideHost(this.host);
    provideCommands(this.commands);
    provideNotices(this.notices);
    provideStatus(this.status);
    provideProject(this.project);
    provideDataset(this.data);
    provideDatasetLoader(this.loader);
    provideEditor(this.editor);
    provideTraining(this.training);
    provideRunBook(this.book);
    provideInsightViews(this.insightViews);
    provideOnnxExport(this.onnx);
    provideInference(this.inference);
  }

  async start(): Promise<void> {
    onConnectionState((state) => (this.status.connection = state));
    this.host.onMenuCommand((command) => void this.router.menu(command));
    try {
      this.status.appInfo = await api.appInfo();
    } catch (error) {
      this.notices.push('error', `Could not reach the LayerLab engine: ${errorMessage(error)}`);
    }
    let restored = false;
    await this.status.guard('Reconnecting to your session…', async () => {
      restored = await this.session.restore();
    });
    if (!restored) await this.project.openSample();
  }

  dispose(): void {
    this.stopFollowing();
    this.training.dispose();
  }

  /** Each application command, once: its label and keys come from contract/app-commands.ts. */
  private registerCommands(): void {
    const dialogs = () => this.host.nativeDialogs;
    this.commands
      .register('new', { run: () => this.project.create() })
      .register('open', { run: () => this.project.open(), isEnabled: dialogs })
      .register('save', { run: () => this.project.save(false), isEnabled: () => this.project.projectId !== null })
      .register('saveAs', { run: () => this.project.save(true), isEnabled: () => this.project.projectId !== null })
      .register('importCsv', {
        run: () => this.loader.openDialog(),
        isEnabled: () => dialogs() && this.loader.load === null,
      })
      .register('exportOnnx', {
        run: () => {
          this.status.tab = 'export';
          return this.exportOnnx();
        },
      })
      .register('openOnnx', {
        run: () => {
          this.status.tab = 'export';
          return this.inference.openDialog();
        },
        isEnabled: dialogs,
      })
      .register('startTraining', {
        run: () => {
          this.status.tab = 'train';
          return this.training.start();
        },
        isEnabled: () => this.training.canStart,
      })
      .register('stopTraining', { run: () => this.training.stop(), isEnabled: () => this.training.canStop });
    registerHistoryCommands(this.commands, this.editor);
    const missing = this.commands.unregistered();
    if (missing.length > 0) throw new Error(`Application commands without behaviour: ${missing.join(', ')}`);
  }

  /** Exports the selected run and opens the written model for predictions. */
  private async exportOnnx(): Promise<void> {
    const run = this.book.selectedRun;
    const blocker = run ? exportBlocker(run) : 'Train a model first: there is no run to export.';
    if (!run || blocker) {
      this.notices.push('warning', blocker ?? '');
      return;
    }
    const exported = await this.onnx.run(run.runId, this.project.name);
    if (exported) this.inference.use(exported.model);
  }

  /** A file dropped on the window opens as what it is. */
  openDropped(file: File): void {
    switch (kindOfFile(file.name)) {
      case 'csv':
        void this.loader.upload(file);
        break;
      case 'project':
        void this.project.upload(file);
        break;
      case 'onnx':
        this.status.tab = 'export';
        void this.inference.upload(file);
        break;
      default:
        this.notices.push(
          'warning',
          `LayerLab opens .csv, .layerlab.json and .onnx files; "${file.name}" is none of these.`,
        );
    }
  }
}
