/**
 * Guesses made from the first bytes of a file: is it text at all, which delimiter, is there a header row.
 */
import { CsvTokenizer, CsvTokenError, QUOTED_ESCAPES } from './csv-tokenizer.js';
import { isMissingText, parseNumberText } from './number-text.js';

export const DELIMITERS = [',', ';', '\t', '|'] as const;

export interface ByteProblem {
  kind: 'nul' | 'utf8';
  offset: number;
  byte: number;
}

/**
 * The first NUL byte or invalid UTF-8 sequence in `bytes`. A sequence cut off by the end of the sample is not
 * a problem: the rest is in the next chunk.
 */
export function findBinaryBytes(bytes: Uint8Array): ByteProblem | null {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const c = bytes[i]!;
    if (c < 0x80) {
      if (c === 0) return { kind: 'nul', offset: i, byte: c };
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return { kind: 'utf8', offset: i, byte: c };
    if (i + need >= n) return null;
    let code = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const b = bytes[i + k]!;
      if ((b & 0xc0) !== 0x80) return { kind: 'utf8', offset: i, byte: c };
      code = (code << 6) | (b & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
      return { kind: 'utf8', offset: i, byte: c };
    i += need + 1;
  }
  return null;
}

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

function isNumberCell(text: string): boolean {
  return !Number.isNaN(parseNumberText(text));
}

/**
 * A header row is likely when some column's first cell is text while the cells below it are numbers, or when
 * every first-row cell is distinct text that never shows up again in its column.
 */
export function detectHeader(rows: string[][]): boolean {
  const first = rows[0];
  if (first === undefined) return false;
  const later = rows.slice(1);
  if (later.length === 0) return first.every((cell) => cell.trim() !== '' && !isNumberCell(cell));
  let firstHasNumber = false;
  for (let j = 0; j < first.length; j++) {
    const cell = first[j]!;
    const isNumber = isNumberCell(cell);
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
      if (isNumberCell(below)) numbers++;
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
