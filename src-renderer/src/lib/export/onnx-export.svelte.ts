/**
 * Exporting a run to ONNX: the engine writes the file and checks it against tf.js before it says yes. Each
 * export belongs to the run it was made from, so a panel showing one run never shows another run's file.
 */
import { api } from '../api.js';
import type { ExportResult, OnnxProfile } from '$contract/api.js';

/** The profiles the panel offers, in the words a person chooses by (the engine explains them in the file). */
export const PROFILE_CHOICES: Record<OnnxProfile, string> = {
  full: 'Full (raw columns in, for onnxruntime)',
  portable: 'Portable (encoded float input + preprocessing manifest)',
};
import { errorMessage } from '../ui/format.js';

export class OnnxExport {
  /** The run being exported, if one is. */
  exportingRunId = $state<string | null>(null);
  /** The profile the next export is written in; full unless the person picks portable. */
  profile = $state<OnnxProfile>('full');
  /** The latest export of each run, and the latest failure, by run id. */
  results = $state.raw<Record<string, ExportResult>>({});
  errors = $state.raw<Record<string, string>>({});

  readonly exporting = $derived(this.exportingRunId !== null);

  resultOf(runId: string | null): ExportResult | null {
    return runId ? (this.results[runId] ?? null) : null;
  }

  errorOf(runId: string | null): string | null {
    return runId ? (this.errors[runId] ?? null) : null;
  }

  /** A project was opened: the exports of the previous one's runs are not its. */
  clear(): void {
    this.results = {};
    this.errors = {};
  }

  /** Resolves to the result, or null when the person cancelled the save dialog or the export failed. */
  async run(runId: string, projectName: string): Promise<ExportResult | null> {
    this.exportingRunId = runId;
    const { [runId]: _dropped, ...otherErrors } = this.errors;
    this.errors = otherErrors;
    try {
      const exported = await api.exportOnnx(runId, projectName, this.profile);
      if (exported) this.results = { ...this.results, [runId]: exported };
      return exported;
    } catch (error) {
      this.errors = { ...this.errors, [runId]: errorMessage(error) };
      return null;
    } finally {
      this.exportingRunId = null;
    }
  }
}
