/**
 * The fast Dense step against tf.js' autodiff step on an MLP with BatchNormalization (32 inputs, Dense 64
 * without bias, BatchNormalization, relu, twice, then Dense 1 sigmoid; Adam 1e-3; batch 256). Both steps
 * train their own copy of one model on the same batches; rounds alternate fast-then-autodiff so load on the
 * shared machine hits both alike, and the ratio of each round is reported with its raw numbers.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../../src-main/core/model/spec.js';
import { buildModel, createPrng, selectBackend } from '../../src-main/core/training/index.js';
import {
  AutodiffStep,
  chooseTrainStep,
  type StepChoice,
  type TrainStep,
} from '../../src-main/core/training/train-step.js';
import type { BackendName } from '../../src-main/core/training/types.js';
import { BENCH_FEATURES, benchmarkData } from './benchmark-task.js';
import { withPeer } from './peers.js';
import type { BenchResult } from './stats.js';

const ROUNDS = 5;
const BATCH = 256;
const ROWS = 20_000;

const normalizedBlock = [
  { className: 'Dense', config: { units: 64, activation: 'linear', useBias: false } },
  { className: 'BatchNormalization', config: {} },
  { className: 'Activation', config: { activation: 'relu' } },
] as const;

const spec = {
  version: 1,
  layers: [...normalizedBlock, ...normalizedBlock, { className: 'Dense', config: { units: 1, activation: 'sigmoid' } }],
} as ModelSpec;

/** Samples per second of one pass over the rows, a batch at a time. */
function pass(step: TrainStep, x: Float32Array, y: Float32Array): number {
  const started = performance.now();
  for (let start = 0; start + BATCH <= ROWS; start += BATCH) {
    step.step({
      x: x.subarray(start * BENCH_FEATURES, (start + BATCH) * BENCH_FEATURES),
      targets: y.subarray(start, start + BATCH),
      weights: null,
      rows: BATCH,
    });
  }
  return (Math.floor(ROWS / BATCH) * BATCH) / ((performance.now() - started) / 1000);
}

export async function benchNormStep(backend: BackendName): Promise<BenchResult[]> {
  await selectBackend(backend);
  const { x, y } = benchmarkData(ROWS, 0).train;
  const choice = (model: tf.Sequential): StepChoice => ({
    spec,
    model,
    inputShape: [BENCH_FEATURES],
    loss: 'binaryCrossentropy',
    optimizer: { name: 'adam', learningRate: 0.001 },
    dropoutPrng: createPrng(1),
  });
  const fastModel = buildModel(spec, [BENCH_FEATURES], 1);
  const slowModel = buildModel(spec, [BENCH_FEATURES], 1);
  const fast = chooseTrainStep(choice(fastModel));
  const slow = new AutodiffStep(choice(slowModel));
  try {
    if (!fast.description.startsWith('fast Dense')) throw new Error(`the MLP trained on: ${fast.description}`);
    const fastRates: number[] = [];
    const slowRates: number[] = [];
    pass(fast, x, y); // warm-up: kernels compiled, buffers sized
    pass(slow, x, y);
    for (let round = 0; round < ROUNDS; round++) {
      fastRates.push(pass(fast, x, y));
      slowRates.push(pass(slow, x, y));
      process.stderr.write(
        `  round ${round + 1}: fast step ${Math.round(fastRates[round]!)}, autodiff ${Math.round(slowRates[round]!)}\n`,
      );
    }
    const median = [...fastRates].sort((a, b) => a - b)[ROUNDS >> 1]!;
    const name = `training step samples/s (${backend}, MLP 32-64-BN-64-BN-1, Adam, batch 256): fast step vs autodiff`;
    return [
      withPeer(
        { name, value: Math.round(median), unit: 'samples/s' },
        'tf.js autodiff step',
        slowRates,
        fastRates,
        true,
      ),
    ];
  } finally {
    fast.dispose();
    slow.dispose();
    fastModel.dispose();
    slowModel.dispose();
  }
}
