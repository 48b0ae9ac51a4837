/**
 * Predictions with an ONNX model, and the one predictions CSV: input columns first, then predictions. The
 * window's table and the CLI's file are made here, so both give the same bytes for the same model and CSV.
 */
import path from 'node:path';
import { datasetRecords } from '../core/data/rows.js';
import type { Dataset } from '../core/data/types.js';
import { tableCsvText, withInputColumns, type PredictionTable } from '../core/onnx/prediction-table.js';
import type { OnnxModel } from '../core/onnx/runner.js';
import type { FileOutput } from './ports.js';

/** Every row of a dataset through the model, with the inputs beside the predictions; errors name the file line. */
export async function predictDataset(model: OnnxModel, dataset: Dataset): Promise<PredictionTable> {
  const records = datasetRecords(dataset);
  const file = path.basename(dataset.name);
  const headerLines = dataset.hasHeader ? 2 : 1;
  const lineOf = (i: number) => dataset.rowLines?.[i] ?? i + headerLines;
  const table = await model.runRecords(records, { rowName: (i) => `line ${lineOf(i)} of ${file}`, source: file });
  return withInputColumns(records, table);
}

export function predictionsCsv(table: PredictionTable): string {
  return tableCsvText(table);
}

export async function writePredictions(files: FileOutput, filePath: string, table: PredictionTable): Promise<void> {
  await files.writeFile(filePath, predictionsCsv(table));
}
