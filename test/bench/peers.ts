/**
 * The peers' numbers (PyTorch, Keras, pandas, Python onnxruntime) for the same work, from the shared peers
 * scripts, so each figure can be printed next to its peer's from the same run. Absent peers (the script
 * missing, or exit code 3: its Python environment not set up) give null, and the benchmark prints
 * LayerLab's numbers alone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pythonWith } from '../python/python-env.js';
import type { BenchResult } from './stats.js';

const NOT_SET_UP = 3;

/** The peers script: LAYERLAB_PEERS_SCRIPT, else the shared folder next to the checkout or its worktree parent. */
function peersScript(): string | null {
  const candidates = [
    process.env.LAYERLAB_PEERS_SCRIPT,
    path.resolve('../shared/peers/run_peers.sh'),
    path.resolve('../../shared/peers/run_peers.sh'),
  ];
  return candidates.find((file): file is string => Boolean(file && existsSync(file))) ?? null;
}

export type PeerRecord = Record<string, unknown>;

/** Runs `run_peers.sh ARGS`; its JSON lines, or null when the peers are not available. */
export function runPeers(...args: string[]): PeerRecord[] | null {
  const script = peersScript();
  if (!script) return null;
  const run = spawnSync(script, args, { encoding: 'utf8', maxBuffer: 1 << 22, timeout: 15 * 60_000 });
  if (run.status === NOT_SET_UP || run.status !== 0) return null;
  const records = run.stdout
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as PeerRecord);
  return records.length ? records : null;
}

/**
 * The peers' own Python (beside their data folder, as run_peers.sh lays it out), so a peer this file runs
 * directly uses the same pandas and onnxruntime as the scripted peers; else any Python with `modules`.
 */
export function peerPython(modules: readonly string[]): string | null {
  const folder = peersDataFolder();
  const own = folder ? path.join(path.dirname(folder), 'venv/bin/python') : '';
  if (own && existsSync(own)) return own;
  return pythonWith(modules).python;
}

/** The folder with the peers' synthetic CSVs, when set up. */
export function peersDataFolder(): string | null {
  const script = peersScript();
  if (!script) return null;
  const run = spawnSync(script, ['data'], { encoding: 'utf8' });
  const folder = run.status === 0 ? run.stdout.trim() : '';
  return folder && existsSync(folder) ? folder : null;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Attaches a peer's figure to one of LayerLab's: `higherIsBetter` decides which way the ratio reads, so
 * a ratio above 1 always means LayerLab is ahead.
 */
export function withPeer(
  result: BenchResult,
  peer: string,
  peerValues: number[],
  ourValues: number[],
  higherIsBetter: boolean,
): BenchResult {
  const ratios = ourValues.map((ours, i) => {
    const theirs = peerValues[i] ?? peerValues[peerValues.length - 1]!;
    return higherIsBetter ? ours / theirs : theirs / ours;
  });
  return {
    ...result,
    peer: {
      name: peer,
      value: +median(peerValues).toFixed(1),
      ratio: +median(ratios).toFixed(2),
      ratios: ratios.map((r) => +r.toFixed(2)),
      raw: { layerlab: ourValues.map((v) => +v.toFixed(1)), peer: peerValues.map((v) => +v.toFixed(1)) },
    },
  };
}
