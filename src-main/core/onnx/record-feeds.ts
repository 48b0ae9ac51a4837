/**
 * Raw records (one object per row, keyed by column name) → onnxruntime feeds. Values are read the way
 * the CSV reader reads cells, so "3.5", 3.5 and " 3.5 " are the same number and "NA" is missing.
 */
import * as ort from 'onnxruntime-node';
import { categoryKey, cellNumber, isFloat32Overflow } from '../data/number-text.js';
import { rawValue } from '../data/rows.js';
import type { Column, Dataset, RawRecord, RawValue } from '../data/types.js';
import { MISSING_CATEGORY } from './preprocess-graph.js';
import type { OnnxValueInfo } from './model-info.js';

/** How messages name a row: "row 3" by default, "line 5 of data.csv" when the rows came from a file. */
export type RowNamer = (index: number) => string;
export const defaultRowNamer: RowNamer = (index) => `row ${index + 1}`;

function numberFrom(value: RawValue | undefined, column: string, where: string): number {
  const parsed = cellNumber(value);
  if (parsed !== null) return parsed;
  const text = String(value);
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  throw new Error(
    `Column "${column}", ${where}: "${shown}" is not a number, but the model takes numbers in this column. Fix the value or leave the cell empty.`,
  );
}

/** A float32 input: a number too large for float32 would give the model Infinity, so it is refused here. */
function float32From(value: RawValue | undefined, column: string, where: string): number {
  const n = numberFrom(value, column, where);
  if (!isFloat32Overflow(n)) return n;
  throw new Error(
    `Column "${column}", ${where}: ${String(value)} is too large for the model's 32-bit numbers (beyond ±3.4e38). Rescale the value as the training data was, or leave the cell empty.`,
  );
}

/** Values per row an input takes, when the record-based API can fill it (one value per row). */
function checkOneValuePerRow(input: OnnxValueInfo): void {
  const perRow = input.shape.slice(1);
  if (input.shape.length === 0 || perRow.some((d) => d !== 1)) {
    throw new Error(
      `Input "${input.name}" takes shape [${input.shape.join(', ')}]; records can only fill inputs of one value per row ([batch, 1] or [batch]). Pass tensors with runFeeds instead.`,
    );
  }
}

function dimsFor(input: OnnxValueInfo, rows: number): number[] {
  return [rows, ...input.shape.slice(1).map(() => 1)];
}

/** Every column an input needs is in the source (a row may still leave it out: that cell is missing). */
function requireColumns(inputs: OnnxValueInfo[], columns: FeedColumns, source: string): void {
  if (columns.rowCount === 0) return;
  for (const input of inputs) {
    if (!columns.has(input.name)) {
      const given = columns
        .names()
        .map((c) => `"${c}"`)
        .join(', ');
      throw new Error(
        `${source} has no column "${input.name}", which the model needs as input. Columns given: ${given || 'none'}. Add the column (its values may be empty).`,
      );
    }
  }
}

/**
 * Checks records against inputs without making tensors, with the same messages as `recordFeeds`: used where
 * the rows are encoded elsewhere (a portable model's manifest), so a bad cell is still named by row and column.
 */
export function checkRecords(
  inputs: OnnxValueInfo[],
  records: RawRecord[],
  rowName: RowNamer = defaultRowNamer,
  source = 'The data',
): void {
  requireColumns(inputs, recordColumns(records), source);
  for (const input of inputs) {
    if (input.type !== 'float32') continue;
    records.forEach((record, i) => float32From(record[input.name], input.name, rowName(i)));
  }
}

/**
 * Columns by name, as feeds are filled from them: a batch of records, or a dataset's typed columns read
 * directly (no record per row). Row indices are the source's own; rowName names them the same way.
 */
export interface FeedColumns {
  rowCount: number;
  has(name: string): boolean;
  /** The column names, for a message about a missing one. */
  names(): string[];
  /** Rows [start, start + count) of a column, as raw values. */
  values(name: string, start: number, count: number): ArrayLike<RawValue | undefined>;
  /** The same rows as numbers with NaN for missing, when the source holds the column so (a fast path). */
  numbers?(name: string, start: number, count: number): Float64Array | null;
}

export function recordColumns(records: RawRecord[]): FeedColumns {
  return {
    rowCount: records.length,
    // Usually the first record has the column, so the records are not all walked.
    has: (name) => records.some((record) => Object.hasOwn(record, name)),
    names() {
      const given = new Set<string>();
      for (const record of records) for (const key of Object.keys(record)) given.add(key);
      return [...given];
    },
    values: (name, start, count) => records.slice(start, start + count).map((record) => record[name]),
  };
}

export function datasetColumns(dataset: Dataset): FeedColumns {
  const byName = new Map(dataset.columns.map((column) => [column.name, column]));
  const numeric = (column: Column | undefined) =>
    column?.numbers && column.kind !== 'category' && column.kind !== 'text' ? column.numbers : null;
  return {
    rowCount: dataset.rowCount,
    has: (name) => byName.has(name),
    names: () => dataset.columns.map((column) => column.name),
    values(name, start, count) {
      const column = byName.get(name);
      const values = new Array<RawValue | undefined>(count);
      for (let i = 0; i < count; i++) values[i] = column ? rawValue(column, start + i) : undefined;
      return values;
    },
    numbers: (name, start, count) => numeric(byName.get(name))?.subarray(start, start + count) ?? null,
  };
}

/*
 * The column loops below take numbers as they are (the reader's own values, or numbers a caller passed) and
 * send anything else, and every refusal, through the shared readers above; a row is only named when a
 * message needs it.
 */

type Values = ArrayLike<RawValue | undefined>;

function float32Column(values: Values, name: string, where: (i: number) => string): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = typeof v === 'number' && !isFloat32Overflow(v) ? v : float32From(v, name, where(i));
  }
  return out;
}

function float64Column(values: Values, name: string, where: (i: number) => string): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = typeof v === 'number' ? v : numberFrom(v, name, where(i));
  }
  return out;
}

function wholeNumbers(values: Values, name: string, where: (i: number) => string): number[] {
  return Array.from(values, (v, i) => {
    const n = numberFrom(v, name, where(i));
    if (!Number.isInteger(n))
      throw new Error(`Column "${name}", ${where(i)}: the model takes whole numbers here, got ${String(v)}.`);
    return n;
  });
}

function categoryColumn(values: Values): string[] {
  const out = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = categoryKey(values[i] ?? null) ?? MISSING_CATEGORY;
  return out;
}

/** Feeds for rows [start, start + count) of the columns; messages name rows by their index in the source. */
export function columnFeeds(
  inputs: OnnxValueInfo[],
  columns: FeedColumns,
  start: number,
  count: number,
  rowName: RowNamer = defaultRowNamer,
  source = 'The data',
): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  const where = (i: number) => rowName(start + i);
  requireColumns(inputs, columns, source);
  for (const input of inputs) {
    checkOneValuePerRow(input);
    const name = input.name;
    const dims = dimsFor(input, count);
    const numbers = () => columns.numbers?.(name, start, count) ?? columns.values(name, start, count);
    switch (input.type) {
      case 'string':
        feeds[name] = new ort.Tensor('string', categoryColumn(columns.values(name, start, count)), dims);
        break;
      case 'float32':
        feeds[name] = new ort.Tensor('float32', float32Column(numbers(), name, where), dims);
        break;
      case 'float64':
        feeds[name] = new ort.Tensor('float64', float64Column(numbers(), name, where), dims);
        break;
      case 'int64':
        feeds[name] = new ort.Tensor(
          'int64',
          BigInt64Array.from(wholeNumbers(columns.values(name, start, count), name, where), (n) => BigInt(n)),
          dims,
        );
        break;
      case 'int32':
        feeds[name] = new ort.Tensor(
          'int32',
          Int32Array.from(wholeNumbers(columns.values(name, start, count), name, where)),
          dims,
        );
        break;
      default:
        throw new Error(
          `Input "${name}" takes ${input.type} values, which records cannot fill. Pass tensors with runFeeds instead.`,
        );
    }
  }
  return feeds;
}

export function recordFeeds(
  inputs: OnnxValueInfo[],
  records: RawRecord[],
  rowName: RowNamer = defaultRowNamer,
  source = 'The data',
): Record<string, ort.Tensor> {
  return columnFeeds(inputs, recordColumns(records), 0, records.length, rowName, source);
}
