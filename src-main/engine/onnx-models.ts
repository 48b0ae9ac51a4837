/** ONNX models opened in onnxruntime (exported, opened or uploaded), kept by id, and the predictions they make. */
import path from 'node:path';
import { inputCategories, localFiles, predictDataset, predictTypedRecords, writePredictions } from '../app/index.js';
import type { LayerLabApi, OnnxModelSummary, PredictionTable, RawRecord } from '../contract/api.js';
import { openOnnxModel, type OpenOnnxOptions } from './core.js';
import type { EngineState } from './engine-state.js';
import { offerSaved } from './workspace.js';

export type OnnxModelApi = Pick<
  LayerLabApi,
  'openOnnxDialog' | 'uploadOnnx' | 'predictRecords' | 'predictDataset' | 'savePredictions'
>;

/** Opens the model (a file path or its bytes) and keeps it under a new id. */
export async function registerModel(
  state: EngineState,
  source: string | Uint8Array,
  fileName: string,
  options: OpenOnnxOptions = {},
): Promise<OnnxModelSummary> {
  const model = await openOnnxModel(source, { fileName, ...options });
  const modelId = state.models.mint();
  const { inputs, outputs, producer, opset, metadata } = model.info;
  const summary: OnnxModelSummary = {
    modelId,
    fileName,
    inputs,
    outputs,
    producer,
    opset,
    metadata,
    categories: inputCategories(model.info),
  };
  state.models.add({ fileName, model, summary }, modelId);
  return summary;
}

export function createOnnxModelApi(state: EngineState): OnnxModelApi {
  const { host, datasets, models } = state;
  return {
    async openOnnxDialog(): Promise<OnnxModelSummary | null> {
      const filePath = await host.chooseOpenFile('onnx');
      if (!filePath) return null;
      return registerModel(state, filePath, path.basename(filePath));
    },

    async uploadOnnx(fileName: string, bytes: Uint8Array): Promise<OnnxModelSummary> {
      return registerModel(state, bytes, fileName);
    },

    async predictRecords(modelId: string, records: RawRecord[]): Promise<PredictionTable> {
      return predictTypedRecords(models.get(modelId).model, records);
    },

    async predictDataset(modelId: string, datasetId: string): Promise<PredictionTable> {
      // Inputs beside predictions: the table the window shows is the file it saves, the CLI's format.
      return predictDataset(models.get(modelId).model, datasets.get(datasetId).dataset);
    },

    async savePredictions(table: PredictionTable): Promise<{ fileName: string; downloadUrl?: string } | null> {
      const target = await host.chooseSaveFile('predictions', 'predictions.csv');
      if (!target) return null;
      await writePredictions(localFiles, target, table);
      return { fileName: path.basename(target), downloadUrl: await offerSaved(host, target) };
    },
  };
}
