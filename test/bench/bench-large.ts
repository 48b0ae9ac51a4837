/**
 * The large-file run: `layerlab train` on a seeded 7,500,000-row numeric CSV of about 300 MB, with output
 * piped (not a terminal), as a CI job or a script would run it. Measures the seconds to the end of the first
 * epoch and the process's peak resident memory (the CLI reads, prepares and trains in one process), and
 * counts the plain progress lines printed while reading and training.
 */
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMALL_REGRESSION_SPEC, seededBenchCsv } from './bench-files.js';
import type { BenchResult } from './stats.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const launcher = path.join(here, '../../src-main/cli/launcher.mjs');

/** Peak resident set of a live process so far (Linux), in bytes; 0 once it is gone. */
function peakRss(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

interface RunOutcome {
  firstEpochSeconds: number;
  trainingStartSeconds: number;
  peakBytes: number;
  readLines: number;
  batchLines: number;
  exitCode: number | null;
  tail: string;
}

function trainOnce(file: string, specFile: string): Promise<RunOutcome> {
  const args = [launcher, 'train', '--data', file, '--target', 'y', '--model', specFile];
  args.push('--epochs', '1', '--batch-size', '2048');
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const began = performance.now();
  let stderr = '';
  let peakBytes = 0;
  let firstEpochSeconds = NaN;
  let trainingStartSeconds = NaN;
  const poll = setInterval(() => {
    peakBytes = Math.max(peakBytes, peakRss(child.pid!));
  }, 250);
  child.stdout.resume();
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderr += text;
    peakBytes = Math.max(peakBytes, peakRss(child.pid!));
    const seconds = (performance.now() - began) / 1000;
    if (Number.isNaN(trainingStartSeconds) && stderr.includes('Training on ')) trainingStartSeconds = seconds;
    if (Number.isNaN(firstEpochSeconds) && /^epoch 1\/1 /m.test(stderr)) firstEpochSeconds = seconds;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (exitCode) => {
      clearInterval(poll);
      const lines = stderr.split('\n');
      resolve({
        firstEpochSeconds,
        trainingStartSeconds,
        peakBytes,
        readLines: lines.filter((line) => line.startsWith('Reading ')).length,
        batchLines: lines.filter((line) => /^epoch 1\/1: batch/.test(line)).length,
        exitCode,
        tail: lines.slice(-6).join('\n'),
      });
    });
  });
}

export async function benchLarge(rows = 7_500_000, columns = 5): Promise<BenchResult[]> {
  const file = await seededBenchCsv('large', rows, columns, 20261203);
  const specFile = path.join(path.dirname(file), 'large-spec.json');
  writeFileSync(specFile, JSON.stringify(SMALL_REGRESSION_SPEC));
  const megabytes = statSync(file).size / 1e6;
  const run = await trainOnce(file, specFile);
  if (run.exitCode !== 0 || Number.isNaN(run.firstEpochSeconds)) {
    throw new Error(`layerlab train on the large file failed (exit ${run.exitCode}):\n${run.tail}`);
  }
  const label = `${rows.toLocaleString('en')} rows, ${megabytes.toFixed(0)} MB, output piped`;
  return [
    {
      name: `Large CSV: seconds to the end of the first epoch (${label})`,
      value: +run.firstEpochSeconds.toFixed(1),
      unit: 's',
      detail: {
        trainingStartSeconds: +run.trainingStartSeconds.toFixed(1),
        readProgressLines: run.readLines,
        batchProgressLines: run.batchLines,
      },
    },
    {
      name: 'Large CSV: peak resident memory of the layerlab process',
      value: Math.round(run.peakBytes / 1e6),
      unit: 'MB',
      target: { op: '<=', value: 2000 },
    },
  ];
}
