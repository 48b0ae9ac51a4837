/**
 * What the Inside tab's views cost a run: a small MLP trained on the two-moons sample with every view open
 * (layer statistics, weights, a decision boundary over x1 and x2) against the same run with them all closed.
 * Rounds alternate closed/open (ABBA), so load on the shared machine hits both alike; the figure is the median of the
 * per-round ratios of run time (target <= 1.10).
 */
import { fileURLToPath } from 'node:url';
import { defaultDataSettings, prepareData, readCsv } from '../../src-main/core/data/index.js';
import type { PreparedData } from '../../src-main/core/data/types.js';
import type { ModelSpec } from '../../src-main/core/model/spec.js';
import { createEpochObserver } from '../../src-main/core/insight/epoch-observer.js';
import { RunControl, train } from '../../src-main/core/training/index.js';
import { NO_INSIGHT, type InsightRequest } from '../../src-main/core/training/insight-types.js';
import type { BackendChoice, BackendName, TrainingSettings } from '../../src-main/core/training/types.js';
import type { BenchResult } from './stats.js';

/** Identical runs here differ by 10-40 % from one to the next, so the median needs many short rounds. */
const ROUNDS = 11;
/** Seconds one run should take: long enough that the views' per-epoch work adds up as it would in a real run. */
const RUN_SECONDS = 8;

const spec: ModelSpec = {
  version: 1,
  layers: [
    { className: 'Dense', config: { units: 16, activation: 'relu' } },
    { className: 'Dense', config: { units: 16, activation: 'relu' } },
    { className: 'Dense', config: { units: 1, activation: 'sigmoid' } },
  ],
};

const ALL_OPEN: InsightRequest = { layers: true, weights: true, boundary: { features: ['x1', 'x2'], resolution: 40 } };

const settings = (backend: BackendChoice, epochs: number): TrainingSettings => ({
  optimizer: { name: 'adam', learningRate: 0.01 },
  loss: 'auto',
  epochs,
  batchSize: 16,
  shuffle: true,
  seed: 1,
  classWeights: 'none',
  earlyStopping: { enabled: false, monitor: 'valLoss', patience: 5, minDelta: 0, restoreBestWeights: false },
  reduceLrOnPlateau: { enabled: false, monitor: 'valLoss', factor: 0.5, patience: 3, minLearningRate: 0 },
  backend,
});

/** One run's seconds, with the views asking for `request` from the first epoch on, as the window's would. */
async function timedRun(
  data: PreparedData,
  backend: BackendChoice,
  epochs: number,
  request: InsightRequest,
): Promise<{ seconds: number; backend: string; epochsWithLayers: number; epochsWithBoundary: number }> {
  const control = new RunControl();
  control.insight = request;
  const runSettings = settings(backend, epochs);
  const observer = createEpochObserver({ spec, prepared: data, settings: runSettings });
  let epochsWithLayers = 0;
  let epochsWithBoundary = 0;
  const started = performance.now();
  try {
    const result = await train(spec, data, runSettings, {
      control,
      observer,
      onEvent: (event) => {
        if (event.type === 'epoch' && event.insight?.layers) epochsWithLayers++;
        if (event.type === 'epoch' && event.insight?.boundary) epochsWithBoundary++;
      },
    });
    const seconds = (performance.now() - started) / 1000;
    return { seconds, backend: result.backend, epochsWithLayers, epochsWithBoundary };
  } finally {
    observer.dispose();
  }
}

export async function benchInsight(): Promise<BenchResult[]> {
  const file = fileURLToPath(new URL('../../resources/samples/moons.csv', import.meta.url));
  const dataset = await readCsv(file);
  const data = prepareData(dataset, defaultDataSettings(dataset, 'moon'));
  // The backend the app would pick, chosen once so no round pays for the choice.
  const backend = (await timedRun(data, 'auto', 2, NO_INSIGHT)).backend as BackendName;
  // A warm-up with the views open, so no timed round pays for kernels met the first time; then a short
  // closed run sets the epoch count for runs of about RUN_SECONDS.
  await timedRun(data, backend, 5, ALL_OPEN);
  // Long enough that the run's first, slower epochs do not set the pace for all.
  const calibrationEpochs = 200;
  const calibration = await timedRun(data, backend, calibrationEpochs, NO_INSIGHT);
  const perEpoch = Math.max(calibration.seconds, 0.01) / calibrationEpochs;
  const epochs = Math.max(50, Math.min(20_000, Math.round(RUN_SECONDS / perEpoch)));
  process.stderr.write(`  ${backend}, ${epochs} epochs of ${data.train.count} rows per run\n`);
  const closed: number[] = [];
  const open: number[] = [];
  const ratios: number[] = [];
  let withLayers = 0;
  let withBoundary = 0;
  for (let round = 0; round < ROUNDS; round++) {
    // Which goes first alternates too, so a load that rises or falls during a round favours neither.
    const closedFirst = round % 2 === 0;
    const first = await timedRun(data, backend, epochs, closedFirst ? NO_INSIGHT : ALL_OPEN);
    const second = await timedRun(data, backend, epochs, closedFirst ? ALL_OPEN : NO_INSIGHT);
    const [off, on] = closedFirst ? [first, second] : [second, first];
    closed.push(off.seconds);
    open.push(on.seconds);
    ratios.push(on.seconds / off.seconds);
    withLayers = on.epochsWithLayers;
    withBoundary = on.epochsWithBoundary;
    process.stderr.write(
      `  round ${round + 1}: closed ${off.seconds.toFixed(2)} s, open ${on.seconds.toFixed(2)} s ` +
        `(layer statistics on ${on.epochsWithLayers}, the boundary on ${on.epochsWithBoundary} of ${epochs} epochs)\n`,
    );
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return [
    {
      name: 'training with every Inside view open vs closed (two moons, MLP 16-16-1)',
      value: Number(median.toFixed(3)),
      unit: '× time',
      target: { op: '<=', value: 1.1 },
      detail: {
        backend,
        epochs,
        ratios: ratios.map((r) => Number(r.toFixed(3))),
        closedSeconds: closed.map((s) => Number(s.toFixed(2))),
        openSeconds: open.map((s) => Number(s.toFixed(2))),
        epochsWithLayerStats: withLayers,
        epochsWithBoundary: withBoundary,
        boundaryRequested: ALL_OPEN.boundary,
      },
    },
  ];
}
