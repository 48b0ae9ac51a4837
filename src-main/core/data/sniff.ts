/**
 * Guesses made from the first bytes of a file: which delimiter (or the one a `sep=` line names), whether
 * numbers use a decimal comma, is there a header row.
 */
import { CsvTokenizer, CsvTokenError, QUOTED_ESCAPES } from './csv-tokenizer.js';
import { isMissingText, parseNumberText, type DecimalMark } from './number-text.js';

export const DELIMITERS = [',', ';', '\t', '|'] as const;

/** 1-based line and column (in characters, roughly: bytes after the last line break) of a byte offset. */
export function lineAndColumn(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Rows of the sample as strings, for guessing; stops quietly at a problem the real pass will report. */
export function sampleRows(sample: Uint8Array, delimiter: string, final: boolean, maxRows: number): string[][] {
  const rows: string[][] = [];
  const decoder = new TextDecoder();
  const tokenizer = new CsvTokenizer(delimiter, (buf, row) => {
    if (rows.length >= maxRows) return;
    const fields: string[] = [];
    for (let k = 0; k < row.count; k++) {
      const text = decoder.decode(buf.subarray(row.starts[k], row.ends[k]));
      fields.push(row.quoting[k] === QUOTED_ESCAPES ? text.replaceAll('""', '"') : text);
    }
    rows.push(fields);
  });
  try {
    tokenizer.parse(sample, final);
  } catch (error) {
    if (!(error instanceof CsvTokenError)) throw error;
  }
  return rows;
}

/** Complete rows in the sample and the bytes they span, to estimate the file's row count. */
export function countRows(sample: Uint8Array, delimiter: string, final: boolean): { rows: number; bytes: number } {
  let rows = 0;
  const tokenizer = new CsvTokenizer(delimiter, () => {
    rows++;
  });
  try {
    const bytes = tokenizer.parse(sample, final);
    return { rows, bytes };
  } catch (error) {
    if (!(error instanceof CsvTokenError)) throw error;
    return { rows: 0, bytes: 0 };
  }
}

/**
 * The delimiter that splits the sample's lines into the same number (> 1) of fields most consistently;
 * ties go to the one giving more fields, then to the order of DELIMITERS. Comma when nothing splits.
 */
export function detectDelimiter(sample: Uint8Array, final: boolean): string {
  let best: string = ',';
  let bestScore = -1;
  let bestFields = 1;
  for (const delimiter of DELIMITERS) {
    const rows = sampleRows(sample, delimiter, final, 30);
    if (rows.length === 0) continue;
    const counts = new Map<number, number>();
    for (const row of rows) counts.set(row.length, (counts.get(row.length) ?? 0) + 1);
    let modal = 1;
    let modalRows = 0;
    for (const [fields, times] of counts) {
      if (times > modalRows || (times === modalRows && fields > modal)) {
        modal = fields;
        modalRows = times;
      }
    }
    if (modal < 2) continue;
    const score = modalRows / rows.length;
    if (score > bestScore + 1e-9 || (Math.abs(score - bestScore) <= 1e-9 && modal > bestFields)) {
      best = delimiter;
      bestScore = score;
      bestFields = modal;
    }
  }
  return best;
}

/** A comma between digits that cannot be a thousands group (not three digits after it), or a point one. */
const COMMA_DECIMAL = /^[+-]?(?:\d{1,3}(?:[.\u00a0\u202f ]\d{3})+|\d*),(?:\d{1,2}|\d{4,})$/;
const POINT_DECIMAL = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d*)\.\d+$/;

/**
 * Decimal commas (1,5) are read only in files that do not use the comma as their delimiter, and only when
 * the sample holds more numbers that must be written with a decimal comma than with a decimal point.
 */
export function detectDecimalMark(rows: string[][], delimiter: string): DecimalMark {
  if (delimiter === ',') return '.';
  let comma = 0;
  let point = 0;
  for (const row of rows) {
    for (const cell of row) {
      const t = cell.trim();
      if (COMMA_DECIMAL.test(t)) comma++;
      else if (POINT_DECIMAL.test(t)) point++;
    }
  }
  return comma > point ? ',' : '.';
}

/**
 * Excel's first line naming the delimiter (`sep=;`, sometimes quoted): the delimiter and the bytes it takes,
 * line break included; null when the file does not start with one.
 */
export function separatorLine(bytes: Uint8Array): { delimiter: string; length: number } | null {
  const head = Buffer.from(bytes.subarray(0, 12)).toString('latin1');
  const match = /^("?)sep=([^\r\n"])\1(\r\n|\n|\r)/i.exec(head);
  if (!match) return null;
  return { delimiter: match[2]!, length: match[0].length };
}

function isNumberCell(text: string, decimal: DecimalMark): boolean {
  return !Number.isNaN(parseNumberText(text, decimal));
}

/**
 * A header row is likely when some column's first cell is text while the cells below it are numbers, or when
 * every first-row cell is distinct text that never shows up again in its column.
 */
export function detectHeader(rows: string[][], decimal: DecimalMark = '.'): boolean {
  const first = rows[0];
  if (first === undefined) return false;
  const later = rows.slice(1);
  if (later.length === 0) return first.every((cell) => cell.trim() !== '' && !isNumberCell(cell, decimal));
  let firstHasNumber = false;
  for (let j = 0; j < first.length; j++) {
    const cell = first[j]!;
    const isNumber = isNumberCell(cell, decimal);
    if (isNumber) {
      firstHasNumber = true;
      continue;
    }
    if (isMissingText(cell)) continue;
    let present = 0;
    let numbers = 0;
    for (const row of later) {
      const below = row[j];
      if (below === undefined || isMissingText(below)) continue;
      present++;
      if (isNumberCell(below, decimal)) numbers++;
    }
    if (present > 0 && numbers / present >= 0.9) return true;
  }
  if (firstHasNumber) return false;
  const names = first.map((cell) => cell.trim());
  if (names.some((name) => name === '') || new Set(names).size !== names.length) return false;
  for (let j = 0; j < names.length; j++) {
    for (const row of later) {
      const cell = row[j];
      if (cell !== undefined && cell.trim() === names[j]) return false;
    }
  }
  return true;
}
