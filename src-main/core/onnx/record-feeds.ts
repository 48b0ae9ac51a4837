/**
 * Raw records (one object per row, keyed by column name) → onnxruntime feeds. Values are read the way
 * the CSV reader reads cells, so "3.5", 3.5 and " 3.5 " are the same number and "NA" is missing.
 */
import * as ort from 'onnxruntime-node';
import { categoryKey, cellNumber, isFloat32Overflow } from '../data/number-text.js';
import type { RawRecord, RawValue } from '../data/types.js';
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

/** Whether any record has the column: usually the first one does, so the records are not all walked. */
function hasColumn(records: RawRecord[], name: string): boolean {
  for (const record of records) if (Object.hasOwn(record, name)) return true;
  return false;
}

function givenColumns(records: RawRecord[]): string[] {
  const given = new Set<string>();
  for (const record of records) for (const key of Object.keys(record)) given.add(key);
  return [...given];
}

/*
 * The column loops below take numbers as they are (the reader's own values, or numbers a caller passed) and
 * send anything else, and every refusal, through the shared readers above; a row is only named when a
 * message needs it.
 */

function float32Column(records: RawRecord[], name: string, rowName: RowNamer): Float32Array {
  const values = new Float32Array(records.length);
  for (let i = 0; i < records.length; i++) {
    const v = records[i]![name];
    values[i] = typeof v === 'number' && !isFloat32Overflow(v) ? v : float32From(v, name, rowName(i));
  }
  return values;
}

function float64Column(records: RawRecord[], name: string, rowName: RowNamer): Float64Array {
  const values = new Float64Array(records.length);
  for (let i = 0; i < records.length; i++) {
    const v = records[i]![name];
    values[i] = typeof v === 'number' ? v : numberFrom(v, name, rowName(i));
  }
  return values;
}

function wholeNumbers(records: RawRecord[], name: string, rowName: RowNamer): number[] {
  return records.map((record, i) => {
    const v = record[name];
    const n = numberFrom(v, name, rowName(i));
    if (!Number.isInteger(n))
      throw new Error(`Column "${name}", ${rowName(i)}: the model takes whole numbers here, got ${String(v)}.`);
    return n;
  });
}

function categoryColumn(records: RawRecord[], name: string): string[] {
  const values = new Array<string>(records.length);
  for (let i = 0; i < records.length; i++) values[i] = categoryKey(records[i]![name] ?? null) ?? MISSING_CATEGORY;
  return values;
}

export function recordFeeds(
  inputs: OnnxValueInfo[],
  records: RawRecord[],
  rowName: RowNamer = defaultRowNamer,
  source = 'The data',
): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of inputs) {
    checkOneValuePerRow(input);
    const name = input.name;
    if (records.length > 0 && !hasColumn(records, name)) {
      const given = givenColumns(records);
      throw new Error(
        `${source} has no column "${name}", which the model needs as input. Columns given: ${given.map((c) => `"${c}"`).join(', ') || 'none'}. Add the column (its values may be empty).`,
      );
    }
    const dims = dimsFor(input, records.length);
    switch (input.type) {
      case 'string':
        feeds[name] = new ort.Tensor('string', categoryColumn(records, name), dims);
        break;
      case 'float32':
        feeds[name] = new ort.Tensor('float32', float32Column(records, name, rowName), dims);
        break;
      case 'float64':
        feeds[name] = new ort.Tensor('float64', float64Column(records, name, rowName), dims);
        break;
      case 'int64':
        feeds[name] = new ort.Tensor(
          'int64',
          BigInt64Array.from(wholeNumbers(records, name, rowName), (n) => BigInt(n)),
          dims,
        );
        break;
      case 'int32':
        feeds[name] = new ort.Tensor('int32', Int32Array.from(wholeNumbers(records, name, rowName)), dims);
        break;
      default:
        throw new Error(
          `Input "${name}" takes ${input.type} values, which records cannot fill. Pass tensors with runFeeds instead.`,
        );
    }
  }
  return feeds;
}
