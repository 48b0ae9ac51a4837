/**
 * A streaming CSV tokenizer over raw bytes. It finds field boundaries without making strings, so numeric
 * columns can be parsed straight from the bytes. Rows are handed to a sink as (start, end, quoting) triples
 * into the current buffer; the sink must copy what it needs before returning.
 */

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
  count: number;
  /** 1-based line where the row starts. */
  line: number;
}

export type RowSink = (buf: Uint8Array, row: RowFields) => void;

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
  private readonly row: RowFields;
  /** Line number of the next row to start. */
  private line = 1;

  /** `firstLine`: the file line the first byte is on (2 after a `sep=` line the reader took off). */
  constructor(delimiter: string, sink: RowSink, firstLine = 1) {
    this.delimiter = delimiter.charCodeAt(0);
    this.sink = sink;
    this.line = firstLine;
    this.row = { starts: new Int32Array(64), ends: new Int32Array(64), quoting: new Uint8Array(64), count: 0, line: 1 };
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
    const row = this.row;
    let pos = 0;
    let line = this.line;
    while (pos < n) {
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
          let j = pos;
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
    starts.set(this.row.starts);
    ends.set(this.row.ends);
    quoting.set(this.row.quoting);
    this.row.starts = starts;
    this.row.ends = ends;
    this.row.quoting = quoting;
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
