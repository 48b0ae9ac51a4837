/**
 * A streaming CSV tokenizer over raw bytes. It finds field boundaries without making strings, so numeric
 * columns can be parsed straight from the bytes. Rows are handed to a sink as (start, end, quoting) triples
 * into the current buffer; the sink must copy what it needs before returning. Given a decimal mark, it also
 * reads each unquoted field that is a plain decimal as a number on the same pass over its bytes.
 */
import { readPlainDecimal } from './number-text.js';

export const QUOTE = 0x22;
export const LF = 0x0a;
export const CR = 0x0d;

/** Field quoting as seen by the sink. */
export const PLAIN = 0;
export const QUOTED = 1;
/** Quoted and holding doubled quotes that must be turned back into single ones. */
export const QUOTED_ESCAPES = 2;

export interface RowFields {
  starts: Int32Array;
  ends: Int32Array;
  quoting: Uint8Array;
  /** The field's value when the tokenizer read it as a plain decimal, else NaN (the sink parses it itself). */
  values: Float64Array;
  count: number;
  /** 1-based line where the row starts. */
  line: number;
}

export type RowSink = (buf: Uint8Array, row: RowFields) => void;

/**
 * Takes whole rows at a row start by a faster route than the general one (the reader's numeric rows): returns
 * the offset after the rows it took and their number in `taken`, each exactly one line; `pos` when it took none.
 */
export interface RowRun {
  taken: number;
  take(buf: Uint8Array, pos: number, n: number, line: number): number;
}

export type TokenizerProblem =
  { kind: 'unclosed-quote'; line: number; field: number } | { kind: 'text-after-quote'; line: number; field: number };

export class CsvTokenError extends Error {
  constructor(readonly problem: TokenizerProblem) {
    super(problem.kind);
  }
}

export class CsvTokenizer {
  private readonly delimiter: number;
  private readonly sink: RowSink;
  private readonly point: number;
  private readonly row: RowFields;
  private run: RowRun | null = null;
  /** Line number of the next row to start. */
  private line = 1;

  /**
   * `firstLine`: the file line the first byte is on (2 after a `sep=` line the reader took off).
   * `decimal`: the decimal mark to read plain numbers with; without one (or when it is the delimiter), every
   * value is NaN.
   */
  constructor(delimiter: string, sink: RowSink, firstLine = 1, decimal?: string) {
    this.delimiter = delimiter.charCodeAt(0);
    this.sink = sink;
    this.line = firstLine;
    this.point = decimal === undefined || decimal === delimiter ? -1 : decimal.charCodeAt(0);
    this.row = {
      starts: new Int32Array(64),
      ends: new Int32Array(64),
      quoting: new Uint8Array(64),
      values: new Float64Array(64),
      count: 0,
      line: 1,
    };
  }

  /** Offer every row start to `run` first; the rows it leaves are tokenized as usual. */
  useRun(run: RowRun): void {
    this.run = run;
  }

  get nextLine(): number {
    return this.line;
  }

  /**
   * Tokenize complete rows in `buf`. Returns the offset of the first byte not consumed: the start of a row
   * that may continue in the next chunk (prepend buf.subarray(offset) to it). With `final`, the end of the
   * buffer ends the last row and everything is consumed.
   */
  parse(buf: Uint8Array, final: boolean): number {
    const n = buf.length;
    const delim = this.delimiter;
    const point = this.point;
    const row = this.row;
    let pos = 0;
    let line = this.line;
    const run = this.run;
    while (pos < n) {
      if (run !== null) {
        pos = run.take(buf, pos, n, line);
        line += run.taken;
        if (pos >= n) break;
      }
      const rowStart = pos;
      const rowLine = line;
      let count = 0;
      for (;;) {
        if (count === row.starts.length) this.grow();
        if (pos < n && buf[pos] === QUOTE) {
          const contentStart = pos + 1;
          let quoting = QUOTED;
          let scan = contentStart;
          let close = -1;
          for (;;) {
            const q = buf.indexOf(QUOTE, scan);
            if (q < 0) break;
            if (q + 1 < n && buf[q + 1] === QUOTE) {
              quoting = QUOTED_ESCAPES;
              scan = q + 2;
              continue;
            }
            if (q + 1 >= n && !final) break; // the next chunk may start with the quote's twin
            close = q;
            break;
          }
          if (close < 0) {
            if (!final) {
              this.line = rowLine;
              return rowStart;
            }
            throw new CsvTokenError({ kind: 'unclosed-quote', line: rowLine, field: count + 1 });
          }
          line += countLineBreaks(buf, contentStart, close);
          row.starts[count] = contentStart;
          row.ends[count] = close;
          row.quoting[count] = quoting;
          row.values[count] = NaN;
          count++;
          pos = close + 1;
          while (pos < n && (buf[pos] === 0x20 || buf[pos] === 0x09) && buf[pos] !== delim) pos++;
          if (pos < n && buf[pos] === delim) {
            pos++;
            continue;
          }
          if (pos < n && buf[pos] !== LF && buf[pos] !== CR) {
            throw new CsvTokenError({ kind: 'text-after-quote', line, field: count });
          }
        } else {
          // A plain decimal is read where it stands; whatever follows it is scanned on from there.
          let j = pos;
          if (point >= 0) j = readPlainDecimal(buf, pos, n, point, delim, row.values, count);
          else row.values[count] = NaN;
          while (j < n) {
            const c = buf[j];
            if (c === delim || c === LF || c === CR) break;
            j++;
          }
          row.starts[count] = pos;
          row.ends[count] = j;
          row.quoting[count] = PLAIN;
          count++;
          if (j < n && buf[j] === delim) {
            pos = j + 1;
            continue;
          }
          pos = j;
        }
        // At a line break or at the end of the buffer: the row is complete.
        if (pos >= n) {
          if (!final) {
            this.line = rowLine;
            return rowStart;
          }
        } else if (buf[pos] === CR) {
          if (pos + 1 >= n && !final) {
            this.line = rowLine;
            return rowStart;
          }
          pos += pos + 1 < n && buf[pos + 1] === LF ? 2 : 1;
        } else {
          pos++;
        }
        line++;
        break;
      }
      const blank = count === 1 && row.quoting[0] === PLAIN && isBlank(buf, row.starts[0]!, row.ends[0]!);
      if (!blank) {
        row.count = count;
        row.line = rowLine;
        this.sink(buf, row);
      }
    }
    this.line = line;
    return n;
  }

  private grow(): void {
    const size = this.row.starts.length * 2;
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    const quoting = new Uint8Array(size);
    const values = new Float64Array(size);
    starts.set(this.row.starts);
    ends.set(this.row.ends);
    quoting.set(this.row.quoting);
    values.set(this.row.values);
    this.row.starts = starts;
    this.row.ends = ends;
    this.row.quoting = quoting;
    this.row.values = values;
  }
}

function countLineBreaks(buf: Uint8Array, start: number, end: number): number {
  let lines = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c === LF) lines++;
    else if (c === CR && (i + 1 >= end || buf[i + 1] !== LF)) lines++;
  }
  return lines;
}

function isBlank(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}
