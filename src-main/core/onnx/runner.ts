/**
 * Runs any ONNX model with onnxruntime: tensors in and out for models from elsewhere, raw records in and
 * a prediction table out for models whose inputs are one value per row (every LayerLab model).
 */
import { basename } from 'node:path';
import * as ort from 'onnxruntime-node';
import { readCsv } from '../data/read-csv.js';
import { datasetRecords } from '../data/rows.js';
import type { PredictionTable, RawRecord } from '../data/types.js';
import { decodeModel, describeModel, readModelBytes } from './model-info.js';
import type { OnnxInfo } from './model-info.js';
import { attachManifest, type ManifestChoice } from './portable-records.js';
import {
  appendTable,
  emptyTable,
  outputsToTable,
  predictionsCsvText,
  writePredictionsCsv,
} from './prediction-table.js';
import type { RowNamer } from './record-feeds.js';

/** Rows per onnxruntime call: keeps memory flat on large files. */
const CHUNK_ROWS = 8192;

/**
 * A single row (or a few) runs on one thread with full graph optimization: LayerLab's graphs are small, so a
 * row spends its time in scheduling, which the default pool of spinning threads makes slower, not faster.
 * Measured on the benchmark MLP on 2 cores: about 105 µs against 180-190 µs with the default options.
 */
export const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
};

/** Large batches do have work to share: their own session keeps the default thread pool (one per core). */
export const BATCH_SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
};

/** From this many rows a call goes to the batch session. */
const BATCH_SESSION_ROWS = 512;

export interface OpenOnnxOptions {
  /**
   * A portable model's preprocessing manifest (or its path). Without it, a model opened from a file finds
   * `<name>.preprocess.json` beside it. Models that take raw columns ignore it.
   */
  manifest?: ManifestChoice;
  /** How messages name the model when it is given as bytes (e.g. the uploaded file's name). */
  fileName?: string;
}

export interface RunRecordsOptions {
  /** How error messages name a row (default "row N", 1-based). */
  rowName?: RowNamer;
  /** How messages name the data as a whole, e.g. the CSV file name (default "The data"). */
  source?: string;
}

export interface OnnxModel {
  info: OnnxInfo;
  runRecords(records: RawRecord[], options?: RunRecordsOptions): Promise<PredictionTable>;
  runFeeds(feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>>;
  /** Raw outputs for records, before they become a table (used by the parity check). */
  runRecordsRaw(records: RawRecord[], options?: RunRecordsOptions): Promise<Record<string, ort.Tensor>>;
  close(): Promise<void>;
}

export async function openOnnxModel(source: Uint8Array | string, options: OpenOnnxOptions = {}): Promise<OnnxModel> {
  const read = readModelBytes(source);
  const { bytes } = read;
  const file = typeof source === 'string' ? read.file : (options.fileName ?? read.file);
  const fileInfo = describeModel(decodeModel(bytes, file));
  const recordPath = attachManifest(fileInfo, {
    file,
    modelPath: typeof source === 'string' ? source : undefined,
    manifest: options.manifest,
  });
  const info = recordPath.info;
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, SESSION_OPTIONS);
  } catch (error) {
    throw new Error(`onnxruntime cannot load ${file}: ${(error as Error).message}`);
  }

  let batched: Promise<ort.InferenceSession> | null = null;
  const batchSession = (): Promise<ort.InferenceSession> =>
    (batched ??= ort.InferenceSession.create(bytes, BATCH_SESSION_OPTIONS));

  const runFeeds = async (feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> => {
    const missing = fileInfo.inputs.filter((i) => !(i.name in feeds)).map((i) => `"${i.name}"`);
    if (missing.length) throw new Error(`No value given for model input ${missing.join(', ')}.`);
    // onnxruntime's recurrent kernels abort the whole process on an empty batch; refuse it here instead.
    const empty = Object.entries(feeds).find(([, tensor]) => tensor.dims.some((d) => d === 0));
    if (empty)
      throw new Error(
        `Input "${empty[0]}" has no values (shape [${empty[1].dims.join(', ')}]); give at least one row.`,
      );
    const rows = Object.values(feeds)[0]?.dims[0] ?? 1;
    const chosen = rows >= BATCH_SESSION_ROWS ? await batchSession() : session;
    return (await chosen.run(feeds)) as Record<string, ort.Tensor>;
  };

  const runRecordsRaw = async (rows: RawRecord[], options: RunRecordsOptions = {}) =>
    recordPath.readOutputs(await runFeeds(recordPath.feeds(rows, options.rowName, options.source)));

  return {
    info,
    runFeeds,
    runRecordsRaw,
    async runRecords(records, options = {}) {
      if (records.length === 0) return emptyTable(info);
      let table: PredictionTable | null = null;
      for (let start = 0; start < records.length; start += CHUNK_ROWS) {
        const chunk = records.slice(start, start + CHUNK_ROWS);
        const rowName: RowNamer | undefined = options.rowName
          ? (i) => options.rowName!(start + i)
          : (i) => `row ${start + i + 1}`;
        const outputs = await runRecordsRaw(chunk, { rowName, source: options.source });
        table = appendTable(table, outputsToTable(info, outputs, chunk.length));
      }
      return table!;
    },
    async close() {
      await session.release();
      if (batched) await (await batched).release();
    },
  };
}

export interface CsvPredictions extends PredictionTable {
  /** The predictions CSV text (input columns + prediction columns). */
  csv: string;
}

/** Predicts every row of a CSV file with an ONNX model; writes the result next to the inputs when `outPath` is given. */
export async function predictCsv(modelPath: string, csvPath: string, outPath?: string): Promise<CsvPredictions> {
  const dataset = await readCsv(csvPath);
  const records = datasetRecords(dataset);
  const model = await openOnnxModel(modelPath);
  try {
    const file = basename(csvPath);
    const headerLines = dataset.hasHeader ? 2 : 1;
    const table = await model.runRecords(records, {
      rowName: (i) => `line ${i + headerLines} of ${file}`,
      source: file,
    });
    if (outPath) await writePredictionsCsv(outPath, records, table);
    return { ...table, csv: predictionsCsvText(records, table) };
  } finally {
    await model.close();
  }
}
