/**
 * Bringing a CSV in: from the host's dialog, an upload or a sample, with the reading progress on a bar and
 * the option to skip malformed rows and try the same file again.
 */
import { api } from '../api.js';
import type { DataProgress, DatasetSummary } from '$contract/api.js';
import { errorMessage, formatBytes } from '../ui/format.js';
import { readFileBytes, type ByteProgress } from '../ui/files.js';
import type { Notices } from '../ui/notices.svelte.js';
import type { AppStatus } from '../project/app-status.svelte.js';
import type { DatasetPreview } from './dataset-preview.svelte.js';

export interface FileLoad {
  label: string;
  /** Null while the bytes travel to the engine, or before its reader reports. */
  progress: ByteProgress | null;
}

export class DatasetLoader {
  load = $state.raw<FileLoad | null>(null);
  error = $state<string | null>(null);
  /** Skip rows with the wrong number of fields instead of refusing the file (the person opts in). */
  skipBadRows = $state(false);
  /** Refuse inf/NaN cells in numeric columns instead of reading them as missing (the person opts in). */
  refuseNonFinite = $state(false);
  /** The last CSV the person picked, so "skip bad rows and retry" needs no second pick. */
  private lastCsv: File | 'dialog' | null = null;

  constructor(
    private readonly preview: DatasetPreview,
    private readonly status: AppStatus,
    private readonly notices: Notices,
  ) {}

  private options() {
    return { skipBadRows: this.skipBadRows, nonFinite: this.refuseNonFinite ? ('refuse' as const) : undefined };
  }

  async openDialog(): Promise<void> {
    this.lastCsv = 'dialog';
    const options = this.options();
    await this.loadData('Opening CSV…', () => api.openCsvDialog(options));
  }

  /** Turns on skipping bad rows and loads the last file again. */
  async retrySkippingBadRows(): Promise<void> {
    this.skipBadRows = true;
    const last = this.lastCsv;
    if (last === 'dialog') await this.openDialog();
    else if (last) await this.upload(last);
  }

  async upload(file: File): Promise<void> {
    this.lastCsv = file;
    this.error = null;
    const reading = `Reading ${file.name}`;
    this.load = { label: reading, progress: { loaded: 0, total: file.size } };
    const sending = `Sending ${file.name} (${formatBytes(file.size)}) to the engine…`;
    let bytes: Uint8Array;
    try {
      bytes = await readFileBytes(file, (progress) => (this.load = { label: reading, progress }));
    } catch (error) {
      this.load = null;
      this.error = errorMessage(error);
      return;
    }
    const options = this.options();
    await this.loadData(sending, () => api.uploadCsv(file.name, bytes, options), file.name);
  }

  async loadSample(sampleId: string): Promise<void> {
    const name = this.status.appInfo?.samples.find((sample) => sample.id === sampleId)?.name ?? sampleId;
    await this.loadData(`Loading ${name}…`, () => api.loadSampleDataset(sampleId));
  }

  /**
   * Runs one dataset load with the engine's reading progress on the bar. `fileName` names the file when the
   * page knows it (an upload); a dialog pick or a sample is only named by the engine's events.
   */
  private async loadData(label: string, load: () => Promise<DatasetSummary | null>, fileName?: string): Promise<void> {
    this.error = null;
    this.load = { label, progress: null };
    const stopProgress = api.onDataProgress((progress) => this.showEngineProgress(progress, fileName));
    try {
      const summary = await load();
      if (summary) {
        this.preview.show(summary);
        this.status.tab = 'data';
        // Each warning leaves the corner once the data no longer has it (say, its column is now ignored).
        for (const { message } of summary.warnings)
          this.notices.push('warning', message, {
            resolved: () => !this.preview.warnings.some((warning) => warning.message === message),
          });
      }
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      stopProgress();
      this.load = null;
    }
  }

  private showEngineProgress(progress: DataProgress, fileName: string | undefined): void {
    // Events for other files (another window's upload) are not this load's.
    if (!this.load || (fileName !== undefined && progress.fileName !== fileName)) return;
    this.load = {
      label: `Reading ${progress.fileName} in the engine`,
      progress: { loaded: progress.bytesRead, total: progress.totalBytes },
    };
  }
}
