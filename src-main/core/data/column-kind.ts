/**
 * Turns a finished ColumnBuilder into a typed Column: decides its kind and computes its statistics.
 */
import type { ColumnBuilder } from './column-builder.js';
import { booleanValue } from './number-text.js';
import type { Column, ColumnKind, ColumnStats, Histogram } from './types.js';

/** A column is numeric when at least this share of its non-missing cells are numbers. */
export const NUMERIC_SHARE = 0.95;
/** Distinct values are counted exactly up to this many; past it `uniqueCapped` is set. */
export const UNIQUE_COUNT_LIMIT = 100_000;
const HISTOGRAM_BINS = 20;
const TOP_CATEGORIES = 20;

export function finishColumn(name: string, builder: ColumnBuilder): Column {
  const rows = builder.length;
  // inf words are missing values when the column is numeric, so they do not count against its numbers.
  const present = rows - builder.missing - builder.infinityWords;
  const numeric = present - builder.nonNumeric.count;
  if (present === 0) {
    const { numbers } = builder.trimmed();
    const column: Column = {
      name,
      kind: 'empty',
      numbers,
      stats: { missing: rows, unique: 0, histogram: { edges: [], counts: [] } },
    };
    keepNonFinite(column, builder);
    return column;
  }
  if (numeric / present >= NUMERIC_SHARE) return numericColumn(name, builder);
  builder.switchToCodes();
  const { codes } = builder.trimmed() as { codes: Int32Array };
  const categories = builder.categories;
  const stats = categoryStats(codes, categories, builder.missing);
  const booleans = categories.map(booleanValue);
  if (categories.length === 2 && booleans.every((b) => !Number.isNaN(b)) && booleans[0] !== booleans[1]) {
    const numbers = new Float64Array(codes.length);
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i]!;
      numbers[i] = code < 0 ? NaN : booleans[code]!;
    }
    const numberStats = numericStats(numbers, builder.missing).stats;
    return { name, kind: 'boolean', numbers, codes, categories, stats: { ...numberStats, histogram: stats.histogram } };
  }
  const identifierLike = present >= 20 && stats.unique > 0.9 * present;
  const kind: ColumnKind = identifierLike || stats.unique > UNIQUE_COUNT_LIMIT ? 'text' : 'category';
  return { name, kind, codes, categories, stats };
}

function numericColumn(name: string, builder: ColumnBuilder): Column {
  const { numbers } = builder.trimmed();
  const missing = builder.missing + builder.infinityWords;
  const stats = numericStats(numbers, missing);
  const kind: ColumnKind = stats.integer ? 'integer' : 'number';
  const column: Column = { name, kind, numbers, stats: stats.stats };
  if (builder.nonNumeric.count > 0) {
    column.nonNumeric = builder.nonNumeric;
    column.stats.missing += builder.nonNumeric.count;
  }
  keepNonFinite(column, builder);
  if (builder.written) column.stats.written = builder.written;
  return column;
}

function keepNonFinite(column: Column, builder: ColumnBuilder): void {
  const words = builder.nonFiniteWords;
  const overflow = builder.overflow;
  if (words.count === 0 && overflow.count === 0) return;
  column.nonFinite = { words, overflow };
  column.stats.nonFinite = { words: words.count, overflow: overflow.count };
}

/** Statistics over the finite values (NaN is missing; ±Infinity, from 1e999, is counted in nonFinite). */
export function numericStats(numbers: Float64Array, missing: number): { stats: ColumnStats; integer: boolean } {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let count = 0;
  let integer = true;
  for (let i = 0; i < numbers.length; i++) {
    const v = numbers[i]!;
    if (v - v !== 0) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    count++;
    if (integer && Math.floor(v) !== v) integer = false;
  }
  if (count === 0) {
    return { stats: { missing, unique: 0, histogram: { edges: [], counts: [] } }, integer: false };
  }
  const mean = sum / count;
  let squares = 0;
  for (let i = 0; i < numbers.length; i++) {
    const v = numbers[i]!;
    if (v - v === 0) squares += (v - mean) * (v - mean);
  }
  const std = Math.sqrt(squares / count);
  const { unique, capped } = countDistinct(numbers);
  const stats: ColumnStats = { missing, unique, min, max, mean, std, histogram: numericHistogram(numbers, min, max) };
  if (capped) stats.uniqueCapped = true;
  return { stats, integer };
}

function numericHistogram(numbers: Float64Array, min: number, max: number): Histogram {
  const bins = min === max ? 1 : HISTOGRAM_BINS;
  const width = (max - min) / bins;
  const edges: number[] = [];
  for (let b = 0; b <= bins; b++) edges.push(b === bins ? max : min + b * width);
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < numbers.length; i++) {
    const v = numbers[i]!;
    if (v - v !== 0) continue;
    let b = width > 0 ? Math.floor((v - min) / width) : 0;
    if (b >= bins) b = bins - 1;
    counts[b]!++;
  }
  return { edges, counts };
}

/**
 * Distinct non-NaN values, by open addressing on the values' bits in a small table so it stays in cache;
 * stops at UNIQUE_COUNT_LIMIT.
 */
function countDistinct(numbers: Float64Array): { unique: number; capped: boolean } {
  const size = 1 << 18; // > 2 x UNIQUE_COUNT_LIMIT keeps probes short
  const mask = size - 1;
  const low = new Int32Array(size);
  const high = new Int32Array(size);
  const used = new Uint8Array(size);
  const cell = new Float64Array(1);
  const bits = new Int32Array(cell.buffer);
  let unique = 0;
  for (let i = 0; i < numbers.length; i++) {
    const v = numbers[i]!;
    if (v - v !== 0) continue;
    cell[0] = v === 0 ? 0 : v; // -0 and 0 are one value
    const lo = bits[0]!;
    const hi = bits[1]!;
    let h = (Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi ^ (hi >>> 16), 0x85ebca6b)) >>> 0;
    h = (h ^ (h >>> 15)) & mask;
    while (used[h] === 1 && (low[h] !== lo || high[h] !== hi)) h = (h + 1) & mask;
    if (used[h] === 1) continue;
    used[h] = 1;
    low[h] = lo;
    high[h] = hi;
    unique++;
    if (unique >= UNIQUE_COUNT_LIMIT) return { unique, capped: true };
  }
  return { unique, capped: false };
}

function categoryStats(codes: Int32Array, categories: string[], missing: number): ColumnStats {
  const counts = new Array<number>(categories.length).fill(0);
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    if (code >= 0) counts[code]!++;
  }
  const order = categories
    .map((_, k) => k)
    .sort((a, b) => counts[b]! - counts[a]! || a - b)
    .slice(0, TOP_CATEGORIES);
  return {
    missing,
    unique: categories.length,
    histogram: { edges: [], counts: order.map((k) => counts[k]!), labels: order.map((k) => categories[k]!) },
  };
}
