/**
 * Inference speed of the benchmark MLP exported to ONNX, each figure next to Python onnxruntime's on the same
 * file from the same run (when the peers are set up):
 *  - single-row latency and 10,000-row throughput, onnxruntime-node against Python onnxruntime;
 *  - the raw-column prologue's price: the exported file against the same network with one pre-encoded input;
 *  - `layerlab predict` on 100,000 raw rows against pandas + Python onnxruntime (bench-predict.ts);
 *  - the product's own settings (the runner's batch session, records in) and tf.js on the same model.
 *
 * How each side is timed, so the ratios compare like with like: the same file, the same thread settings (one
 * intra-op and one inter-op thread, full graph optimization, as the peer sets them), inputs built once before
 * the clock starts (float32 [rows, 1] per column, normal random values), then one run call per sample timed
 * around the call alone: LayerLab's `model.runFeeds(feeds)` (the runner as the product opens it; the call
 * includes packing the columns of a single row, packed-inputs.ts) with process.hrtime, Python's
 * `session.run(None, feeds)` with perf_counter_ns. Both give every output, but not the same way: the runner
 * fetches `probabilities` from onnxruntime and works out `label` from them (label-rule.ts), while the peer fetches
 * both. So each of the two headline figures is printed twice, against the peer fetching every output and against
 * it fetching `probabilities` only (ort_fetch_peer.py: same file, settings and inputs). onnxruntime-node alone on
 * the unpacked graph, every output fetched, is printed too. Single row: 200 warm-up calls, median of 2,000.
 * Batch: 3 warm-up calls, median of 20. Rounds alternate with the peers so that noise hits both sides.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs';
import { exportOnnx, openOnnxModel } from '../../src-main/core/onnx/index.js';
import { createRunSession } from '../../src-main/core/onnx/native-session.js';
import type { RunSession } from '../../src-main/core/onnx/native-session.js';
import { SESSION_OPTIONS } from '../../src-main/core/onnx/runner.js';
import { buildModel, extractWeights, selectBackend } from '../../src-main/core/training/index.js';
import type { TrainedModel } from '../../src-main/core/training/types.js';
import { BENCH_FEATURES, benchmarkPreprocessor, benchmarkSpec } from './benchmark-task.js';
import { seededRandom } from '../../src-main/core/data/random.js';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchPredict } from './bench-predict.js';
import { networkOnnx } from './onnx-variants.js';
import { gaussian, percentile, type BenchResult } from './stats.js';
import { median, peerPython, runPeers, withPeer } from './peers.js';

const ROUNDS = 3;
const SINGLE = { warm: 200, samples: 2000 };
const BATCH = { warm: 3, samples: 20 };
const PEER = 'Python onnxruntime (1 thread, every output fetched)';
const PEER_PROBABILITIES = 'Python onnxruntime (1 thread, probabilities only fetched)';
const fetchPeerScript = fileURLToPath(new URL('./ort_fetch_peer.py', import.meta.url));

type Feeds = Record<string, ort.Tensor>;
type Run = (feeds: Feeds) => Promise<unknown>;

function columnFeeds(columns: Float32Array[], rows: number): Feeds {
  const feeds: Feeds = {};
  columns.forEach((values, i) => {
    feeds[`f${i}`] = new ort.Tensor('float32', values.subarray(0, rows), [rows, 1]);
  });
  return feeds;
}

/** Microseconds per call, sorted. */
async function latencies(warm: number, samples: number, run: () => unknown): Promise<number[]> {
  for (let i = 0; i < warm; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  return times.sort((a, b) => a - b);
}

const singleUs = async (run: Run, feeds: Feeds) =>
  percentile(await latencies(SINGLE.warm, SINGLE.samples, () => run(feeds)), 50);
const batchRowsPerS = async (run: Run, feeds: Feeds, rows: number) =>
  rows / (percentile(await latencies(BATCH.warm, BATCH.samples, () => run(feeds)), 50) / 1e6);

function writeModel(name: string, bytes: Uint8Array): string {
  const dir = path.join(os.tmpdir(), 'layerlab-bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

type PeerFigures = { single: number; batch: number };
const peerFigures = (record: Record<string, unknown> | undefined): PeerFigures | null =>
  record ? { single: Number(record.single_row_us_p50), batch: Number(record.batch_rows_per_s) } : null;

/** One peer run on a file: its single-row µs and batch rows/s, or null without peers. */
const pythonOrt = (file: string): PeerFigures | null => peerFigures(runPeers('ort', file)?.[0]);

/** The same with `probabilities` the only output fetched, or null without a Python that has onnxruntime. */
function pythonOrtProbabilities(file: string): PeerFigures | null {
  const python = peerPython(['numpy', 'onnxruntime']);
  if (!python) return null;
  const run = spawnSync(python, [fetchPeerScript, file, '--fetch', 'probabilities'], {
    encoding: 'utf8',
    env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' },
  });
  if (run.status !== 0) throw new Error(`ort_fetch_peer.py failed: ${run.stderr.slice(-500)}`);
  return peerFigures(JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>);
}

export async function benchOnnx(rows = 10_000): Promise<BenchResult[]> {
  const { backend } = await selectBackend('auto');
  const tfModel = buildModel(benchmarkSpec, [BENCH_FEATURES], 3);
  const trained: TrainedModel = {
    spec: benchmarkSpec,
    preprocessor: benchmarkPreprocessor(),
    weights: extractWeights(tfModel),
  };
  const bytes = exportOnnx(trained, { layerlabVersion: 'bench' });
  const bareBytes = networkOnnx(trained, 'bare');
  const joinedBytes = networkOnnx(trained, 'joined');
  const files = {
    exported: writeModel('bench-mlp.onnx', bytes),
    bare: writeModel('bench-mlp-bare.onnx', bareBytes),
    joined: writeModel('bench-mlp-joined.onnx', joinedBytes),
  };

  const normal = gaussian(seededRandom(11));
  const columns = Array.from({ length: BENCH_FEATURES }, () => Float32Array.from({ length: rows }, normal));
  const rowMajor = new Float32Array(rows * BENCH_FEATURES);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < BENCH_FEATURES; c++) rowMajor[r * BENCH_FEATURES + c] = columns[c]![r]!;
  const batchFeeds = columnFeeds(columns, rows);
  const singleFeeds = columnFeeds(columns, 1);
  const bareSingle: Feeds = {
    features: new ort.Tensor('float32', rowMajor.subarray(0, BENCH_FEATURES), [1, BENCH_FEATURES]),
  };

  // LayerLab: the runner as the product opens it, pinned to the peer's one thread for large batches too.
  const layerlab = await openOnnxModel(bytes, { threads: 1 });
  // onnxruntime-node alone on the file's graph as it is (no packing), and on the two variants.
  const sessions: Record<keyof typeof files, RunSession> = {
    exported: await createRunSession(bytes, SESSION_OPTIONS),
    bare: await createRunSession(bareBytes, SESSION_OPTIONS),
    joined: await createRunSession(joinedBytes, SESSION_OPTIONS),
  };
  const figures = () => ({
    single: [] as number[],
    batch: [] as number[],
    bare: [] as number[],
    joined: [] as number[],
  });
  const ours = figures();
  const node = figures();
  const peer = figures();
  const peerProbabilities = figures();
  let peersPresent = true;
  for (let round = 0; round < ROUNDS; round++) {
    const theirs = peersPresent ? pythonOrt(files.exported) : null;
    ours.single.push(await singleUs(layerlab.runFeeds, singleFeeds));
    ours.batch.push(await batchRowsPerS(layerlab.runFeeds, batchFeeds, rows));
    const theirsProbabilities = theirs ? pythonOrtProbabilities(files.exported) : null;
    if (theirsProbabilities) {
      peerProbabilities.single.push(theirsProbabilities.single);
      peerProbabilities.batch.push(theirsProbabilities.batch);
    }
    node.single.push(await singleUs(sessions.exported.run, singleFeeds));
    node.batch.push(await batchRowsPerS(sessions.exported.run, batchFeeds, rows));
    const theirsBare = theirs ? pythonOrt(files.bare) : null;
    node.bare.push(await singleUs(sessions.bare.run, bareSingle));
    const theirsJoined = theirs ? pythonOrt(files.joined) : null;
    node.joined.push(await singleUs(sessions.joined.run, singleFeeds));
    if (theirs && theirsBare && theirsJoined) {
      peer.single.push(theirs.single);
      peer.batch.push(theirs.batch);
      peer.bare.push(theirsBare.single);
      peer.joined.push(theirsJoined.single);
    } else peersPresent = false;
    const us = (v: number | undefined) => `${v?.toFixed(1)} µs`;
    const perS = (v: number | undefined) => `${Math.round(v ?? NaN)} rows/s`;
    process.stderr.write(
      `  round ${round + 1}: LayerLab ${us(ours.single.at(-1))}, ${perS(ours.batch.at(-1))}; onnxruntime-node unpacked ${us(node.single.at(-1))}, ${perS(node.batch.at(-1))}, bare ${us(node.bare.at(-1))}, joined ${us(node.joined.at(-1))}` +
        (peersPresent
          ? `; Python ${us(peer.single.at(-1))}, ${perS(peer.batch.at(-1))} (probabilities only: ${us(peerProbabilities.single.at(-1))}, ${perS(peerProbabilities.batch.at(-1))}), bare ${us(peer.bare.at(-1))}, joined ${us(peer.joined.at(-1))}\n`
          : '\n'),
    );
  }
  for (const session of Object.values(sessions)) await session.release();
  await layerlab.close();

  // The product as shipped: the runner (its batch session keeps the default thread pool), and records in.
  const model = await openOnnxModel(bytes);
  const productSingle = await latencies(SINGLE.warm, SINGLE.samples, () => model.runFeeds(singleFeeds));
  const productBatch = await batchRowsPerS(model.runFeeds, batchFeeds, rows);
  const record = Object.fromEntries(columns.map((values, i) => [`f${i}`, values[0]!]));
  const recordSingle = await latencies(SINGLE.warm, SINGLE.samples, () => model.runRecords([record]));
  await model.close();

  const batchInput = tf.tensor2d(rowMajor, [rows, BENCH_FEATURES]);
  const singleInput = tf.tensor2d(rowMajor.subarray(0, BENCH_FEATURES), [1, BENCH_FEATURES]);
  const tfPredict = (input: tf.Tensor) => {
    const out = tfModel.predict(input) as tf.Tensor;
    out.dataSync();
    out.dispose();
  };
  const tfBatchTimes = await latencies(3, 10, () => tfPredict(batchInput));
  const tfSingleTimes = await latencies(50, 300, () => tfPredict(singleInput));
  batchInput.dispose();
  singleInput.dispose();
  tfModel.dispose();

  const fixed = (v: number) => +v.toFixed(1);
  const results: BenchResult[] = [];
  const compared = (
    result: BenchResult,
    peerName: string,
    peerValues: number[],
    ourValues: number[],
    higherIsBetter: boolean,
    target: number,
  ) => {
    if (!peersPresent || peerValues.length === 0) return result;
    const withRatio = withPeer(result, peerName, peerValues, ourValues, higherIsBetter);
    withRatio.peer!.target = target;
    return withRatio;
  };
  const label = 'label worked out from probabilities';
  const batchRows = `${rows.toLocaleString('en')} rows`;
  // Within 1.25x of Python: a ratio of at least 0.8, against the peer fetching every output and fetching what
  // LayerLab fetches.
  for (const [peerName, theirs, fetched] of [
    [PEER, peer, 'every output'],
    [PEER_PROBABILITIES, peerProbabilities, 'probabilities only'],
  ] as const) {
    if (theirs === peerProbabilities && peerProbabilities.single.length === 0) continue;
    results.push(
      compared(
        {
          name: `LayerLab single-row p50 (${label}) vs Python onnxruntime fetching ${fetched} (same file, same column tensors, 1 thread each)`,
          value: fixed(median(ours.single)),
          unit: 'µs',
        },
        peerName,
        theirs.single,
        ours.single,
        false,
        0.8,
      ),
      compared(
        {
          name: `LayerLab batched (${batchRows}, ${label}) vs Python onnxruntime fetching ${fetched} (same file, 1 thread each)`,
          value: Math.round(median(ours.batch)),
          unit: 'rows/s',
        },
        peerName,
        theirs.batch,
        ours.batch,
        true,
        0.8,
      ),
    );
  }
  // The same graph in both runtimes, nothing packed: what onnxruntime-node's binding itself costs.
  if (peersPresent) {
    results.push(
      withPeer(
        {
          name: 'onnxruntime-node alone, file graph unpacked: single-row p50',
          value: fixed(median(node.single)),
          unit: 'µs',
        },
        PEER,
        peer.single,
        node.single,
        false,
      ),
      withPeer(
        {
          name: 'onnxruntime-node alone, file graph unpacked: batched',
          value: Math.round(median(node.batch)),
          unit: 'rows/s',
        },
        PEER,
        peer.batch,
        node.batch,
        true,
      ),
    );
  }
  // The prologue at most 2x the bare network: bare / exported of at least 0.5.
  const prologue = withPeer(
    {
      name: 'LayerLab on the exported file (32 raw-column inputs, prologue) vs the same network with one pre-encoded input',
      value: fixed(median(ours.single)),
      unit: 'µs',
    },
    'bare network, onnxruntime-node',
    node.bare,
    ours.single,
    false,
  );
  prologue.peer!.target = 0.5;
  results.push(
    prologue,
    withPeer(
      {
        name: 'onnxruntime-node, 32 column inputs only joined (no prologue, unpacked) vs the bare network',
        value: fixed(median(node.joined)),
        unit: 'µs',
      },
      'bare network, onnxruntime-node',
      node.bare,
      node.joined,
      false,
    ),
  );
  if (peersPresent) {
    results.push(
      withPeer(
        { name: 'Python onnxruntime: exported file single-row p50', value: fixed(median(peer.single)), unit: 'µs' },
        'bare network, Python onnxruntime',
        peer.bare,
        peer.single,
        false,
      ),
      withPeer(
        { name: 'Python onnxruntime: 32 column inputs only joined', value: fixed(median(peer.joined)), unit: 'µs' },
        'bare network, Python onnxruntime',
        peer.bare,
        peer.joined,
        false,
      ),
    );
  }
  results.push(
    {
      name: `runner batched throughput (${rows.toLocaleString('en')} rows, its batch session, default thread pool)`,
      value: Math.round(productBatch),
      unit: 'rows/s',
      target: { op: '>=', value: 1_000_000 },
    },
    {
      name: 'runner single-row latency p50 (tensors in)',
      value: fixed(percentile(productSingle, 50)),
      unit: 'µs',
      target: { op: '<=', value: 100 },
    },
    { name: 'runner single-row latency p99 (tensors in)', value: fixed(percentile(productSingle, 99)), unit: 'µs' },
    {
      name: 'runner single-row latency p50 (one raw record in, table out)',
      value: fixed(percentile(recordSingle, 50)),
      unit: 'µs',
    },
    {
      name: `tf.js (${backend}) batched throughput, same model and rows`,
      value: Math.round(rows / (percentile(tfBatchTimes, 50) / 1e6)),
      unit: 'rows/s',
    },
    { name: `tf.js (${backend}) single-row latency p50`, value: fixed(percentile(tfSingleTimes, 50)), unit: 'µs' },
    ...(await benchPredict(trained)),
  );
  return results;
}
