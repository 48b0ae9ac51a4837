/**
 * `layerlab predict` on 100,000 raw rows to a predictions CSV, against pandas + Python onnxruntime doing the same
 * (predict_peer.py: read the CSV, feed each input its column, run, write inputs and predictions). Both are timed
 * the same way: wall-clock seconds of the whole command, from process start to exit (so each side's start-up and
 * imports count), on the same model file and CSV, one onnxruntime thread each, rounds alternating.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportOnnx } from '../../src-main/core/onnx/index.js';
import type { TrainedModel } from '../../src-main/core/training/types.js';
import { seededBenchCsv } from './bench-files.js';
import { median, peerPython, peersDataFolder, withPeer } from './peers.js';
import type { BenchResult } from './stats.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const launcher = path.join(here, '../../src-main/cli/launcher.mjs');
const peerScript = path.join(here, 'predict_peer.py');
const ROUNDS = 3;
const ROWS = 100_000;

/**
 * The peers' 100,000-row binary file (columns f0..f31, label) when set up; otherwise a seeded numeric file of the
 * same size, with the model's columns renamed to match it.
 */
async function dataAndModel(trained: TrainedModel): Promise<{ csv: string; model: TrainedModel }> {
  const folder = peersDataFolder();
  const peersCsv = folder ? path.join(folder, 'mlp_binary_100k.csv') : '';
  if (peersCsv && existsSync(peersCsv)) return { csv: peersCsv, model: trained };
  const csv = await seededBenchCsv('predict', ROWS, trained.preprocessor.features.length + 1, 5);
  const features = trained.preprocessor.features.map((f, i) => ({ ...f, name: `x${i + 1}` }));
  return { csv, model: { ...trained, preprocessor: { ...trained.preprocessor, features } } };
}

function timedSeconds(command: string, args: string[]): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(command, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' },
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0)
    throw new Error(`${path.basename(command)} ${args.join(' ')} failed: ${run.stderr.slice(-500)}`);
  return seconds;
}

export async function benchPredict(trained: TrainedModel): Promise<BenchResult[]> {
  const { csv, model } = await dataAndModel(trained);
  const dir = path.join(os.tmpdir(), 'layerlab-bench');
  mkdirSync(dir, { recursive: true });
  const modelFile = path.join(dir, 'bench-predict.onnx');
  writeFileSync(modelFile, exportOnnx(model, { layerlabVersion: 'bench' }));
  const ours: number[] = [];
  const peer: number[] = [];
  const python = peerPython(['numpy', 'pandas', 'onnxruntime']);
  for (let round = 0; round < ROUNDS; round++) {
    if (python) peer.push(timedSeconds(python, [peerScript, modelFile, csv, path.join(dir, 'predict-peer-out.csv')]));
    ours.push(
      timedSeconds(process.execPath, [
        launcher,
        'predict',
        '--model',
        modelFile,
        '--data',
        csv,
        '--out',
        path.join(dir, 'predict-out.csv'),
      ]),
    );
    process.stderr.write(
      `  predict round ${round + 1}: layerlab ${ours.at(-1)!.toFixed(2)} s${python ? `; pandas + onnxruntime ${peer.at(-1)!.toFixed(2)} s` : ''}\n`,
    );
  }
  const result: BenchResult = {
    name: `layerlab predict, ${ROWS.toLocaleString('en')} raw rows to a predictions CSV (${path.basename(csv)}), whole command`,
    value: +median(ours).toFixed(2),
    unit: 's',
  };
  if (!python) return [result];
  const compared = withPeer(result, 'pandas + Python onnxruntime (1 thread)', peer, ours, false);
  compared.peer!.target = 1;
  return [compared];
}
