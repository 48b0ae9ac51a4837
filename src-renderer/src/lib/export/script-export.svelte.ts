/**
 * Writing a run as a PyTorch or Keras training script: the engine saves the script and the run's weights beside
 * it. Like the ONNX export, each result belongs to the run it was made from.
 */
import { api } from '../api.js';
import type { TrainingScriptResult } from '$contract/api.js';
import { errorMessage } from '../ui/format.js';

export type ScriptFormat = 'pytorch' | 'keras';

export class ScriptExport {
  writing = $state<ScriptFormat | null>(null);
  result = $state.raw<{ runId: string; format: ScriptFormat; saved: TrainingScriptResult } | null>(null);
  error = $state.raw<{ runId: string; message: string } | null>(null);

  resultOf(runId: string | null): TrainingScriptResult | null {
    return this.result && this.result.runId === runId ? this.result.saved : null;
  }

  errorOf(runId: string | null): string | null {
    return this.error && this.error.runId === runId ? this.error.message : null;
  }

  async run(runId: string, format: ScriptFormat, projectName: string): Promise<void> {
    this.writing = format;
    this.error = null;
    try {
      const saved = await api.exportTrainingScript(runId, format, projectName);
      if (saved) this.result = { runId, format, saved };
    } catch (error) {
      this.error = { runId, message: errorMessage(error) };
    } finally {
      this.writing = null;
    }
  }
}
