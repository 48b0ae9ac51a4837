/**
 * The reader's fast path for the rows most files are made of: every field an unquoted plain decimal. Such rows
 * go from the bytes straight into the column arrays, one pass, with no field boundaries recorded. The first row
 * that is anything else (a quote, a word, an exponent, a missing cell, the wrong field count, a lone CR, the end
 * of the bytes) is left where it starts for the general tokenizer, so every message about it stays the same.
 */
import { CR, LF, type RowRun } from './csv-tokenizer.js';
import { readPlainDecimal } from './number-text.js';

const DOT = 46;
/** Give up on the fast path for a file where it keeps failing: each failed try costs part of a row's parse. */
const TRIES_BEFORE_JUDGING = 64;
const FAILURES_PER_SUCCESS = 4;

export class NumericRowRun implements RowRun {
  taken = 0;
  private readonly delimiter: number;
  private tries = 0;
  private failures = 0;
  private rows = 0;

  /**
   * `target()` gives the column arrays and the row to write next, room for at least `room` rows, and the
   * array of row lines; null when the columns cannot take plain numbers directly right now.
   */
  constructor(
    delimiter: string,
    private readonly target: () => RunTarget | null,
    private readonly commit: (rows: number) => void,
  ) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  take(buf: Uint8Array, pos: number, n: number, line: number): number {
    this.taken = 0;
    if (this.failures > FAILURES_PER_SUCCESS * this.rows && this.tries > TRIES_BEFORE_JUDGING) return pos;
    const into = this.target();
    if (into === null) return pos;
    this.tries++;
    const { columns, lines, room } = into;
    const first = into.row;
    const delim = this.delimiter;
    const last = columns.length - 1;
    let row = first;
    const end = first + room;
    while (row < end) {
      let p = pos;
      let complete = false;
      for (let j = 0; ; j++) {
        const column = columns[j]!;
        const stop = readPlainDecimal(buf, p, n, DOT, delim, column, row);
        if (stop >= n || column[row] !== column[row]) break;
        const c = buf[stop];
        if (j < last) {
          if (c !== delim) break;
          p = stop + 1;
          continue;
        }
        if (c === LF) p = stop + 1;
        else if (c === CR && stop + 1 < n && buf[stop + 1] === LF) p = stop + 2;
        else break;
        complete = true;
        break;
      }
      if (!complete) break;
      lines[row] = line + (row - first);
      row++;
      pos = p;
    }
    const taken = row - first;
    if (taken === 0) this.failures++;
    this.rows += taken;
    this.taken = taken;
    if (taken > 0) this.commit(taken);
    return pos;
  }
}

export interface RunTarget {
  columns: Float64Array[];
  /** The next row's index in every column array. */
  row: number;
  /** Rows the arrays have room for from `row` on. */
  room: number;
  lines: Int32Array;
}
