import { describe, expect, it } from 'vitest';
import type { DataSettings, RunRecord } from '../../src-main/contract/api.js';
import { defaultModelSpec } from '../../src-main/core/model/index.js';
import { defaultTrainingSettings } from '../../src-main/core/training/defaults.js';
import {
  comparisonRows,
  metricCurve,
  modelSummary,
  sameModelInputs,
  sharedEpochMetrics,
  type ComparedRun,
} from '../../src-renderer/src/lib/results/run-comparison.js';

const dataSettings: DataSettings = {
  columns: [
    { name: 'a', role: 'feature', treatAs: 'number', encoding: 'standardize', missing: 'mean' },
    { name: 'b', role: 'feature', treatAs: 'number', encoding: 'standardize', missing: 'mean' },
    { name: 'kind', role: 'target', treatAs: 'category', encoding: 'onehot', missing: 'mostFrequent' },
  ],
  split: { train: 0.7, validation: 0.15, test: 0.15, seed: 42, stratify: true },
};

const task = { kind: 'multiclass' as const, target: 'kind', labels: ['x', 'y', 'z'] };

function record(id: string, learningRate: number, accuracy: number, epochs: number): RunRecord {
  const settings = defaultTrainingSettings(task);
  settings.optimizer.learningRate = learningRate;
  return {
    id,
    startedAt: '2026-01-01T12:00:00.000Z',
    spec: defaultModelSpec({ kind: 'multiclass', classes: 3 }, [2]),
    dataSettings,
    settings,
    backend: 'cpu',
    seconds: 1,
    outcome: 'finished',
    bestEpoch: epochs,
    keptEpoch: epochs,
    history: Array.from({ length: epochs }, (_, i) => ({
      epoch: i + 1,
      metrics: { loss: 1 / (i + 1), valLoss: 1.2 / (i + 1), valAccuracy: accuracy * ((i + 1) / epochs) },
      learningRate,
      seconds: 0.01,
    })),
    finalValidation: { valLoss: 1.2 / epochs, valAccuracy: accuracy },
    weightsFile: null,
  };
}

const runs: ComparedRun[] = [
  { name: 'Run 1', record: record('r1', 0.005, 0.9, 3), finalTest: { valLoss: 0.5, valAccuracy: 0.875 } },
  { name: 'Run 2', record: record('r2', 0.05, 0.9, 4), finalTest: { valLoss: 0.6, valAccuracy: 0.8 } },
];

const byLabel = (label: string) => comparisonRows(runs, [2]).find((row) => row.label === label)!;

describe('run comparison', () => {
  it('puts each setting of each run side by side and marks the rows where they differ', () => {
    expect(byLabel('Learning rate')).toMatchObject({ group: 'settings', values: ['0.005', '0.05'], differs: true });
    expect(byLabel('Optimizer')).toMatchObject({ values: ['adam', 'adam'], differs: false });
    expect(byLabel('Batch size').values).toEqual(['32', '32']);
    expect(byLabel('Epochs').values).toEqual(['3 of 100, kept 3', '4 of 100, kept 4']);
    expect(byLabel('Early stopping').values).toEqual(['patience 10, best kept', 'patience 10, best kept']);
    expect(byLabel('Data split').values).toEqual([
      '70 / 15 / 15 %, seed 42, stratified',
      '70 / 15 / 15 %, seed 42, stratified',
    ]);
    expect(byLabel('Model').values[0]).toBe('Dense 64 → Dropout 0.1 → Dense 32 → Dense 3');
    // 2·64+64, 64·32+32, 32·3+3
    expect(byLabel('Parameters').values).toEqual(['2,371', '2,371']);
  });

  it('gives the kept weights metrics on validation and on test, test rows named as such', () => {
    expect(byLabel('validation accuracy')).toMatchObject({
      group: 'validation',
      values: ['0.900', '0.900'],
      differs: false,
    });
    expect(byLabel('validation loss').values).toEqual(['0.400', '0.300']);
    expect(byLabel('test accuracy')).toMatchObject({ group: 'test', values: ['0.875', '0.800'], differs: true });
  });

  it('leaves the parameter count out when the input shape is unknown, and shows — for a metric a run lacks', () => {
    const withoutTest: ComparedRun[] = [runs[0]!, { name: 'Run 2', record: runs[1]!.record }];
    const rows = comparisonRows(withoutTest);
    expect(rows.some((row) => row.label === 'Parameters')).toBe(false);
    expect(rows.find((row) => row.label === 'test accuracy')!.values).toEqual(['0.875', '—']);
  });

  it('draws one curve per run from its history, over the metrics every run has', () => {
    expect(metricCurve(runs[1]!.record.history, 'valAccuracy').map((p) => p.x)).toEqual([1, 2, 3, 4]);
    expect(metricCurve(runs[0]!.record.history, 'valLoss')[0]).toEqual({ x: 1, y: 1.2 });
    expect(sharedEpochMetrics(runs)).toEqual(['loss', 'valLoss', 'valAccuracy']);
  });

  it('names a stack by its layers and tells whether two data settings feed the model alike', () => {
    expect(modelSummary({ version: 1, layers: [{ className: 'Flatten', config: {} }] } as never)).toBe('Flatten');
    expect(sameModelInputs(dataSettings, { ...dataSettings, split: { ...dataSettings.split, seed: 7 } })).toBe(true);
    const ignored = {
      ...dataSettings,
      columns: dataSettings.columns.map((c, i) => (i === 0 ? { ...c, role: 'ignore' } : c)),
    };
    expect(sameModelInputs(dataSettings, ignored as DataSettings)).toBe(false);
  });
});
