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

/** Every column an input needs is in the records (a record may still leave it out: that cell is missing). */
function requireColumns(inputs: OnnxValueInfo[], records: RawRecord[], source: string): void {
  if (records.length === 0) return;
  const given = new Set<string>();
  for (const record of records) for (const key of Object.keys(record)) given.add(key);
  for (const input of inputs) {
    if (!given.has(input.name)) {
      throw new Error(
        `${source} has no column "${input.name}", which the model needs as input. Columns given: ${[...given].map((c) => `"${c}"`).join(', ') || 'none'}. Add the column (its values may be empty).`,
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
  requireColumns(inputs, records, source);
  for (const input of inputs) {
    if (input.type !== 'float32') continue;
    records.forEach((record, i) => float32From(record[input.name], input.name, rowName(i)));
  }
}

export function recordFeeds(
  inputs: OnnxValueInfo[],
  records: RawRecord[],
  rowName: RowNamer = defaultRowNamer,
  source = 'The data',
): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  inputs.forEach(checkOneValuePerRow);
  requireColumns(inputs, records, source);
  for (const input of inputs) {
    const dims = dimsFor(input, records.length);
    const column = records.map((r): RawValue | undefined => r[input.name]);
    switch (input.type) {
      case 'string':
        feeds[input.name] = new ort.Tensor(
          'string',
          column.map((v) => categoryKey(v ?? null) ?? MISSING_CATEGORY),
          dims,
        );
        break;
      case 'float32':
        feeds[input.name] = new ort.Tensor(
          'float32',
          Float32Array.from(column, (v, i) => float32From(v, input.name, rowName(i))),
          dims,
        );
        break;
      case 'float64':
        feeds[input.name] = new ort.Tensor(
          'float64',
          Float64Array.from(column, (v, i) => numberFrom(v, input.name, rowName(i))),
          dims,
        );
        break;
      case 'int64':
      case 'int32': {
        const values = column.map((v, i) => {
          const n = numberFrom(v, input.name, rowName(i));
          if (!Number.isInteger(n))
            throw new Error(
              `Column "${input.name}", ${rowName(i)}: the model takes whole numbers here, got ${String(v)}.`,
            );
          return n;
        });
        feeds[input.name] =
          input.type === 'int64'
            ? new ort.Tensor(
                'int64',
                BigInt64Array.from(values, (n) => BigInt(n)),
                dims,
              )
            : new ort.Tensor('int32', Int32Array.from(values), dims);
        break;
      }
      default:
        throw new Error(
          `Input "${input.name}" takes ${input.type} values, which records cannot fill. Pass tensors with runFeeds instead.`,
        );
    }
  }
  return feeds;
}
