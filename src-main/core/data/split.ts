/**
 * Seeded train / validation / test split, stratified by class when asked: each class lands in every split in
 * (nearly) the same proportion, and the split sizes still add up exactly to the requested fractions.
 */
import { seededRandom, shuffle } from './random.js';
import type { SplitSettings } from './types.js';

export interface RowSplit {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

/**
 * `rows` are the usable data rows; `classes[k]` is the class of rows[k] (omit for regression or no
 * stratification).
 */
export function splitRows(rows: Int32Array, split: SplitSettings, classes?: Int32Array, classCount = 0): RowSplit {
  const random = seededRandom(split.seed);
  const n = rows.length;
  const trainTotal = Math.round(n * split.train);
  const validationTotal = Math.min(n - trainTotal, Math.round(n * split.validation));
  let train: Int32Array;
  let validation: Int32Array;
  let test: Int32Array;
  if (split.stratify && classes && classCount > 0) {
    const groups: number[][] = Array.from({ length: classCount }, () => []);
    for (let k = 0; k < n; k++) groups[classes[k]!]!.push(rows[k]!);
    const shuffled = groups.map((g) => {
      const a = Int32Array.from(g);
      shuffle(a, random);
      return a;
    });
    const sizes = shuffled.map((g) => g.length);
    const trainSizes = allocate(
      trainTotal,
      sizes.map((s) => s * split.train),
      sizes,
    );
    const rest = sizes.map((s, c) => s - trainSizes[c]!);
    const validationSizes = allocate(
      validationTotal,
      sizes.map((s) => s * split.validation),
      rest,
    );
    const parts: [number[], number[], number[]] = [[], [], []];
    shuffled.forEach((g, c) => {
      const a = trainSizes[c]!;
      const b = a + validationSizes[c]!;
      for (let i = 0; i < g.length; i++) parts[i < a ? 0 : i < b ? 1 : 2].push(g[i]!);
    });
    train = Int32Array.from(parts[0]);
    validation = Int32Array.from(parts[1]);
    test = Int32Array.from(parts[2]);
  } else {
    const order = Int32Array.from(rows);
    shuffle(order, random);
    train = order.slice(0, trainTotal);
    validation = order.slice(trainTotal, trainTotal + validationTotal);
    test = order.slice(trainTotal + validationTotal);
  }
  // Stratified parts are grouped by class; mix them so batches see every class.
  shuffle(train, random);
  shuffle(validation, random);
  shuffle(test, random);
  return { train, validation, test };
}

/**
 * Whole numbers close to `quotas` that add up to `total` (largest remainder), none above its `cap`.
 */
function allocate(total: number, quotas: number[], caps: number[]): number[] {
  const sizes = quotas.map((q, c) => Math.min(caps[c]!, Math.floor(q)));
  let left = total - sizes.reduce((a, b) => a + b, 0);
  const order = quotas
    .map((q, c) => c)
    .sort((a, b) => quotas[b]! - Math.floor(quotas[b]!) - (quotas[a]! - Math.floor(quotas[a]!)) || a - b);
  while (left > 0) {
    let moved = false;
    for (const c of order) {
      if (left === 0) break;
      if (sizes[c]! < caps[c]!) {
        sizes[c]!++;
        left--;
        moved = true;
      }
    }
    if (!moved) break;
  }
  return sizes;
}
