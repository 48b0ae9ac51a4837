/** CSV reading speed and peak memory on a seeded 1,000,000 x 20 numeric file. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeNumericCsv } from '../fixtures/generate-csv.js';
import type { BenchResult } from './stats.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function benchCsv(rows = 1_000_000, columns = 20): Promise<BenchResult[]> {
  const dir = path.join(os.tmpdir(), 'layerlab-bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `numeric-${rows}x${columns}.csv`);
  if (!existsSync(file)) await writeNumericCsv(file, rows, columns, 20261122);
  const output = execFileSync(process.execPath, ['--import', 'tsx', path.join(here, 'csv-child.ts'), file], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const run = JSON.parse(output) as { seconds: number; bytes: number; rows: number; maxRssBytes: number };
  const megabytes = statSync(file).size / 1e6;
  return [
    {
      name: `CSV read speed (${rows.toLocaleString('en')} x ${columns} numeric, ${megabytes.toFixed(0)} MB)`,
      value: +(megabytes / run.seconds).toFixed(1),
      unit: 'MB/s',
      target: { op: '>=', value: 50 },
      detail: { seconds: +run.seconds.toFixed(3), rows: run.rows },
    },
    {
      name: 'CSV read peak RSS (same file, whole process)',
      value: Math.round(run.maxRssBytes / 1e6),
      unit: 'MB',
      target: { op: '<=', value: 1000 },
    },
  ];
}
