/**
 * Model outputs as a plain table (one row per input row), and that table written as CSV next to the
 * input columns.
 */
import { writeFile } from 'node:fs/promises';
import type * as ort from 'onnxruntime-node';
import type { OnnxInfo } from './model-info.js';
import { rawValue } from '../data/rows.js';
import type { Dataset, PredictionTable, RawRecord, RawValue } from '../data/types.js';
import { OUTPUT_PROBABILITIES } from './output-heads.js';

export type { PredictionTable };

function cellsOf(tensor: ort.Tensor): { width: number; values: ArrayLike<string | number | bigint | boolean> } {
  const rows = tensor.dims[0] ?? 1;
  const size = tensor.dims.reduce((a, b) => a * b, 1);
  return { width: rows === 0 ? 0 : size / rows, values: tensor.data as ArrayLike<string | number | bigint | boolean> };
}

function columnNames(info: OnnxInfo, output: string, width: number): string[] {
  if (output === OUTPUT_PROBABILITIES && info.layerlab && info.layerlab.classLabels.length === width) {
    return info.layerlab.classLabels.map((label) => `probability_${label}`);
  }
  if (width === 1) return [output];
  return Array.from({ length: width }, (_, i) => `${output}_${i}`);
}

/** One table from all outputs of a run, in the model's output order. */
export function outputsToTable(info: OnnxInfo, outputs: Record<string, ort.Tensor>, rowCount: number): PredictionTable {
  const columns: string[] = [];
  const parts: Array<{ width: number; values: ArrayLike<string | number | bigint | boolean> }> = [];
  for (const output of info.outputs) {
    const tensor = outputs[output.name];
    if (!tensor) continue;
    const part = cellsOf(tensor);
    columns.push(...columnNames(info, output.name, part.width));
    parts.push(part);
  }
  const rows: PredictionTable['rows'] = [];
  for (let r = 0; r < rowCount; r++) {
    const row: PredictionTable['rows'][number] = [];
    for (const part of parts) {
      for (let k = 0; k < part.width; k++) {
        const v = part.values[r * part.width + k];
        row.push(typeof v === 'string' || typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : v ? 1 : 0);
      }
    }
    rows.push(row);
  }
  return { columns, rows };
}

/** The columns a run would give, with no rows: widths come from the outputs' fixed dimensions. */
export function emptyTable(info: OnnxInfo): PredictionTable {
  const columns = info.outputs.flatMap((output) => {
    const width = output.shape.slice(1).reduce<number>((a, d) => a * (typeof d === 'number' ? d : 1), 1);
    return columnNames(info, output.name, width);
  });
  return { columns, rows: [] };
}

/** Appends `b`'s rows to `a` (same columns), used when a big input is run in chunks. */
export function appendTable(a: PredictionTable | null, b: PredictionTable): PredictionTable {
  if (!a) return b;
  a.rows.push(...b.rows);
  return a;
}

/** Text that RFC 4180 quoting must wrap: a quote, comma or line break, or spaces a reader would trim. */
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** RFC 4180 quoting: only when needed, doubling inner quotes. A number's text never needs it. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isNaN(value) ? '' : String(value);
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The one predictions layout, wherever it is made (the window, the CLI): the input columns first, then the
 * prediction columns (renamed `predicted_…` when an input column has the same name).
 */
export function withInputColumns(inputRecords: RawRecord[], table: PredictionTable): PredictionTable {
  const inputColumns: string[] = [];
  const seen = new Set<string>();
  for (const record of inputRecords) {
    for (const key in record)
      if (!seen.has(key)) {
        seen.add(key);
        inputColumns.push(key);
      }
  }
  return withColumns(inputColumns, (column, row) => inputRecords[row]?.[inputColumns[column]!] ?? null, table);
}

/** The same layout with a dataset's columns as the inputs, read from its typed columns. */
export function withDatasetColumns(dataset: Dataset, table: PredictionTable): PredictionTable {
  const columns = dataset.columns;
  return withColumns(
    columns.map((c) => c.name),
    (column, row) => rawValue(columns[column]!, row),
    table,
  );
}

function withColumns(
  inputColumns: string[],
  valueAt: (column: number, row: number) => RawValue,
  table: PredictionTable,
): PredictionTable {
  const seen = new Set(inputColumns);
  const outputColumns = table.columns.map((c) => (seen.has(c) ? `predicted_${c}` : c));
  const width = inputColumns.length;
  const rows = table.rows.map((predicted, i) => {
    const row = new Array<RawValue>(width + predicted.length);
    for (let c = 0; c < width; c++) row[c] = valueAt(c, i);
    for (let k = 0; k < predicted.length; k++) row[width + k] = predicted[k]!;
    return row;
  });
  return { columns: [...inputColumns, ...outputColumns], rows };
}

/** A table as CSV text: a header line, one line per row, each line ending in a newline. */
export function tableCsvText(table: PredictionTable): string {
  // Built a few thousand rows at a time and each piece set down as bytes at once, so the millions of small
  // strings of a large table die young instead of being copied around by the garbage collector to the end.
  const pieces: Buffer[] = [];
  let piece = `${table.columns.map(csvCell).join(',')}\n`;
  for (let r = 0; r < table.rows.length; r++) {
    const row = table.rows[r]!;
    let line = row.length > 0 ? csvCell(row[0]) : '';
    for (let c = 1; c < row.length; c++) line += `,${csvCell(row[c])}`;
    piece += `${line}\n`;
    if ((r & 1023) === 1023) {
      pieces.push(Buffer.from(piece, 'utf8'));
      piece = '';
    }
  }
  pieces.push(Buffer.from(piece, 'utf8'));
  return Buffer.concat(pieces).toString('utf8');
}

/** Input columns, then prediction columns, as CSV text. */
export function predictionsCsvText(inputRecords: RawRecord[], table: PredictionTable): string {
  return tableCsvText(withInputColumns(inputRecords, table));
}

export async function writePredictionsCsv(
  path: string,
  inputRecords: RawRecord[],
  table: PredictionTable,
): Promise<void> {
  await writeFile(path, predictionsCsvText(inputRecords, table), 'utf8');
}
