/**
 * Number recognition shared by the reader, the preprocessor and prediction-time encoding, so the same cell
 * text always becomes the same double wherever it is parsed.
 */

const MISSING_MARKERS = new Set(['', 'na', 'n/a', 'nan', 'null', '?', 'none', '-']);

/** Cells that mean "no value": empty, NA, N/A, NaN, null, None, ?, - (case-insensitive, surrounding spaces ignored). */
export function isMissingText(text: string): boolean {
  const t = text.trim();
  return t.length <= 4 && MISSING_MARKERS.has(t.toLowerCase());
}

const NON_FINITE_WORDS = new Set(['inf', '+inf', '-inf', 'infinity', '+infinity', '-infinity', 'nan', '+nan', '-nan']);

/**
 * inf, -inf, Infinity, NaN and their signed forms (case-insensitive): what programs write for a value that is
 * not a number. In a numeric column they are missing values, counted and reported, never a category.
 */
export function isNonFiniteWord(text: string): boolean {
  const t = text.trim();
  return t.length >= 3 && t.length <= 9 && NON_FINITE_WORDS.has(t.toLowerCase());
}

/**
 * Doubles from this magnitude on round to Infinity in float32, the precision the model and the ONNX graph
 * compute in (halfway between the largest float32 and 2^128 rounds up).
 */
export const FLOAT32_OVERFLOW = 3.4028235677973366e38;

/** Whether a number (not NaN) has no finite float32 value: ±Infinity, or too large. */
export function isFloat32Overflow(value: number): boolean {
  return value >= FLOAT32_OVERFLOW || value <= -FLOAT32_OVERFLOW;
}

const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The character a file writes between a number's whole part and its fraction. */
export type DecimalMark = '.' | ',';

/**
 * A number as people write it, or NaN for anything else (surrounding spaces allowed):
 * - plain decimals with optional sign, fraction and exponent: 12, -3.5, +.5, 1e-3;
 * - with thousands groups (1,234.5; with a decimal comma 1.234,5 or 1 234,5), a currency symbol before or
 *   after ($100.00, -€5, 100 €, £3), or a percent sign (45%, read as 45: the column keeps the units it shows).
 * With a decimal comma (`,`), 1,5 is one and a half and 1,234 is not a thousand.
 */
export function parseNumberText(text: string, decimal: DecimalMark = '.'): number {
  const t = text.trim();
  if (decimal === '.' && PLAIN_NUMBER.test(t)) return Number(t);
  return parseWrittenNumber(t, decimal);
}

const CURRENCY = '[$€£¥]';
const WRITTEN: Record<DecimalMark, RegExp> = {
  '.': writtenPattern(',', '\\.'),
  ',': writtenPattern('[.\u00a0\u202f ]', ','),
};

function writtenPattern(group: string, point: string): RegExp {
  return new RegExp(
    `^([+-]?)(${CURRENCY}?) ?([+-]?)(\\d{1,3}(?:${group}\\d{3})+|\\d*)(?:${point}(\\d*))?(?:[eE]([+-]?\\d+))?( ?%| ?${CURRENCY})?$`,
  );
}

/** The forms beyond plain decimals (see parseNumberText); `t` is already trimmed. */
function parseWrittenNumber(t: string, decimal: DecimalMark): number {
  const match = WRITTEN[decimal].exec(t);
  if (!match) return NaN;
  const [, sign1 = '', before = '', sign2 = '', whole = '', fraction, exponent, after] = match;
  if (whole === '' && (fraction === undefined || fraction === '')) return NaN;
  if (sign1 !== '' && sign2 !== '') return NaN;
  if (before !== '' && after !== undefined) return NaN;
  if (exponent !== undefined && (before !== '' || after !== undefined || /\D/.test(whole))) return NaN;
  const digits = `${whole.replace(/\D/g, '')}.${fraction ?? ''}${exponent !== undefined ? `e${exponent}` : ''}`;
  const value = Number(digits === '.' ? 'x' : digits);
  return sign1 === '-' || sign2 === '-' ? -value : value;
}

/** Whether a cell that reads as a number is written in a form other than a plain decimal with a point. */
export function isWrittenNumber(text: string): boolean {
  return !PLAIN_NUMBER.test(text.trim());
}

/** Powers of ten that doubles hold exactly: multiplying or dividing by them rounds once, correctly. */
const EXACT_POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];

const ZERO = 48;
const NINE = 57;
const LINE_FEED = 10;
const CARRIAGE_RETURN = 13;
export const DOT = 46;
export const COMMA = 44;
const MINUS = 45;
const PLUS = 43;

/**
 * Parse a plain decimal straight from UTF-8 bytes, without making a string. Returns NaN when the bytes are not
 * a plain number or when exact parsing would need more than 15 significant digits; callers then fall back to
 * parseNumberText, which gives the same value for everything this accepts (both round correctly).
 */
export function parseNumberBytes(buf: Uint8Array, start: number, end: number, point = DOT): number {
  let i = start;
  let negative = false;
  let c = buf[i];
  if (c === MINUS) {
    negative = true;
    i++;
  } else if (c === PLUS) {
    i++;
  }
  let mantissa = 0;
  let significant = 0;
  let digits = 0;
  let exponent = 0;
  while (i < end) {
    const d = buf[i]! - ZERO;
    if (d < 0 || d > 9) break;
    if (significant > 0 || d !== 0) {
      mantissa = mantissa * 10 + d;
      significant++;
    }
    digits++;
    i++;
  }
  if (i < end && buf[i] === point) {
    i++;
    while (i < end) {
      const d = buf[i]! - ZERO;
      if (d < 0 || d > 9) break;
      if (significant > 0 || d !== 0) {
        mantissa = mantissa * 10 + d;
        significant++;
      }
      exponent--;
      digits++;
      i++;
    }
  }
  if (digits === 0) return NaN;
  if (i < end) {
    c = buf[i];
    if (c !== 101 && c !== 69) return NaN; // e, E
    i++;
    let expNegative = false;
    if (buf[i] === MINUS) {
      expNegative = true;
      i++;
    } else if (buf[i] === PLUS) {
      i++;
    }
    let e = 0;
    let expDigits = 0;
    while (i < end) {
      const d = buf[i]! - ZERO;
      if (d < 0 || d > 9) return NaN;
      if (e < 100000) e = e * 10 + d;
      expDigits++;
      i++;
    }
    if (expDigits === 0) return NaN;
    exponent += expNegative ? -e : e;
  }
  if (significant > 15) return NaN;
  let value: number;
  if (mantissa === 0) value = 0;
  else if (exponent === 0) value = mantissa;
  else if (exponent < 0 && exponent >= -22) value = mantissa / EXACT_POW10[-exponent]!;
  else if (exponent > 0 && exponent <= 22) value = mantissa * EXACT_POW10[exponent]!;
  else return NaN;
  return negative ? -value : value;
}

/**
 * The tokenizer's one-pass read of an unquoted field that starts at `start`: a plain decimal (optional sign,
 * digits, optional `point` and digits) that runs up to the delimiter, a line break or the end of the bytes is
 * stored in `values[index]`, anything else stores NaN. Returns the first byte not read, from where the caller
 * scans on for the field's end. (The value goes into the array rather than being returned, so no number is
 * boxed per cell.) Values are exact: the digits form an integer below 2^53, so every step is exact, and one
 * division by an exact power of ten rounds once, correctly: Number(text) bit for bit. Anything else
 * (exponents, more digits, spaces, words) is NaN here and parsed by the full path.
 */
export function readPlainDecimal(
  buf: Uint8Array,
  start: number,
  n: number,
  point: number,
  delimiter: number,
  values: Float64Array,
  index: number,
): number {
  let i = start;
  let c = i < n ? buf[i]! : -1;
  let negative = false;
  if (c === MINUS || c === PLUS) {
    negative = c === MINUS;
    c = ++i < n ? buf[i]! : -1;
  }
  let mantissa = 0;
  let digits = 0;
  while (c >= ZERO && c <= NINE) {
    mantissa = mantissa * 10 + (c - ZERO);
    digits++;
    c = ++i < n ? buf[i]! : -1;
  }
  let scale = 0;
  if (c === point) {
    c = ++i < n ? buf[i]! : -1;
    while (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      scale++;
      c = ++i < n ? buf[i]! : -1;
    }
  }
  if (
    (c !== delimiter && c !== LINE_FEED && c !== CARRIAGE_RETURN && c !== -1) ||
    digits + scale === 0 ||
    mantissa > Number.MAX_SAFE_INTEGER ||
    scale > 22
  ) {
    values[index] = NaN;
    return i;
  }
  const value = scale === 0 ? mantissa : mantissa / EXACT_POW10[scale]!;
  values[index] = negative ? -value : value;
  return i;
}

/**
 * The text a number takes when it stands as a category (a numeric cell in a text column, or a numeric column
 * treated as categories): the shortest round-trip form, so 1.0 and 1 are one category.
 */
export function numberAsCategory(value: number): string {
  return String(value);
}

/**
 * The category key of a raw value: numbers (and number-looking text) in their canonical form, other text
 * trimmed; null for a missing value.
 */
export function categoryKey(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isNaN(value) ? null : numberAsCategory(value);
  if (isMissingText(value)) return null;
  const n = parseNumberText(value);
  return Number.isNaN(n) ? value.trim() : numberAsCategory(n);
}

const TRUE_WORDS = new Set(['true', 'yes', 't', 'y']);
const FALSE_WORDS = new Set(['false', 'no', 'f', 'n']);

/** 1 / 0 for a yes/no word, NaN otherwise. */
export function booleanValue(text: string): number {
  const t = text.trim().toLowerCase();
  if (TRUE_WORDS.has(t)) return 1;
  if (FALSE_WORDS.has(t)) return 0;
  return NaN;
}

/**
 * A raw value from a form, a record or a CSV cell as the number a numeric feature takes: NaN when it is missing
 * (inf and NaN words too, as the reader reads them), null when it is text that is not a number (the caller says
 * where, in its own words). Numbers may be written as parseNumberText reads them with a decimal point; a file
 * with decimal commas is read by the reader, which hands on plain numbers.
 */
export function cellNumber(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined) return NaN;
  if (typeof value === 'number') return value;
  if (isMissingText(value) || isNonFiniteWord(value)) return NaN;
  const parsed = parseNumberText(value);
  if (!Number.isNaN(parsed)) return parsed;
  const yesNo = booleanValue(value);
  return Number.isNaN(yesNo) ? null : yesNo;
}
