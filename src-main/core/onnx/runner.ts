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
import { readLabelRule } from './label-rule.js';
import { OUTPUT_LABEL, OUTPUT_PROBABILITIES } from './output-heads.js';
import { attachManifest, type ManifestChoice } from './portable-records.js';
import {
  appendTable,
  emptyTable,
  outputsToTable,
  predictionsCsvText,
  writePredictionsCsv,
} from './prediction-table.js';
import { createRunSession } from './native-session.js';
import type { RunSession } from './native-session.js';
import { packColumnInputs } from './packed-inputs.js';
import { columnFeeds } from './record-feeds.js';
import type { FeedColumns, RowNamer } from './record-feeds.js';

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
  /** The same for columns read directly (a dataset's, with datasetColumns): no record per row is made. */
  runColumns(columns: FeedColumns, options?: RunRecordsOptions): Promise<PredictionTable>;
  runFeeds(feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>>;
  /** Raw outputs for records, before they become a table (used by the parity check). */
  runRecordsRaw(records: RawRecord[], options?: RunRecordsOptions): Promise<Record<string, ort.Tensor>>;
  close(): Promise<void>;
}

/** The sessions of one graph: one thread for a few rows, the default pool for large batches (each made when first needed). */
interface Sessions {
  forRows(rows: number): Promise<RunSession>;
  release(): Promise<void>;
}

function graphSessions(bytes: Uint8Array, options: OpenOptions): Sessions {
  const batchOptions =
    options.threads === undefined
      ? BATCH_SESSION_OPTIONS
      : { ...BATCH_SESSION_OPTIONS, intraOpNumThreads: options.threads };
  let single: Promise<RunSession> | null = null;
  let batched: Promise<RunSession> | null = null;
  return {
    forRows: (rows) =>
      rows >= BATCH_SESSION_ROWS
        ? (batched ??= createRunSession(bytes, batchOptions))
        : (single ??= createRunSession(bytes, SESSION_OPTIONS)),
    async release() {
      for (const session of [single, batched]) if (session) await (await session).release();
    },
  };
}

/**
 * The graph with its column inputs packed (packed-inputs.ts), for a few rows at a time; null when it has none or
 * cannot be loaded so. A batch goes to the file's own graph instead: packing copies every value, which for
 * 10,000 rows of 32 columns took about 1 ms, while handing onnxruntime 32 tensors instead of one costs a few
 * microseconds and its own Concat makes the same copy faster.
 */
async function openPacked(bytes: Uint8Array, info: OnnxInfo) {
  try {
    const graph = packColumnInputs(bytes, info.inputs);
    return graph ? { graph, session: await createRunSession(graph.bytes, SESSION_OPTIONS) } : null;
  } catch {
    return null;
  }
}

const tensorOf = (type: ort.Tensor.Type, data: Float32Array, dims: number[]) =>
  new ort.Tensor(type as 'float32', data, dims);

export interface OpenOptions {
  /** Threads for large batches too (default: onnxruntime's pool, one per core); benchmarks compare at 1. */
  threads?: number;
}

export async function openOnnxModel(
  source: Uint8Array | string,
  options: OpenOnnxOptions & OpenOptions = {},
): Promise<OnnxModel> {
  const read = readModelBytes(source);
  const { bytes } = read;
  const file = typeof source === 'string' ? read.file : (options.fileName ?? read.file);
  const proto = decodeModel(bytes, file);
  const fileInfo = describeModel(proto);
  // A LayerLab classifier's string label is worked out from its probabilities rather than fetched (label-rule.ts).
  const labelRule = readLabelRule(proto);
  const withoutLabel = fileInfo.outputs.map((o) => o.name).filter((name) => name !== OUTPUT_LABEL);
  const recordPath = attachManifest(fileInfo, {
    file,
    modelPath: typeof source === 'string' ? source : undefined,
    manifest: options.manifest,
  });
  const info = recordPath.info;
  // A portable model's records are encoded through its manifest, so the records' columns are not its inputs.
  const encodesRecords = !recordPath.takesRawColumns;
  const packed = await openPacked(bytes, fileInfo);
  // The graph as the file has it: for batches, models without packable inputs, and feeds that cannot be packed.
  const plain = graphSessions(bytes, options);
  if (!packed) {
    try {
      await plain.forRows(1);
    } catch (error) {
      throw new Error(`onnxruntime cannot load ${file}: ${(error as Error).message}`);
    }
  }

  // Plain loops: for a single row these checks are on the same scale as the run itself.
  const runFeeds = async (feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> => {
    let missing: string[] | null = null;
    for (const input of fileInfo.inputs) if (!(input.name in feeds)) (missing ??= []).push(`"${input.name}"`);
    if (missing) throw new Error(`No value given for model input ${missing.join(', ')}.`);
    let rows = -1;
    for (const name in feeds) {
      const dims = feeds[name]!.dims;
      if (rows < 0) rows = dims[0] ?? 1;
      // onnxruntime's recurrent kernels abort the whole process on an empty batch; refuse it here instead.
      if (dims.includes(0))
        throw new Error(`Input "${name}" has no values (shape [${dims.join(', ')}]); give at least one row.`);
    }
    const packedFeeds = packed && rows < BATCH_SESSION_ROWS ? packed.graph.pack(feeds, tensorOf) : null;
    const session = packed && packedFeeds ? packed.session : await plain.forRows(rows);
    const given = packedFeeds ?? feeds;
    if (!labelRule) return session.run(given);
    const outputs = await session.run(given, withoutLabel);
    const label = labelRule.labelFor(outputs[OUTPUT_PROBABILITIES]!);
    // A NaN row under ArgMax, or probabilities not shaped as the rule expects: the graph's own label then.
    if (!label) return session.run(given);
    outputs[OUTPUT_LABEL] = label;
    return outputs;
  };

  const runRecordsRaw = async (rows: RawRecord[], options: RunRecordsOptions = {}) =>
    recordPath.readOutputs(await runFeeds(recordPath.feeds(rows, options.rowName, options.source)));

  /** Every row through the model, CHUNK_ROWS at a time, into one table. */
  const runChunks = async (
    rowCount: number,
    feedsFor: (start: number, count: number) => Record<string, ort.Tensor>,
  ): Promise<PredictionTable> => {
    if (rowCount === 0) return emptyTable(info);
    let table: PredictionTable | null = null;
    for (let start = 0; start < rowCount; start += CHUNK_ROWS) {
      // Each run blocks while it computes; between chunks, whatever else is waiting gets its turn.
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      const count = Math.min(CHUNK_ROWS, rowCount - start);
      const outputs = recordPath.readOutputs(await runFeeds(feedsFor(start, count)));
      table = appendTable(table, outputsToTable(info, outputs, count));
    }
    return table!;
  };

  const runRecords = (records: RawRecord[], options: RunRecordsOptions = {}): Promise<PredictionTable> =>
    runChunks(records.length, (start, count) =>
      recordPath.feeds(
        records.slice(start, start + count),
        options.rowName ? (i) => options.rowName!(start + i) : (i) => `row ${start + i + 1}`,
        options.source,
      ),
    );

  return {
    info,
    runFeeds,
    runRecordsRaw,
    runRecords,
    runColumns(columns, options = {}) {
      if (encodesRecords) return runRecords(columnRecords(columns, info.inputs), options);
      return runChunks(columns.rowCount, (start, count) =>
        columnFeeds(info.inputs, columns, start, count, options.rowName, options.source),
      );
    },
    async close() {
      await packed?.session.release();
      await plain.release();
    },
  };
}

/** Records of the columns an encoding model reads, for the manifest's encoder (which takes records). */
function columnRecords(columns: FeedColumns, inputs: OnnxInfo['inputs']): RawRecord[] {
  const names = inputs.map((input) => input.name).filter((name) => columns.has(name));
  const values = names.map((name) => columns.values(name, 0, columns.rowCount));
  return Array.from({ length: columns.rowCount }, (_, row) => {
    const record: RawRecord = {};
    names.forEach((name, j) => {
      const value = values[j]![row];
      if (value !== undefined) record[name] = value;
    });
    return record;
  });
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
