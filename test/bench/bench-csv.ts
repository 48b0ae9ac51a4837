/**
 * CSV reading speed and peak memory on a 1,000,000 x 20 numeric file: the peers' csv_numeric_1m.csv when the
 * peers are set up, so pandas reads the very same bytes in interleaved rounds; else a seeded file alone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeNumericCsv } from '../fixtures/generate-csv.js';
import { median, peersDataFolder, runPeers, withPeer } from './peers.js';
import type { BenchResult } from './stats.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROUNDS = 3;
const PEER_FILE = 'csv_numeric_1m.csv';

interface ChildRun {
  seconds: number;
  bytes: number;
  rows: number;
  columns: number;
  maxRssBytes: number;
}

async function seededFile(rows: number, columns: number): Promise<string> {
  const dir = path.join(os.tmpdir(), 'layerlab-bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `numeric-${rows}x${columns}.csv`);
  if (!existsSync(file)) await writeNumericCsv(file, rows, columns, 20261122);
  return file;
}

/** One read in a fresh process, so its peak memory is the reader's alone. */
function readInChild(file: string): ChildRun {
  const output = execFileSync(process.execPath, ['--import', 'tsx', path.join(here, 'csv-child.ts'), file], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(output) as ChildRun;
}

/** pandas' MB/s on the same file, or null when the peers are not set up. */
function pandasMegabytesPerSecond(): number | null {
  const record = runPeers('csv')?.[0] as { results?: Array<{ mb_per_s?: number }> } | undefined;
  const value = record?.results?.[0]?.mb_per_s;
  return typeof value === 'number' ? value : null;
}

export async function benchCsv(rows = 1_000_000, columns = 20): Promise<BenchResult[]> {
  const peerFolder = peersDataFolder();
  const peerFile = peerFolder ? path.join(peerFolder, PEER_FILE) : null;
  const file = peerFile && existsSync(peerFile) ? peerFile : await seededFile(rows, columns);
  const megabytes = statSync(file).size / 1e6;
  const ours: number[] = [];
  const theirs: number[] = [];
  const runs: ChildRun[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const run = readInChild(file);
    runs.push(run);
    ours.push(megabytes / run.seconds);
    if (file === peerFile) {
      const pandas = pandasMegabytesPerSecond();
      if (pandas !== null) theirs.push(pandas);
    }
    process.stderr.write(
      `csv round ${round + 1}: LayerLab ${ours.at(-1)!.toFixed(1)} MB/s${theirs.length > round ? `, pandas ${theirs[round]!.toFixed(1)} MB/s` : ''}\n`,
    );
  }
  const first = runs[0]!;
  let speed: BenchResult = {
    name: `CSV read speed (${first.rows.toLocaleString('en')} x ${first.columns} numeric, ${megabytes.toFixed(0)} MB${file === peerFile ? `, the peers' ${PEER_FILE}` : ''})`,
    value: +median(ours).toFixed(1),
    unit: 'MB/s',
    detail: { seconds: runs.map((r) => +r.seconds.toFixed(3)), rows: first.rows, file },
  };
  // Next to pandas the goal is its speed on the same bytes; alone, the absolute figure from the issue.
  if (theirs.length === ROUNDS) {
    speed = withPeer(speed, 'pandas', theirs, ours, true);
    speed.peer!.target = 1;
  } else {
    speed.target = { op: '>=', value: 50 };
  }
  return [
    speed,
    {
      name: 'CSV read peak RSS (same file, whole process)',
      value: Math.round(Math.max(...runs.map((r) => r.maxRssBytes)) / 1e6),
      unit: 'MB',
      target: { op: '<=', value: 1000 },
    },
  ];
}
