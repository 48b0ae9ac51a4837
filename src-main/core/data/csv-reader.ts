/**
 * Reads a CSV from a stream of byte chunks into a columnar Dataset. Every chunk is checked and decoded to
 * UTF-8 (text-encoding.ts); the first chunk(s) are used to guess the delimiter, the decimal mark and the
 * header; then every row goes straight from the bytes into per-column typed arrays.
 */
import { createHash, type Hash } from 'node:crypto';
import { ColumnBuilder, decodeField } from './column-builder.js';
import { finishColumn } from './column-kind.js';
import { CsvTokenError, CsvTokenizer, type RowFields, type TokenizerProblem } from './csv-tokenizer.js';
import { DataError, quoteCell } from './errors.js';
import { nonFiniteWarnings, nonFiniteWordError } from './non-finite.js';
import { NumericRowRun, type RunTarget } from './numeric-rows.js';
import type { DecimalMark } from './number-text.js';
import {
  countRows,
  detectDecimalMark,
  detectDelimiter,
  detectHeader,
  lineAndColumn,
  sampleRows,
  separatorLine,
} from './sniff.js';
import { EncodingError, FileDecoder, type EncodingProblem } from './text-encoding.js';
import type { Column, CsvWarning, Dataset, ReadCsvOptions } from './types.js';

/** Bytes looked at before guessing the delimiter and header. */
export const SNIFF_BYTES = 64 * 1024;
const DEFAULT_PREVIEW_ROWS = 100;
const BAD_LINES_LISTED = 5;

export interface CsvSource {
  chunks: AsyncIterable<Uint8Array>;
  totalBytes: number;
  /** File name for messages and the dataset. */
  name: string;
  path?: string;
}

export async function readCsvSource(source: CsvSource, options: ReadCsvOptions = {}): Promise<Dataset> {
  const { name, totalBytes } = source;
  const hash = createHash('sha256');
  const decoder = new FileDecoder(options.encoding);
  const head: Buffer[] = [];
  let headBytes = 0;
  let reader: RowReader | null = null;
  let bytesRead = 0;
  // A problem's line: counted from the file's start while the head is gathered, then from the reader's row.
  const placeOf = (bytes: Uint8Array, offset: number) =>
    reader ? reader.placeOf(bytes, offset) : lineAndColumn(Buffer.concat([...head, bytes]), headBytes + offset);
  const take = (text: Buffer) => {
    if (reader) {
      reader.feed(text);
      return;
    }
    head.push(text);
    headBytes += text.length;
    if (headBytes >= SNIFF_BYTES) reader = new RowReader(name, Buffer.concat(head), false, totalBytes, options);
  };
  const decode = (chunk: Buffer, final: boolean): Buffer => {
    let text: Buffer;
    try {
      text = decoder.decode(chunk, final);
    } catch (error) {
      if (error instanceof EncodingError) throw encodingError(name, error.problem, placeOf);
      throw error;
    }
    return text;
  };
  throwIfAborted(options.signal, name);
  for await (const piece of source.chunks) {
    throwIfAborted(options.signal, name);
    const chunk = asBuffer(piece);
    hash.update(chunk);
    bytesRead += chunk.length;
    take(decode(chunk, false));
    options.onProgress?.(bytesRead, totalBytes);
  }
  throwIfAborted(options.signal, name);
  const rest = decode(Buffer.alloc(0), true);
  if (rest.length > 0) take(rest);
  if (!reader) reader = new RowReader(name, Buffer.concat(head), true, totalBytes, options);
  const dataset = (reader as RowReader).finish(finalHash(hash), bytesRead);
  dataset.encoding = decoder.encoding ?? 'utf-8';
  if (source.path !== undefined) dataset.path = source.path;
  return dataset;
}

type PlaceOf = (bytes: Uint8Array, offset: number) => { line: number; column: number };

function byteName(byte: number): string {
  return `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

function encodingError(file: string, problem: EncodingProblem, placeOf: PlaceOf): DataError {
  const { line, column } = placeOf(problem.bytes, problem.offset);
  const at = `${file} line ${line}, column ${column}`;
  const place = { file, line, column };
  switch (problem.kind) {
    case 'nul':
      return new DataError(
        'binary-file',
        `${at}: this is not a text file (it holds a NUL byte). Export the data as CSV text (CSV UTF-8) and open that file.`,
        place,
      );
    case 'utf16':
      return new DataError(
        'not-utf16',
        `${at}: the file starts as UTF-16 text but holds a broken UTF-16 character here. Save the file as "CSV UTF-8" and open it again.`,
        place,
      );
    case 'cp1252':
    case 'utf8':
      return new DataError(
        'not-utf8',
        problem.kind === 'utf8'
          ? `${at}: the byte ${byteName(problem.byte)} is not UTF-8 text. Save the file as "CSV UTF-8" (or convert it to UTF-8) and open it again, or, if it was saved as Windows-1252 (Latin-1), read it as Windows-1252.`
          : `${at}: the byte ${byteName(problem.byte)} is not Windows-1252 text. Save the file as "CSV UTF-8" and open it again.`,
        place,
      );
  }
}

function finalHash(hash: Hash): string {
  return hash.digest('hex');
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function throwIfAborted(signal: AbortSignal | undefined, file: string): void {
  if (signal?.aborted) throw new DataError('aborted', `Reading ${file} was cancelled.`, { file });
}

class RowReader {
  private readonly file: string;
  private readonly options: ReadCsvOptions;
  private readonly tokenizer: CsvTokenizer;
  readonly delimiter: string;
  readonly decimal: DecimalMark;
  readonly hasHeader: boolean;
  private readonly capacity: number;
  private names: string[] | null = null;
  private builders: ColumnBuilder[] = [];
  private rowCount = 0;
  private rowLines: Int32Array;
  private skipped = 0;
  private readonly skippedLines: number[] = [];
  private readonly preview: string[][] = [];
  private readonly previewRows: number;
  private readonly warnings: CsvWarning[] = [];
  private leftover: Buffer = Buffer.alloc(0);
  private work: Buffer = Buffer.alloc(0);
  private sawAnyRow = false;
  private readonly target: RunTarget = { columns: [], row: 0, room: 0, lines: new Int32Array(0) };

  constructor(file: string, head: Buffer, final: boolean, totalBytes: number, options: ReadCsvOptions) {
    this.file = file;
    this.options = options;
    this.previewRows = options.previewRows ?? DEFAULT_PREVIEW_ROWS;
    const separator = separatorLine(head);
    const body = separator ? head.subarray(separator.length) : head;
    if (body.length === 0 || (final && isAllWhitespace(body))) {
      throw new DataError('empty-file', `${file} is empty: choose a CSV file with a header row and data rows.`, {
        file,
        line: separator ? 2 : 1,
      });
    }
    this.delimiter = options.delimiter ?? separator?.delimiter ?? detectDelimiter(body, final);
    const sample = sampleRows(body, this.delimiter, final, 50);
    this.decimal = options.decimal ?? detectDecimalMark(sample, this.delimiter);
    this.hasHeader = options.header ?? detectHeader(sample, this.decimal);
    const counted = countRows(body, this.delimiter, final);
    this.capacity = estimateRows(counted.bytes, counted.rows, totalBytes);
    this.rowLines = new Int32Array(this.capacity);
    this.tokenizer = new CsvTokenizer(
      this.delimiter,
      (buf, row) => this.takeRow(buf, row),
      separator ? 2 : 1,
      this.decimal,
    );
    this.tokenizer.useRun(
      new NumericRowRun(
        this.delimiter,
        () => this.runTarget(),
        (rows) => this.tookRows(rows),
      ),
    );
    this.feedBuffer(body, final);
  }

  /** Line and column of `bytes[offset]`, where `bytes` is the text that comes after what was fed so far. */
  placeOf(bytes: Uint8Array, offset: number): { line: number; column: number } {
    const joined = Buffer.concat([this.leftover, bytes.subarray(0, offset)]);
    const { line, column } = lineAndColumn(joined, joined.length);
    return { line: this.tokenizer.nextLine + line - 1, column };
  }

  feed(chunk: Buffer): void {
    if (this.leftover.length === 0) {
      this.feedBuffer(chunk, false);
      return;
    }
    // Join the unfinished row and the new chunk in one reused buffer instead of a fresh one per chunk.
    const size = this.leftover.length + chunk.length;
    let work = this.work;
    if (work.length < size) {
      const grown = Buffer.allocUnsafe(Math.max(size, work.length * 2));
      this.leftover.copy(grown, 0);
      work = this.work = grown;
    } else if (this.leftover.buffer !== work.buffer || this.leftover.byteOffset !== work.byteOffset) {
      if (this.leftover.buffer === work.buffer)
        work.copyWithin(
          0,
          this.leftover.byteOffset - work.byteOffset,
          this.leftover.byteOffset - work.byteOffset + this.leftover.length,
        );
      else this.leftover.copy(work, 0);
    }
    chunk.copy(work, this.leftover.length);
    this.feedBuffer(work.subarray(0, size), false);
  }

  private feedBuffer(buf: Buffer, final: boolean): void {
    let consumed: number;
    try {
      consumed = this.tokenizer.parse(buf, final);
    } catch (error) {
      if (error instanceof CsvTokenError) throw this.tokenError(error.problem);
      throw error;
    }
    this.leftover = buf.subarray(consumed);
  }

  private tokenError(problem: TokenizerProblem): DataError {
    const column = this.columnLabel(problem.field);
    const place = { file: this.file, line: problem.line, column: problem.field };
    if (problem.kind === 'unclosed-quote') {
      return new DataError(
        'unclosed-quote',
        `${this.file} line ${problem.line}, column ${column}: a quoted field is never closed. Add the closing quote ("), and double any quote inside the field ("").`,
        place,
      );
    }
    return new DataError(
      'text-after-quote',
      `${this.file} line ${problem.line}, column ${column}: there is text after a closing quote. Put the whole field in quotes and double any quote inside it ("").`,
      place,
    );
  }

  private columnLabel(field: number): string {
    const name = this.names?.[field - 1];
    return name === undefined ? String(field) : `${field} (${quoteCell(name)})`;
  }

  private takeRow(buf: Uint8Array, row: RowFields): void {
    this.sawAnyRow = true;
    if (this.names === null) {
      this.startColumns(buf, row);
      if (this.hasHeader) return;
    }
    const builders = this.builders;
    if (row.count !== builders.length) {
      this.badRow(row);
      return;
    }
    for (let j = 0; j < builders.length; j++) builders[j]!.add(buf, row, j);
    if (this.rowCount === this.rowLines.length) this.growRowLines();
    this.rowLines[this.rowCount] = row.line;
    if (this.rowCount < this.previewRows) {
      const cells: string[] = [];
      for (let j = 0; j < row.count; j++) cells.push(decodeField(buf, row.starts[j]!, row.ends[j]!, row.quoting[j]!));
      this.preview.push(cells);
    }
    this.rowCount++;
  }

  /** Where the numeric rows may write, once the preview is full and while every column takes plain numbers. */
  private runTarget(): RunTarget | null {
    if (this.names === null || this.rowCount < this.previewRows) return null;
    const builders = this.builders;
    for (const builder of builders) if (!builder.takesPlainNumbers()) return null;
    if (this.rowCount === this.rowLines.length) this.growRowLines();
    let room = this.rowLines.length - this.rowCount;
    const target = this.target;
    target.columns.length = builders.length;
    for (let j = 0; j < builders.length; j++) {
      const builder = builders[j]!;
      builder.makeRoom();
      room = Math.min(room, builder.numbers.length - builder.length);
      target.columns[j] = builder.numbers;
    }
    target.row = this.rowCount;
    target.room = room;
    target.lines = this.rowLines;
    return target;
  }

  private tookRows(rows: number): void {
    for (const builder of this.builders) builder.tookPlainNumbers(rows);
    this.rowCount += rows;
  }

  private growRowLines(): void {
    const grown = new Int32Array(Math.ceil(this.rowLines.length * 1.5) + 16);
    grown.set(this.rowLines);
    this.rowLines = grown;
  }

  private startColumns(buf: Uint8Array, row: RowFields): void {
    const names: string[] = [];
    for (let j = 0; j < row.count; j++) {
      names.push(
        this.hasHeader ? decodeField(buf, row.starts[j]!, row.ends[j]!, row.quoting[j]!).trim() : `column_${j + 1}`,
      );
    }
    this.names = uniqueNames(names, this.warnings, this.file);
    this.builders = names.map(() => new ColumnBuilder(this.capacity, this.decimal));
  }

  private badRow(row: RowFields): void {
    const expected = this.builders.length;
    if (this.options.skipBadRows) {
      this.skipped++;
      if (this.skippedLines.length < BAD_LINES_LISTED) this.skippedLines.push(row.line);
      return;
    }
    const field = Math.min(expected, row.count) + 1;
    const where =
      row.count > expected ? `column ${field} is one too many` : `column ${this.columnLabel(field)} is missing`;
    throw new DataError(
      'field-count',
      `${this.file} line ${row.line}: expected ${expected} fields, found ${row.count} (${where}). Check for an unquoted delimiter, or choose 'skip bad rows'.`,
      { file: this.file, line: row.line, column: field },
    );
  }

  finish(hash: string, bytes: number): Dataset {
    this.feedBuffer(this.leftover, true);
    const file = this.file;
    if (!this.sawAnyRow || this.names === null) {
      throw new DataError('empty-file', `${file} is empty: choose a CSV file with a header row and data rows.`, {
        file,
        line: 1,
      });
    }
    if (this.rowCount === 0) {
      const message =
        this.skipped > 0
          ? `${file}: every data row was skipped for having the wrong number of fields (first at line ${this.skippedLines[0]}). Check the delimiter.`
          : `${file} line 2: the file has a header row but no data rows. Add rows below the header, or choose another file.`;
      throw new DataError(this.skipped > 0 ? 'no-good-rows' : 'no-data-rows', message, {
        file,
        line: this.skipped > 0 ? this.skippedLines[0] : 2,
      });
    }
    const columns: Column[] = this.builders.map((builder, j) => {
      const column = finishColumn((this.names as string[])[j]!, builder);
      builder.release(); // lets the over-sized arrays go before the next column is trimmed
      return column;
    });
    columns.forEach((column, j) => this.warnAbout(column, j + 1));
    if (this.skipped > 0) {
      this.warnings.push({
        code: 'skipped-rows',
        message: `${file}: skipped ${this.skipped} row${this.skipped === 1 ? '' : 's'} with the wrong number of fields (line${this.skippedLines.length === 1 ? '' : 's'} ${this.skippedLines.join(', ')}${this.skipped > this.skippedLines.length ? ', ...' : ''}).`,
        lines: [...this.skippedLines],
      });
    }
    return {
      name: file,
      hash,
      bytes,
      rowCount: this.rowCount,
      delimiter: this.delimiter,
      decimal: this.decimal,
      hasHeader: this.hasHeader,
      columns,
      rowLines: this.rowLines.length === this.rowCount ? this.rowLines : this.rowLines.slice(0, this.rowCount),
      preview: this.preview,
      skippedRows: this.skipped,
      warnings: this.warnings,
    };
  }

  private warnAbout(column: Column, columnNumber: number): void {
    const file = this.file;
    if (this.options.nonFinite === 'refuse' && (column.nonFinite?.words.count ?? 0) > 0)
      throw nonFiniteWordError(file, column, columnNumber);
    this.warnings.push(...nonFiniteWarnings(file, column));
    if (column.nonNumeric) {
      const { count, examples } = column.nonNumeric;
      const listed = examples.map((e) => `line ${e.line} ${quoteCell(e.text)}`).join(', ');
      this.warnings.push({
        code: 'non-numeric-cells',
        column: column.name,
        lines: examples.map((e) => e.line),
        message: `${file} column '${column.name}': ${count} cell${count === 1 ? ' is' : 's are'} not a number and will be read as missing (${listed}${count > examples.length ? ', ...' : ''}). Fix ${count === 1 ? 'it' : 'them'} in the file, or treat the column as a category.`,
      });
    } else if (column.kind === 'empty') {
      this.warnings.push({
        code: 'empty-column',
        column: column.name,
        message: `${file} column '${column.name}' has no values; it is ignored unless you choose otherwise.`,
      });
    }
  }
}

function isAllWhitespace(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
  }
  return true;
}

/** Header names made unique and non-empty, warning about each change. */
function uniqueNames(names: string[], warnings: CsvWarning[], file: string): string[] {
  const seen = new Set<string>();
  return names.map((raw, j) => {
    let name = raw === '' ? `column_${j + 1}` : raw;
    if (seen.has(name)) {
      let k = 2;
      while (seen.has(`${name}_${k}`)) k++;
      warnings.push({
        code: 'duplicate-column-name',
        column: `${name}_${k}`,
        message: `${file}: column ${j + 1} repeats the name '${name}'; it is called '${name}_${k}'.`,
      });
      name = `${name}_${k}`;
    }
    seen.add(name);
    return name;
  });
}

/** Rows in the file, judged from the sample, so the column arrays rarely need to grow. */
function estimateRows(sampleBytes: number, sampleRowCount: number, totalBytes: number): number {
  if (sampleRowCount === 0 || sampleBytes === 0) return 1024;
  const bytesPerRow = sampleBytes / sampleRowCount;
  return Math.min(Math.ceil((totalBytes / bytesPerRow) * 1.05) + 16, 50_000_000);
}
