/**
 * An ONNX model opened for predictions: the one just exported or any file the person picks. Holds the
 * single-row form, its answer, and a batch prediction over a CSV.
 */
import { api } from '../api.js';
import type { OnnxModelSummary, OnnxTensorInfo, PredictionTable, RawRecord } from '$contract/api.js';
import { errorMessage } from '../ui/format.js';
import { readFileBytes } from '../ui/files.js';

export function isNumericInput(input: OnnxTensorInfo): boolean {
  return /float|double|int/i.test(input.type);
}

export class InferenceSession {
  model = $state.raw<OnnxModelSummary | null>(null);
  /** Text typed per input name. */
  fields = $state<Record<string, string>>({});
  result = $state.raw<PredictionTable | null>(null);
  batch = $state.raw<PredictionTable | null>(null);
  batchSource = $state('');
  saved = $state.raw<{ fileName: string; downloadUrl?: string } | null>(null);
  busy = $state<string | null>(null);
  error = $state<string | null>(null);

  use(model: OnnxModelSummary): void {
    this.model = model;
    this.fields = Object.fromEntries(model.inputs.map((input) => [input.name, this.fields[input.name] ?? '']));
    this.result = null;
    this.batch = null;
    this.saved = null;
    this.error = null;
  }

  async openDialog(): Promise<void> {
    await this.work('Opening model…', async () => {
      const model = await api.openOnnxDialog();
      if (model) this.use(model);
    });
  }

  async upload(file: File): Promise<void> {
    await this.work(`Opening ${file.name}…`, async () =>
      this.use(await api.uploadOnnx(file.name, await readFileBytes(file))),
    );
  }

  /** The fields as typed: the engine refuses an empty or mistyped one by name, for the CLI and the window alike. */
  record(): RawRecord {
    return Object.fromEntries((this.model?.inputs ?? []).map((input) => [input.name, this.fields[input.name] ?? '']));
  }

  /** The categories an input saw in training, empty for number inputs and models from elsewhere. */
  categories(inputName: string): string[] {
    return this.model?.categories?.[inputName] ?? [];
  }

  /** Said next to a category field holding a value the model never saw in training. */
  unseenNote(inputName: string): string | null {
    const known = this.categories(inputName);
    const text = (this.fields[inputName] ?? '').trim();
    if (known.length === 0 || text === '' || known.includes(text)) return null;
    return `"${text}" was not seen in training: the model treats it as none of its categories.`;
  }

  async predictRow(): Promise<void> {
    const model = this.model;
    if (!model) return;
    await this.work('Predicting…', async () => {
      this.result = await api.predictRecords(model.modelId, [this.record()]);
    });
  }

  async predictCsv(file: File): Promise<void> {
    const model = this.model;
    if (!model) return;
    await this.work(`Predicting ${file.name}…`, async () => {
      const dataset = await api.uploadCsv(file.name, await readFileBytes(file));
      this.batch = await api.predictDataset(model.modelId, dataset.id);
      this.batchSource = file.name;
      this.saved = null;
    });
  }

  async saveBatch(): Promise<void> {
    const table = this.batch;
    if (!table) return;
    await this.work('Saving predictions…', async () => {
      this.saved = await api.savePredictions(table);
    });
  }

  private async work(label: string, action: () => Promise<void>): Promise<void> {
    this.busy = label;
    this.error = null;
    try {
      await action();
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.busy = null;
    }
  }
}
