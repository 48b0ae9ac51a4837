/**
 * The benchmark task from the issue: a seeded 100,000 x 32 binary problem and its MLP (Dense 64 relu,
 * Dense 64 relu, Dense 1 sigmoid). Built as PreparedData directly so the benchmark times training alone.
 */
import type { PreparedData, Preprocessor, SplitData } from '../../src-main/core/data/types.js';
import type { ModelSpec } from '../../src-main/core/model/spec.js';
import { seededRandom } from '../../src-main/core/data/random.js';
import { gaussian } from './stats.js';

export const BENCH_FEATURES = 32;

export const benchmarkSpec: ModelSpec = {
  version: 1,
  layers: [
    { className: 'Dense', config: { units: 64, activation: 'relu' } },
    { className: 'Dense', config: { units: 64, activation: 'relu' } },
    { className: 'Dense', config: { units: 1, activation: 'sigmoid' } },
  ],
};

export function benchmarkPreprocessor(): Preprocessor {
  return {
    features: Array.from({ length: BENCH_FEATURES }, (_, i) => ({
      name: `f${i}`,
      type: 'number' as const,
      fill: 0,
      dropMissing: false,
      scale: { kind: 'none' as const },
    })),
    encodedWidth: BENCH_FEATURES,
    inputShape: [BENCH_FEATURES],
    task: { kind: 'binary', target: 'label', labels: ['no', 'yes'] },
  };
}

function makeSplit(rows: number, weights: number[], random: () => number, normal: () => number): SplitData {
  const x = new Float32Array(rows * BENCH_FEATURES);
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let score = 0;
    for (let c = 0; c < BENCH_FEATURES; c++) {
      const v = normal();
      x[r * BENCH_FEATURES + c] = v;
      score += v * weights[c]!;
    }
    y[r] = score + 0.5 * normal() > 0 ? 1 : 0;
  }
  void random;
  return { x, y, rows: Int32Array.from({ length: rows }, (_, i) => i), count: rows };
}

export function benchmarkData(trainRows = 100_000, validationRows = 2_000, seed = 7): PreparedData {
  const random = seededRandom(seed);
  const normal = gaussian(random);
  const weights = Array.from({ length: BENCH_FEATURES }, () => normal());
  const preprocessor = benchmarkPreprocessor();
  return {
    preprocessor,
    train: makeSplit(trainRows, weights, random, normal),
    validation: makeSplit(validationRows, weights, random, normal),
    test: makeSplit(0, weights, random, normal),
    droppedRows: 0,
    warnings: [],
  };
}
