/**
 * Inference speed of the benchmark MLP exported to ONNX: onnxruntime batched throughput and single-row latency,
 * with tf.js on the same model and rows for comparison.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs';
import { exportOnnx } from '../../src-main/core/onnx/index.js';
import { BATCH_SESSION_OPTIONS, SESSION_OPTIONS } from '../../src-main/core/onnx/runner.js';
import { buildModel, extractWeights, selectBackend } from '../../src-main/core/training/index.js';
import type { TrainedModel } from '../../src-main/core/training/types.js';
import { BENCH_FEATURES, benchmarkPreprocessor, benchmarkSpec } from './benchmark-task.js';
import { seededRandom } from '../../src-main/core/data/random.js';
import { gaussian, percentile, type BenchResult } from './stats.js';
import { runPeers, withPeer } from './peers.js';

const PEER_ROUNDS = 3;

function feedsFor(columns: Float32Array[], rows: number): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  columns.forEach((values, i) => {
    feeds[`f${i}`] = new ort.Tensor('float32', values.subarray(0, rows), [rows, 1]);
  });
  return feeds;
}

function latencies(samples: number, run: () => void | Promise<void>): Promise<number[]> {
  return (async () => {
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const start = process.hrtime.bigint();
      await run();
      times.push(Number(process.hrtime.bigint() - start) / 1000);
    }
    return times.sort((a, b) => a - b);
  })();
}

export async function benchOnnx(rows = 10_000): Promise<BenchResult[]> {
  const { backend } = await selectBackend('auto');
  const tfModel = buildModel(benchmarkSpec, [BENCH_FEATURES], 3);
  const preprocessor = benchmarkPreprocessor();
  const trained: TrainedModel = {
    spec: benchmarkSpec,
    preprocessor,
    weights: extractWeights(tfModel),
  };
  const bytes = exportOnnx(trained, { layerlabVersion: 'bench' });
  // The runner's own session options, so the figure is what `layerlab predict` and the app get.
  const session = await ort.InferenceSession.create(bytes, SESSION_OPTIONS);
  const batchSession = await ort.InferenceSession.create(bytes, BATCH_SESSION_OPTIONS);

  const normal = gaussian(seededRandom(11));
  const columns = Array.from({ length: BENCH_FEATURES }, () => Float32Array.from({ length: rows }, normal));
  const rowMajor = new Float32Array(rows * BENCH_FEATURES);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < BENCH_FEATURES; c++) rowMajor[r * BENCH_FEATURES + c] = columns[c]![r]!;

  const batchFeeds = feedsFor(columns, rows);
  const singleFeeds = feedsFor(columns, 1);
  const measureOrt = async () => {
    for (let i = 0; i < 5; i++) await batchSession.run(batchFeeds);
    const batch = await latencies(30, async () => {
      await batchSession.run(batchFeeds);
    });
    for (let i = 0; i < 200; i++) await session.run(singleFeeds);
    const single = await latencies(3000, async () => {
      await session.run(singleFeeds);
    });
    return { batch, single };
  };
  const { batch: batchTimes, single: singleTimes } = await measureOrt();
  const peerResults = await againstPythonOrt(bytes, rows, measureOrt);

  const batchInput = tf.tensor2d(rowMajor, [rows, BENCH_FEATURES]);
  const singleInput = tf.tensor2d(rowMajor.subarray(0, BENCH_FEATURES), [1, BENCH_FEATURES]);
  const tfPredict = (input: tf.Tensor) => {
    const out = tfModel.predict(input) as tf.Tensor;
    out.dataSync();
    out.dispose();
  };
  for (let i = 0; i < 3; i++) tfPredict(batchInput);
  const tfBatchTimes = await latencies(10, () => tfPredict(batchInput));
  for (let i = 0; i < 50; i++) tfPredict(singleInput);
  const tfSingleTimes = await latencies(300, () => tfPredict(singleInput));
  batchInput.dispose();
  singleInput.dispose();
  tfModel.dispose();
  await session.release();
  await batchSession.release();

  const median = (sorted: number[]) => percentile(sorted, 50);
  return [
    {
      name: `onnxruntime batched throughput (${rows.toLocaleString('en')} rows, benchmark MLP, raw-column inputs)`,
      value: Math.round(rows / (median(batchTimes) / 1e6)),
      unit: 'rows/s',
      target: { op: '>=', value: 1_000_000 },
      detail: { medianBatchMicroseconds: Math.round(median(batchTimes)) },
    },
    {
      name: 'onnxruntime single-row latency p50',
      value: +median(singleTimes).toFixed(1),
      unit: 'µs',
      target: { op: '<=', value: 100 },
    },
    { name: 'onnxruntime single-row latency p99', value: +percentile(singleTimes, 99).toFixed(1), unit: 'µs' },
    {
      name: `tf.js (${backend}) batched throughput, same model and rows`,
      value: Math.round(rows / (median(tfBatchTimes) / 1e6)),
      unit: 'rows/s',
    },
    { name: `tf.js (${backend}) single-row latency p50`, value: +median(tfSingleTimes).toFixed(1), unit: 'µs' },
    { name: `tf.js (${backend}) single-row latency p99`, value: +percentile(tfSingleTimes, 99).toFixed(1), unit: 'µs' },
    ...peerResults,
  ];
}

/**
 * The same file in Python onnxruntime (1 thread), rounds alternating with onnxruntime-node; nothing when
 * the peers are not set up. Target: within 1.25x, i.e. a ratio of at least 0.8.
 */
async function againstPythonOrt(
  bytes: Uint8Array,
  rows: number,
  measureOrt: () => Promise<{ batch: number[]; single: number[] }>,
): Promise<BenchResult[]> {
  const dir = path.join(os.tmpdir(), 'layerlab-bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'bench-mlp.onnx');
  writeFileSync(file, bytes);
  const ours = { single: [] as number[], batch: [] as number[] };
  const peer = { single: [] as number[], batch: [] as number[] };
  for (let round = 0; round < PEER_ROUNDS; round++) {
    const records = runPeers('ort', file);
    if (!records) return [];
    const mine = await measureOrt();
    ours.single.push(percentile(mine.single, 50));
    ours.batch.push(rows / (percentile(mine.batch, 50) / 1e6));
    peer.single.push(Number(records[0]!.single_row_us_p50));
    peer.batch.push(Number(records[0]!.batch_rows_per_s));
    process.stderr.write(
      `  round ${round + 1}: onnxruntime-node ${ours.single.at(-1)!.toFixed(1)} µs, ${Math.round(ours.batch.at(-1)!)} rows/s; Python ${peer.single.at(-1)} µs, ${peer.batch.at(-1)} rows/s\n`,
    );
  }
  const mid = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
  const single = withPeer(
    {
      name: 'onnxruntime-node single-row p50 vs Python onnxruntime (same file)',
      value: +mid(ours.single).toFixed(1),
      unit: 'µs',
    },
    'Python onnxruntime (1 thread)',
    peer.single,
    ours.single,
    false,
  );
  const batch = withPeer(
    {
      name: `onnxruntime-node batched (${rows.toLocaleString('en')} rows) vs Python onnxruntime`,
      value: Math.round(mid(ours.batch)),
      unit: 'rows/s',
    },
    'Python onnxruntime (1 thread)',
    peer.batch,
    ours.batch,
    true,
  );
  single.peer!.target = 0.8;
  batch.peer!.target = 0.8;
  return [single, batch];
}
