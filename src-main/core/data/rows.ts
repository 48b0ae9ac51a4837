/**
 * Rows rebuilt from the typed columns: as text for a scrolling preview, or as raw values for predictions.
 */
import { DataError } from './errors.js';
import type { Column, Dataset, RawRecord, RawValue } from './types.js';

function cellText(column: Column, row: number): string {
  if (column.codes && column.categories) {
    const code = column.codes[row]!;
    return code < 0 ? '' : column.categories[code]!;
  }
  const value = column.numbers ? column.numbers[row] : NaN;
  return Number.isNaN(value) ? '' : String(value);
}

/** Rows start..start+count-1 (clipped to the data) as text, missing cells as ''. */
export function rowsAsText(dataset: Dataset, start: number, count: number): string[][] {
  const first = Math.max(0, Math.floor(start));
  const last = Math.min(dataset.rowCount, first + Math.max(0, Math.floor(count)));
  const rows: string[][] = [];
  for (let row = first; row < last; row++) rows.push(dataset.columns.map((column) => cellText(column, row)));
  return rows;
}

export function findColumn(dataset: Dataset, name: string): Column {
  const column = dataset.columns.find((c) => c.name === name);
  if (!column) {
    const known = dataset.columns.map((c) => `'${c.name}'`).join(', ');
    throw new DataError('unknown-column', `${dataset.name} has no column '${name}'. Its columns are ${known}.`, {
      file: dataset.name,
      column: name,
    });
  }
  return column;
}

/** The raw value of one cell: a number for numeric kinds (booleans as 0/1), a string for categories, null when missing. */
export function rawValue(column: Column, row: number): RawValue {
  if (column.kind === 'category' || column.kind === 'text') {
    const code = (column.codes as Int32Array)[row]!;
    return code < 0 ? null : (column.categories as string[])[code]!;
  }
  const value = column.numbers ? column.numbers[row]! : NaN;
  return Number.isNaN(value) ? null : value;
}

/**
 * Raw records for the given rows (all rows when absent) and columns (all when absent): the values a person
 * would type into a prediction form.
 */
export function datasetRecords(dataset: Dataset, rows?: Int32Array | number[], columns?: string[]): RawRecord[] {
  const chosen = (columns ?? dataset.columns.map((c) => c.name)).map((name) => findColumn(dataset, name));
  const count = rows ? rows.length : dataset.rowCount;
  const records: RawRecord[] = [];
  for (let k = 0; k < count; k++) {
    const row = rows ? rows[k]! : k;
    if (row < 0 || row >= dataset.rowCount) {
      throw new DataError(
        'row-out-of-range',
        `${dataset.name} has rows 0 to ${dataset.rowCount - 1}; row ${row} does not exist.`,
        { file: dataset.name },
      );
    }
    const record: RawRecord = {};
    for (const column of chosen) record[column.name] = rawValue(column, row);
    records.push(record);
  }
  return records;
}
