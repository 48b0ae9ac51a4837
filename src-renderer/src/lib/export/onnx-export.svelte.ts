/** Exporting a run to ONNX: the engine writes the file and checks it against tf.js before it says yes. */
import { api } from '../api.js';
import type { ExportResult } from '$contract/api.js';
import { errorMessage } from '../ui/format.js';

export class OnnxExport {
  exporting = $state(false);
  error = $state<string | null>(null);
  result = $state.raw<ExportResult | null>(null);

  /** Resolves to the result, or null when the person cancelled the save dialog or the export failed. */
  async run(runId: string): Promise<ExportResult | null> {
    this.exporting = true;
    this.error = null;
    try {
      const exported = await api.exportOnnx(runId);
      if (exported) this.result = exported;
      return exported;
    } catch (error) {
      this.error = errorMessage(error);
      return null;
    } finally {
      this.exporting = false;
    }
  }
}
