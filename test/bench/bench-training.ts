/**
 * Training throughput on the benchmark MLP (Dense 64 relu, Dense 64 relu, Dense 1 sigmoid; Adam 1e-3; batch
 * 256), per backend that loads here, and on the digits network (Reshape 8x8x1, Conv2D 16 3x3 relu,
 * MaxPooling2D, Flatten, Dense 10 softmax; Adam 1e-3; batch 32). When the peers are set up, LayerLab trains
 * on their very file and rounds of LayerLab-then-PyTorch-and-Keras alternate, so load on the shared machine
 * hits both alike; the ratio of each round is reported with its raw numbers.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelSpec } from '../../src-main/core/model/spec.js';
import { defaultDataSettings, prepareData, readCsv } from '../../src-main/core/data/index.js';
import type { PreparedData } from '../../src-main/core/data/types.js';
import { train } from '../../src-main/core/training/index.js';
import type { BackendName, TrainingEvent, TrainingSettings } from '../../src-main/core/training/types.js';
import { benchmarkData, benchmarkSpec } from './benchmark-task.js';
import { benchNormStep } from './bench-norm-step.js';
import { peersDataFolder, runPeers, withPeer } from './peers.js';
import type { BenchResult } from './stats.js';

const ROUNDS = 3;

const settings = (backend: BackendName, epochs: number, batchSize = 256): TrainingSettings => ({
  optimizer: { name: 'adam', learningRate: 0.001 },
  loss: 'auto',
  epochs,
  batchSize,
  shuffle: true,
  seed: 1,
  classWeights: 'none',
  earlyStopping: { enabled: false, monitor: 'valLoss', patience: 5, minDelta: 0, restoreBestWeights: false },
  reduceLrOnPlateau: { enabled: false, monitor: 'valLoss', factor: 0.5, patience: 3, minLearningRate: 0 },
  backend,
});

/** A network and batch size to time, with the peers' name for the same work. */
interface Work {
  spec: ModelSpec;
  batchSize: number;
  peerArgs: string[];
}

const MLP: Work = { spec: benchmarkSpec, batchSize: 256, peerArgs: ['mlp'] };

const DIGITS_FILE = fileURLToPath(new URL('../fixtures/digits.csv', import.meta.url));

/** The peers' digits network: a flat row of 64 pixels reshaped to an 8x8 image. */
const DIGITS: Work = {
  spec: {
    version: 1,
    layers: [
      { className: 'Reshape', config: { targetShape: [8, 8, 1] } },
      { className: 'Conv2D', config: { filters: 16, kernelSize: 3, activation: 'relu' } },
      { className: 'MaxPooling2D', config: { poolSize: 2 } },
      { className: 'Flatten', config: {} },
      { className: 'Dense', config: { units: 10, activation: 'softmax' } },
    ],
  },
  batchSize: 32,
  peerArgs: ['conv', DIGITS_FILE, 'digit'],
};

interface Measured {
  samplesPerSecond: number;
  note: string;
  perEpoch: number[];
}

/** Steady-state samples/s of one short run (the first epoch, with warm-up, is left out). */
async function measure(
  data: PreparedData,
  backend: BackendName,
  epochs: number,
  work: Work = MLP,
): Promise<Measured | null> {
  const perEpoch: number[] = [];
  let used: string | undefined;
  let note = '';
  try {
    await train(work.spec, data, settings(backend, epochs, work.batchSize), {
      onEvent: (event: TrainingEvent) => {
        if (event.type === 'started') {
          used = event.backend;
          note = event.backendNote;
        }
        if (event.type === 'epoch') perEpoch.push(event.samplesPerSecond);
      },
    });
  } catch (error) {
    process.stderr.write(`  ${backend}: not available (${(error as Error).message.split('\n')[0]})\n`);
    return null;
  }
  if (used !== backend) {
    process.stderr.write(`  ${backend}: not available (ran on ${used}: ${note})\n`);
    return null;
  }
  const steady = perEpoch.length > 1 ? perEpoch.slice(1) : perEpoch;
  return { samplesPerSecond: steady.reduce((a, b) => a + b, 0) / steady.length, note, perEpoch };
}

/** The peers' CSV through LayerLab's own data engine when present, else the seeded synthetic task. */
async function benchData(): Promise<{ data: PreparedData; source: string }> {
  const folder = peersDataFolder();
  if (!folder) return { data: benchmarkData(), source: 'seeded 100,000 x 32' };
  const file = path.join(folder, 'mlp_binary_100k.csv');
  const dataset = await readCsv(file);
  const dataSettings = defaultDataSettings(dataset, 'label');
  const data = prepareData(dataset, {
    ...dataSettings,
    split: { ...dataSettings.split, train: 0.8, validation: 0.2, test: 0 },
  });
  return { data, source: `mlp_binary_100k.csv, ${data.train.count.toLocaleString('en')} training rows` };
}

export async function benchTraining(backends: BackendName[], epochs = 3): Promise<BenchResult[]> {
  const { data, source } = await benchData();
  const results: BenchResult[] = [];
  const describe = (backend: string) => `training samples/s (${backend}, ${source}, MLP 32-64-64-1, Adam, batch 256)`;
  for (const backend of backends) {
    const run = await measure(data, backend, epochs);
    if (!run) continue;
    results.push({
      name: describe(backend),
      value: Math.round(run.samplesPerSecond),
      unit: 'samples/s',
      detail: { backend, note: run.note, perEpoch: run.perEpoch.map(Math.round) },
    });
  }
  const best = results.reduce<BenchResult | null>((a, b) => (a && a.value >= b.value ? a : b), null);
  if (!best) return results;
  const backend = best.detail!.backend as BackendName;
  results.push({
    ...best,
    name: `training samples/s, best backend here (${backend})`,
    target: { op: '>=', value: 45_000 },
  });
  results.push(await epochOverhead(backend));
  results.push(...(await againstPeers(data, backend, epochs, describe(backend))));
  results.push(...(await digitsConv(backend)));
  results.push(...(await benchNormStep(backend)));
  return results;
}

/** The digits network: LayerLab's figure, and beside it the peers' from the same rounds when they are set up. */
async function digitsConv(backend: BackendName): Promise<BenchResult[]> {
  const dataset = await readCsv(DIGITS_FILE);
  const dataSettings = defaultDataSettings(dataset, 'digit');
  const data = prepareData(dataset, {
    ...dataSettings,
    split: { ...dataSettings.split, train: 0.8, validation: 0.2, test: 0 },
  });
  const name = `training samples/s (${backend}, digits.csv, ${data.train.count.toLocaleString('en')} training rows, Reshape 8x8x1, Conv2D 16 3x3, MaxPooling2D, Dense 10, Adam, batch 32)`;
  const compared = await againstPeers(data, backend, 6, name, DIGITS);
  if (compared.length) return compared;
  const run = await measure(data, backend, 6, DIGITS);
  return run ? [{ name, value: Math.round(run.samplesPerSecond), unit: 'samples/s', detail: { note: run.note } }] : [];
}

/**
 * Small data, many epochs: the share of the run spent outside the batches (validation metrics, events,
 * weight copies, early-stopping bookkeeping). The second of two runs is reported, so backend start-up is
 * not counted.
 */
async function epochOverhead(backend: BackendName): Promise<BenchResult> {
  const data = benchmarkData(320, 80);
  const run = async () => {
    let batchSeconds = 0;
    const started = performance.now();
    await train(
      benchmarkSpec,
      data,
      { ...settings(backend, 100), batchSize: 32 },
      {
        onEvent: (event) => {
          if (event.type === 'epoch') batchSeconds += data.train.count / event.samplesPerSecond;
        },
      },
    );
    const total = (performance.now() - started) / 1000;
    return { share: (1 - batchSeconds / total) * 100, total };
  };
  await run();
  const { share, total } = await run();
  return {
    name: `time outside the batches (${backend}, 320 rows, 100 epochs, batch 32, ${total.toFixed(2)} s run)`,
    value: +share.toFixed(1),
    unit: '%',
    target: { op: '<=', value: 20 },
  };
}

/** Alternating rounds of LayerLab and the peers on the same work; nothing when the peers are not set up. */
async function againstPeers(
  data: PreparedData,
  backend: BackendName,
  epochs: number,
  name: string,
  work: Work = MLP,
): Promise<BenchResult[]> {
  const ours: number[] = [];
  const peers: Record<string, number[]> = {};
  const targets: Record<string, number> = work === MLP ? { torch: 0.5, keras: 1 } : { keras: 1 };
  for (let round = 0; round < ROUNDS; round++) {
    const run = await measure(data, backend, epochs, work);
    const records = runPeers(...work.peerArgs);
    if (!run || !records) return [];
    ours.push(run.samplesPerSecond);
    for (const record of records) {
      const framework = String(record.framework);
      (peers[framework] ??= []).push(Number(record.samples_per_s));
    }
    process.stderr.write(
      `  round ${round + 1}: LayerLab ${Math.round(run.samplesPerSecond)}, ${records.map((r) => `${String(r.framework)} ${Math.round(Number(r.samples_per_s))}`).join(', ')}\n`,
    );
  }
  const label: Record<string, string> = { torch: 'PyTorch (1 thread)', keras: 'Keras (1 thread)' };
  return Object.entries(peers).map(([framework, values]) => {
    const median = [...ours].sort((a, b) => a - b)[ours.length >> 1]!;
    const result = withPeer(
      { name: `${name} vs ${label[framework] ?? framework}`, value: Math.round(median), unit: 'samples/s' },
      label[framework] ?? framework,
      values,
      ours,
      true,
    );
    result.peer!.target = targets[framework];
    return result;
  });
}
