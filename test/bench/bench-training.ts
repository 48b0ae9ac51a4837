/**
 * Training throughput on the benchmark MLP (Dense 64 relu, Dense 64 relu, Dense 1 sigmoid; Adam 1e-3; batch
 * 256), per backend that loads here. When the peers are set up, LayerLab trains on their very file and
 * rounds of LayerLab-then-PyTorch-and-Keras alternate, so load on the shared machine hits both alike; the
 * ratio of each round is reported with its raw numbers.
 */
import path from 'node:path';
import { defaultDataSettings, prepareData, readCsv } from '../../src-main/core/data/index.js';
import type { PreparedData } from '../../src-main/core/data/types.js';
import { train } from '../../src-main/core/training/index.js';
import type { BackendName, TrainingEvent, TrainingSettings } from '../../src-main/core/training/types.js';
import { benchmarkData, benchmarkSpec } from './benchmark-task.js';
import { peersDataFolder, runPeers, withPeer } from './peers.js';
import type { BenchResult } from './stats.js';

const ROUNDS = 3;

const settings = (backend: BackendName, epochs: number): TrainingSettings => ({
  optimizer: { name: 'adam', learningRate: 0.001 },
  loss: 'auto',
  epochs,
  batchSize: 256,
  shuffle: true,
  seed: 1,
  classWeights: 'none',
  earlyStopping: { enabled: false, monitor: 'valLoss', patience: 5, minDelta: 0, restoreBestWeights: false },
  reduceLrOnPlateau: { enabled: false, monitor: 'valLoss', factor: 0.5, patience: 3, minLearningRate: 0 },
  backend,
});

interface Measured {
  samplesPerSecond: number;
  note: string;
  perEpoch: number[];
}

/** Steady-state samples/s of one short run (the first epoch, with warm-up, is left out). */
async function measure(data: PreparedData, backend: BackendName, epochs: number): Promise<Measured | null> {
  const perEpoch: number[] = [];
  let used: string | undefined;
  let note = '';
  try {
    await train(benchmarkSpec, data, settings(backend, epochs), {
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
  return results;
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
): Promise<BenchResult[]> {
  const ours: number[] = [];
  const peers: Record<string, number[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    const run = await measure(data, backend, epochs);
    const records = runPeers('mlp');
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
  const targets: Record<string, number> = { torch: 0.5, keras: 1 };
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
