/**
 * What LayerLab says about cells with no float32 value: inf / NaN words (missing values by default, refused on
 * request) and numbers too large for float32 (refused wherever the column would reach the model).
 */
import { DataError, quoteCell } from './errors.js';
import type { Column, CsvWarning, NonNumericCells } from './types.js';

function listed(cells: NonNumericCells): string {
  const shown = cells.examples.map((e) => `line ${e.line} ${quoteCell(e.text)}`).join(', ');
  return cells.count > cells.examples.length ? `${shown}, ...` : shown;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The reader's warnings for a numeric column holding inf / NaN words or float32 overflow. */
export function nonFiniteWarnings(file: string, column: Column): CsvWarning[] {
  const cells = column.nonFinite;
  if (!cells) return [];
  const warnings: CsvWarning[] = [];
  const { words, overflow } = cells;
  if (words.count > 0) {
    warnings.push({
      code: 'non-finite-words',
      column: column.name,
      lines: words.examples.map((e) => e.line),
      message: `${file} column '${column.name}': ${plural(words.count, 'cell says', 'cells say')} inf or NaN (${listed(words)}); ${words.count === 1 ? 'it is' : 'they are'} read as missing values and filled by the column's missing-value policy. Put real values there if those rows should count.`,
    });
  }
  if (overflow.count > 0) {
    warnings.push({
      code: 'float32-overflow',
      column: column.name,
      lines: overflow.examples.map((e) => e.line),
      message: overflowMessage(file, column),
    });
  }
  return warnings;
}

function overflowMessage(file: string, column: Column): string {
  const overflow = (column.nonFinite as { overflow: NonNumericCells }).overflow;
  const { min, max } = column.stats;
  const range = min === undefined || max === undefined ? '' : ` The column runs from ${min} to ${max}.`;
  return `${file} column '${column.name}': ${plural(overflow.count, 'value is', 'values are')} too large for the model's 32-bit numbers (beyond ±3.4e38: ${listed(overflow)}).${range} Rescale the column in the file (divide it by a power of ten, or take its logarithm) before using it as a feature or target, or set it to ignore.`;
}

/** The refusal when a column with float32 overflow would reach the model. */
export function overflowError(file: string, column: Column): DataError {
  const first = (column.nonFinite as { overflow: NonNumericCells }).overflow.examples[0];
  return new DataError('float32-overflow', overflowMessage(file, column), {
    file,
    column: column.name,
    ...(first ? { line: first.line } : {}),
  });
}

/** The refusal of an inf / NaN word when the reader was asked to refuse them. */
export function nonFiniteWordError(file: string, column: Column, columnNumber: number): DataError {
  const words = (column.nonFinite as { words: NonNumericCells }).words;
  const first = words.examples[0]!;
  return new DataError(
    'non-finite-word',
    `${file} line ${first.line}, column ${columnNumber} ('${column.name}'): ${quoteCell(first.text)} is not a number (${plural(words.count, 'such cell', 'such cells')} in this column: ${listed(words)}). Put real values there, or leave the cells empty for missing values.`,
    { file, line: first.line, column: column.name },
  );
}
