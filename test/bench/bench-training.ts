/** Training throughput on the benchmark MLP, per backend that loads here. */
import { train } from '../../src-main/core/training/index.js';
import type { BackendName, TrainingEvent, TrainingSettings } from '../../src-main/core/training/types.js';
import { benchmarkData, benchmarkSpec } from './benchmark-task.js';
import type { BenchResult } from './stats.js';

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

export async function benchTraining(backends: BackendName[], epochs = 3): Promise<BenchResult[]> {
  const data = benchmarkData();
  const results: BenchResult[] = [];
  for (const backend of backends) {
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
      continue;
    }
    if (used !== backend) {
      process.stderr.write(`  ${backend}: not available (ran on ${used}: ${note})\n`);
      continue;
    }
    // The first epoch includes kernel compilation and warm-up; the steady state is what a long run sees.
    const steady = perEpoch.length > 1 ? perEpoch.slice(1) : perEpoch;
    const value = steady.reduce((a, b) => a + b, 0) / steady.length;
    results.push({
      name: `training samples/s (${backend}, 100,000 x 32 MLP, Adam, batch 256)`,
      value: Math.round(value),
      unit: 'samples/s',
      detail: { backend, note, perEpoch: perEpoch.map(Math.round) },
    });
  }
  const best = results.reduce<BenchResult | null>((a, b) => (a && a.value >= b.value ? a : b), null);
  if (best) {
    results.push({
      ...best,
      name: `training samples/s, best backend here (${String(best.detail?.backend)})`,
      target: { op: '>=', value: 45_000 },
    });
  }
  return results;
}
