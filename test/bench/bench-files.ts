/** What the start-up and large-file benchmarks share: the small network they train and their seeded CSV files. */
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ModelSpec } from '../../src-main/core/model/spec.js';
import { writeNumericCsv } from '../fixtures/generate-csv.js';

/** Small on purpose: these benchmarks time reading and preparing the data, not the arithmetic. */
export const SMALL_REGRESSION_SPEC: ModelSpec = {
  version: 1,
  layers: [
    { className: 'Dense', config: { units: 16, activation: 'relu' } },
    { className: 'Dense', config: { units: 1, activation: 'linear' } },
  ],
};

/** The file is shared between runs; it is written under another name first so a half-written one is never read. */
export async function seededBenchCsv(name: string, rows: number, columns: number, seed: number): Promise<string> {
  const dir = path.join(os.tmpdir(), 'layerlab-bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${rows}x${columns}.csv`);
  if (!existsSync(file)) {
    const partial = `${file}.${process.pid}.partial`;
    await writeNumericCsv(partial, rows, columns, seed);
    renameSync(partial, file);
  }
  return file;
}
