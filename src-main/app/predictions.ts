/**
 * Predictions with an ONNX model, and the one predictions CSV: input columns first, then predictions. The
 * window's table and the CLI's file are made here, so both give the same bytes for the same model and CSV.
 */
import path from 'node:path';
import { datasetRecords } from '../core/data/rows.js';
import type { Dataset, RawRecord } from '../core/data/types.js';
import { tableCsvText, withDatasetColumns, type PredictionTable } from '../core/onnx/prediction-table.js';
import { datasetColumns } from '../core/onnx/record-feeds.js';
import type { OnnxModel } from '../core/onnx/runner.js';
import type { FileOutput } from './ports.js';
import { checkTypedRecords, describeFileInputs, scoreAgainstTarget } from './prediction-checks.js';

/**
 * Every row of a dataset through the model, with the inputs beside the predictions; errors name the file line.
 * Notes say which empty cells were filled and which categories the model never saw; a target column in the
 * file is scored against the predictions.
 */
export async function predictDataset(model: OnnxModel, dataset: Dataset): Promise<PredictionTable> {
  const file = path.basename(dataset.name);
  const headerLines = dataset.hasHeader ? 2 : 1;
  const lineOf = (i: number) => dataset.rowLines?.[i] ?? i + headerLines;
  // Straight from the typed columns: a record per row would be most of the time and memory of a large file.
  const columns = datasetColumns(dataset);
  const outputs = await model.runColumns(columns, { rowName: (i) => `line ${lineOf(i)} of ${file}`, source: file });
  const table = scoreAgainstTarget(
    model.info,
    targetRecords(model, dataset),
    outputs,
    withDatasetColumns(dataset, outputs),
  );
  const notes = describeFileInputs(model.info, (name) =>
    columns.has(name) ? columns.values(name, 0, dataset.rowCount) : new Array<undefined>(dataset.rowCount),
  );
  return notes.length > 0 ? { ...table, notes } : table;
}

/** The only column the score reads, as records: the target's, when the file has it (none otherwise). */
function targetRecords(model: OnnxModel, dataset: Dataset): RawRecord[] {
  const target = model.info.layerlab?.task.target;
  const column = dataset.columns.find((c) => c.name === target);
  return target && column ? datasetRecords(dataset, undefined, [target]) : [];
}

/** Rows a person typed: an empty or mistyped field is refused by name, unseen categories come back as notes. */
export async function predictTypedRecords(model: OnnxModel, records: RawRecord[]): Promise<PredictionTable> {
  const notes = checkTypedRecords(model.info, records);
  const table = await model.runRecords(records);
  return notes.length > 0 ? { ...table, notes } : table;
}

export function predictionsCsv(table: PredictionTable): string {
  return tableCsvText(table);
}

export async function writePredictions(files: FileOutput, filePath: string, table: PredictionTable): Promise<void> {
  await files.writeFile(filePath, predictionsCsv(table));
}
