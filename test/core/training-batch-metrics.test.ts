/**
 * Training metrics are measured on the batches each epoch trains on, with the validation metrics' own code.
 * With shuffling off and one batch per epoch, epoch 1's training metrics are the metrics of the model's
 * predictions before its first update: predicted here independently from a model built with the same seed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { LayerSpec, ModelSpec } from '../../src-main/core/model/spec.js';
import {
  buildModel,
  defaultTrainingSettings,
  predictRaw,
  selectBackend,
  train,
  validationMetrics,
} from '../../src-main/core/training/index.js';
import { trainingMetrics, trainingTwinOf } from '../../src-main/core/training/metrics.js';
import type { TrainingSettings } from '../../src-main/core/training/types.js';
import { loadFixture } from './training-kit.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

const dense = (units: number, activation: string): LayerSpec =>
  ({ className: 'Dense', config: { units, activation } }) as LayerSpec;

function oneBatchSettings(rows: number): TrainingSettings {
  const settings = defaultTrainingSettings({ kind: 'binary', target: 't' });
  return {
    ...settings,
    epochs: 2,
    batchSize: rows,
    shuffle: false,
    backend: 'wasm',
    earlyStopping: { ...settings.earlyStopping, enabled: false },
  };
}

describe('training metrics on the epoch’s batches', () => {
  const cases: Array<{ path: string; hidden: string; fixture: string; target: string; expected: string[] }> = [
    { path: 'fast Dense', hidden: 'relu', fixture: 'iris.csv', target: 'species', expected: ['accuracy', 'f1'] },
    { path: 'autodiff', hidden: 'softplus', fixture: 'iris.csv', target: 'species', expected: ['accuracy', 'f1'] },
    {
      path: 'fast Dense',
      hidden: 'relu',
      fixture: 'diabetes.csv',
      target: 'progression',
      expected: ['mae', 'rmse', 'r2'],
    },
    { path: 'autodiff', hidden: 'softplus', fixture: 'diabetes.csv', target: 'progression', expected: ['mae', 'r2'] },
  ];

  for (const c of cases) {
    it(`${c.path} step, ${c.fixture}: epoch 1 equals the metrics of the pre-update predictions`, async () => {
      const { prepared } = await loadFixture(c.fixture, c.target);
      const task = prepared.preprocessor.task;
      const outputs = task.kind === 'regression' ? 1 : task.labels!.length;
      const spec: ModelSpec = {
        version: 1,
        layers: [dense(8, c.hidden), dense(outputs, task.kind === 'regression' ? 'linear' : 'softmax')],
      };
      const settings = oneBatchSettings(prepared.train.count);
      let note = '';
      const result = await train(spec, prepared, settings, {
        onEvent: (e) => {
          if (e.type === 'started') note = e.backendNote;
        },
      });
      expect(note).toContain(c.path === 'autodiff' ? 'autodiff' : 'fast Dense');
      const first = result.history[0]!.metrics;

      const model = buildModel(spec, prepared.preprocessor.inputShape, settings.seed);
      const before = predictRaw(model, prepared.train.x, prepared.train.count);
      model.dispose();
      const expected = trainingMetrics(
        task,
        before,
        prepared.train.y,
        prepared.train.count,
        outputs,
        prepared.preprocessor.targetScale,
      );
      for (const name of c.expected) {
        expect(first[name as keyof typeof first], name).toBeCloseTo(expected[name as keyof typeof expected]!, 4);
      }
      // Every validation metric has its training twin, in every epoch.
      for (const record of result.history) {
        for (const name of Object.keys(record.metrics).filter((n) => n.startsWith('val') && n !== 'valLoss')) {
          expect(record.metrics[trainingTwinOf(name as never)], name).toBeTypeOf('number');
        }
      }
      // The second epoch trains on updated weights, so its training metrics are not the first's.
      expect(result.history[1]!.metrics).not.toEqual(first);
    });
  }

  it('names each training metric after its validation twin, computed by the same code', () => {
    const task = { kind: 'binary' as const, target: 't', labels: ['no', 'yes'] };
    const outputs = Float32Array.from([0.9, 0.2, 0.6, 0.4]);
    const y = Float32Array.from([1, 0, 0, 0]);
    const val = validationMetrics(task, outputs, y, 4, 1);
    const training = trainingMetrics(task, outputs, y, 4, 1);
    expect(training).toEqual({
      accuracy: val.valAccuracy,
      precision: val.valPrecision,
      recall: val.valRecall,
      f1: val.valF1,
    });
    expect(training.accuracy).toBe(0.75);
    expect(trainingTwinOf('valR2')).toBe('r2');
    expect(trainingTwinOf('valLoss')).toBe('loss');
  });
});
