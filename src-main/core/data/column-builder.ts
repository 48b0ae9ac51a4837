/**
 * Collects one column's cells while the file streams by. Every cell first tries to be a plain number (parsed
 * from the bytes, no string made), then a number as people write it ($1,234.50, 45%, 1,5 in a decimal-comma
 * file); text cells are set aside, and only when a column holds more text than a mostly-numeric column would
 * does it switch to dictionary codes. inf / NaN words and numbers too large for float32 are counted apart.
 */
import { PLAIN, QUOTED_ESCAPES, type RowFields } from './csv-tokenizer.js';
import type { NonNumericCells } from './types.js';
import {
  COMMA,
  DOT,
  isFloat32Overflow,
  isMissingText,
  isNonFiniteWord,
  isWrittenNumber,
  numberAsCategory,
  parseNumberBytes,
  parseNumberText,
  type DecimalMark,
} from './number-text.js';

const EXAMPLES_KEPT = 5;
/** Text cells set aside before the column switches to dictionary codes. */
const PENDING_LIMIT = 1000;

export function decodeField(buf: Uint8Array, start: number, end: number, quoting: number): string {
  const text = (buf as Buffer).toString('utf8', start, end);
  return quoting === QUOTED_ESCAPES ? text.replaceAll('""', '"') : text;
}

export class ColumnBuilder {
  numbers: Float64Array;
  codes: Int32Array | null = null;
  categories: string[] = [];
  private dictionary = new Map<string, number>();
  /** Text cells not yet in the dictionary: row and trimmed text. */
  private pendingRows: number[] = [];
  private pendingTexts: string[] = [];
  missing = 0;
  readonly nonNumeric: NonNumericCells = { count: 0, examples: [] };
  /** inf / NaN words; NaN words are also missing markers and counted in `missing`. */
  readonly nonFiniteWords: NonNumericCells = { count: 0, examples: [] };
  /** inf words only: text in a category column, missing in a numeric one. */
  infinityWords = 0;
  readonly overflow: NonNumericCells = { count: 0, examples: [] };
  /** Cells read as numbers though not written as plain decimals, and the first of them. */
  written: { cells: number; example: string; value: number } | null = null;
  length = 0;
  private readonly decimal: DecimalMark;
  private readonly point: number;

  constructor(capacity: number, decimal: DecimalMark = '.') {
    this.numbers = new Float64Array(Math.max(16, capacity));
    this.decimal = decimal;
    this.point = decimal === ',' ? COMMA : DOT;
  }

  /** Whether plain numbers may be written straight into `numbers` (no codes to keep, no decimal commas to note). */
  takesPlainNumbers(): boolean {
    return this.codes === null && this.point === DOT;
  }

  /** Room for at least one more row in `numbers`. */
  makeRoom(): void {
    if (this.length === this.numbers.length) this.grow();
  }

  /** Rows written straight into `numbers` by the reader's numeric rows. */
  tookPlainNumbers(rows: number): void {
    this.length += rows;
  }

  /** Field `j` of a row the tokenizer found in `buf`. */
  add(buf: Uint8Array, row: RowFields, j: number): void {
    const at = this.length;
    if (at === this.numbers.length) this.grow();
    this.length = at + 1;
    const parsed = row.values[j]!;
    if (parsed === parsed && this.takesPlainNumbers()) {
      // The common cell: a plain decimal the tokenizer already read (it reads only unquoted ones).
      this.numbers[at] = parsed;
      return;
    }
    this.addCell(buf, row.starts[j]!, row.ends[j]!, row.quoting[j]!, row.line, at, parsed);
  }

  private addCell(
    buf: Uint8Array,
    start: number,
    end: number,
    quoting: number,
    line: number,
    at: number,
    parsed: number,
  ): void {
    if (quoting === PLAIN) {
      if (start === end) {
        this.addMissing(at);
        return;
      }
      const value = parsed === parsed ? parsed : parseNumberBytes(buf, start, end, this.point);
      if (value === value) {
        // Plain numbers read from bytes stay below 1e38, so they never overflow float32.
        if (this.point === COMMA) this.noteCommaNumber(buf, start, end, value);
        this.numbers[at] = value;
        if (this.codes) this.codes[at] = this.codeOf(numberAsCategory(value));
        return;
      }
    }
    this.addText(buf, start, end, quoting, line, at);
  }

  /** Cells that are not plain numbers: kept out of `add` so its common path stays small. */
  private addText(buf: Uint8Array, start: number, end: number, quoting: number, line: number, row: number): void {
    const text = decodeField(buf, start, end, quoting).trim();
    if (isNonFiniteWord(text)) {
      this.nonFiniteWords.count++;
      if (this.nonFiniteWords.examples.length < EXAMPLES_KEPT) this.nonFiniteWords.examples.push({ row, line, text });
      if (!isMissingText(text)) {
        this.infinityWords++;
        this.addCategoryText(row, text);
        return;
      }
    }
    if (isMissingText(text)) {
      this.addMissing(row);
      return;
    }
    const value = parseNumberText(text, this.decimal);
    if (value === value) {
      if (isWrittenNumber(text)) this.noteWritten(text, value);
      this.addNumber(row, value, line, text);
      return;
    }
    this.nonNumeric.count++;
    if (this.nonNumeric.examples.length < EXAMPLES_KEPT) this.nonNumeric.examples.push({ row, line, text });
    this.addCategoryText(row, text);
  }

  private noteCommaNumber(buf: Uint8Array, start: number, end: number, value: number): void {
    const comma = buf.indexOf(COMMA, start);
    if (comma >= 0 && comma < end) this.noteWritten(decodeField(buf, start, end, PLAIN), value);
  }

  private noteWritten(text: string, value: number): void {
    if (this.written) this.written.cells++;
    else this.written = { cells: 1, example: text.trim(), value };
  }

  /** A text cell: NaN as a number; a category once the column keeps codes. */
  private addCategoryText(row: number, text: string): void {
    this.numbers[row] = NaN;
    if (this.codes) {
      this.codes[row] = this.codeOf(text);
      return;
    }
    this.pendingRows.push(row);
    this.pendingTexts.push(text);
    if (this.pendingRows.length > PENDING_LIMIT && this.pendingRows.length > this.length * 0.05) this.switchToCodes();
  }

  private addMissing(row: number): void {
    this.numbers[row] = NaN;
    this.missing++;
    if (this.codes) this.codes[row] = -1;
  }

  private addNumber(row: number, value: number, line: number, text: string): void {
    this.numbers[row] = value;
    if (isFloat32Overflow(value)) {
      this.overflow.count++;
      if (this.overflow.examples.length < EXAMPLES_KEPT) this.overflow.examples.push({ row, line, text });
    }
    if (this.codes) this.codes[row] = this.codeOf(numberAsCategory(value));
  }

  private codeOf(text: string): number {
    let code = this.dictionary.get(text);
    if (code === undefined) {
      code = this.categories.length;
      this.categories.push(text);
      this.dictionary.set(text, code);
    }
    return code;
  }

  /** Build codes for every row read so far; from now on each cell also gets a code as it arrives. */
  switchToCodes(): void {
    if (this.codes) return;
    const codes = new Int32Array(this.numbers.length);
    const numbers = this.numbers;
    let next = 0;
    for (let row = 0; row < this.length; row++) {
      if (next < this.pendingRows.length && this.pendingRows[next] === row) {
        codes[row] = this.codeOf(this.pendingTexts[next]!);
        next++;
      } else {
        const value = numbers[row]!;
        codes[row] = value === value ? this.codeOf(numberAsCategory(value)) : -1;
      }
    }
    this.codes = codes;
    this.pendingRows = [];
    this.pendingTexts = [];
  }

  /** Exact-length copies of the collected arrays. */
  trimmed(): { numbers: Float64Array; codes: Int32Array | null } {
    return {
      numbers: this.numbers.length === this.length ? this.numbers : this.numbers.slice(0, this.length),
      codes: this.codes ? (this.codes.length === this.length ? this.codes : this.codes.slice(0, this.length)) : null,
    };
  }

  /** Drop the collected arrays (after the column has been finished). */
  release(): void {
    this.numbers = new Float64Array(0);
    this.codes = null;
    this.dictionary.clear();
  }

  private grow(): void {
    const size = Math.ceil(this.numbers.length * 1.5) + 16;
    const numbers = new Float64Array(size);
    numbers.set(this.numbers);
    this.numbers = numbers;
    if (this.codes) {
      const codes = new Int32Array(size);
      codes.set(this.codes);
      this.codes = codes;
    }
  }
}
