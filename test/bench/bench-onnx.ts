/**
 * Inference speed of the benchmark MLP exported to ONNX: onnxruntime batched throughput and single-row latency,
 * with tf.js on the same model and rows for comparison.
 */
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs';
import { exportOnnx } from '../../src-main/core/onnx/index.js';
import { buildModel, extractWeights, selectBackend } from '../../src-main/core/training/index.js';
import type { TrainedModel } from '../../src-main/core/training/types.js';
import { BENCH_FEATURES, benchmarkPreprocessor, benchmarkSpec } from './benchmark-task.js';
import { seededRandom } from '../../src-main/core/data/random.js';
import { gaussian, percentile, type BenchResult } from './stats.js';

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
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all' });

  const normal = gaussian(seededRandom(11));
  const columns = Array.from({ length: BENCH_FEATURES }, () => Float32Array.from({ length: rows }, normal));
  const rowMajor = new Float32Array(rows * BENCH_FEATURES);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < BENCH_FEATURES; c++) rowMajor[r * BENCH_FEATURES + c] = columns[c]![r]!;

  const batchFeeds = feedsFor(columns, rows);
  for (let i = 0; i < 5; i++) await session.run(batchFeeds);
  const batchTimes = await latencies(30, async () => {
    await session.run(batchFeeds);
  });
  const singleFeeds = feedsFor(columns, 1);
  for (let i = 0; i < 200; i++) await session.run(singleFeeds);
  const singleTimes = await latencies(3000, async () => {
    await session.run(singleFeeds);
  });

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
  ];
}
