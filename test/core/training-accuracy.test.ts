import { describe, expect, it } from 'vitest';
import { defaultTrainingSettings, evaluate, train, type TrainingSettings } from '../../src-main/core/training/index.js';
import type { PreparedData } from '../../src-main/core/data/types.js';
import { loadFixture } from './training-kit.js';

function settingsFor(prepared: PreparedData, backend: TrainingSettings['backend'] = 'wasm'): TrainingSettings {
  return { ...defaultTrainingSettings(prepared.preprocessor.task), backend };
}

describe('training reaches useful quality on the sample datasets', () => {
  it('iris (3 classes) on the cpu backend: validation accuracy >= 0.9', async () => {
    const { prepared, spec } = await loadFixture('iris.csv', 'species');
    const result = await train(spec, prepared, settingsFor(prepared, 'cpu'));
    expect(result.backend).toBe('cpu');
    expect(result.finalValidation.valAccuracy).toBeGreaterThanOrEqual(0.9);

    const evaluation = evaluate(result.model, prepared.validation);
    if (evaluation.kind !== 'classification') throw new Error('iris must evaluate as classification');
    expect(evaluation.labels).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(evaluation.accuracy).toBeCloseTo(result.finalValidation.valAccuracy ?? NaN, 6);
    const diagonal = evaluation.confusion.reduce((sum, row, k) => sum + row[k]!, 0);
    expect(diagonal / evaluation.count).toBeCloseTo(evaluation.accuracy, 10);
    expect(evaluation.perClass.reduce((sum, c) => sum + c.support, 0)).toBe(prepared.validation.count);
  });

  it('breast cancer (binary): validation accuracy >= 0.93, F1 of the positive class reported', async () => {
    const { prepared, spec } = await loadFixture('breast_cancer.csv', 'diagnosis');
    const result = await train(spec, prepared, settingsFor(prepared));
    expect(result.backend).toBe('wasm');
    expect(result.finalValidation.valAccuracy).toBeGreaterThanOrEqual(0.93);
    const evaluation = evaluate(result.model, prepared.validation);
    if (evaluation.kind !== 'classification') throw new Error('breast cancer must evaluate as classification');
    // Binary precision/recall/F1 are those of labels[1].
    expect(evaluation.f1).toBeCloseTo(evaluation.perClass[1]!.f1, 10);
    expect(result.finalValidation.valF1).toBeCloseTo(evaluation.f1, 6);
  });

  it('diabetes (regression, raw values): validation R² >= 0.35 in the target units', async () => {
    const { prepared, spec } = await loadFixture('diabetes.csv', 'progression');
    const result = await train(spec, prepared, settingsFor(prepared));
    expect(result.finalValidation.valR2).toBeGreaterThanOrEqual(0.35);
    const evaluation = evaluate(result.model, prepared.validation);
    if (evaluation.kind !== 'regression') throw new Error('diabetes must evaluate as regression');
    expect(evaluation.r2).toBeCloseTo(result.finalValidation.valR2 ?? NaN, 4);
    // Errors are in disease-progression units (the target spans roughly 25..346), not standardized ones.
    expect(evaluation.mae).toBeGreaterThan(10);
    expect(evaluation.points).toHaveLength(prepared.validation.count);
    const [actual, predicted] = evaluation.points[0]!;
    expect(evaluation.residuals[0]).toBeCloseTo(actual - predicted, 6);
  });

  it('digits as 8x8x1 images through Conv2D: validation accuracy >= 0.9', async () => {
    const { prepared, spec } = await loadFixture('digits.csv', 'digit', (s) => ({ ...s, image: { shape: [8, 8, 1] } }));
    expect(prepared.preprocessor.inputShape).toEqual([8, 8, 1]);
    expect(spec.layers[0]?.className).toBe('Conv2D');
    const events: string[] = [];
    const result = await train(
      spec,
      prepared,
      { ...settingsFor(prepared), epochs: 15 },
      {
        onEvent: (e) => {
          if (e.type === 'started') events.push(e.backendNote);
        },
      },
    );
    expect(result.finalValidation.valAccuracy).toBeGreaterThanOrEqual(0.9);
    // The wasm backend lacks the convolution kernel gradient; the note says it was filled in.
    expect(events[0]).toMatch(/Conv2DBackpropFilter/);
  });

  it('auto mpg (missing horsepower, text origin): trains to R² > 0.6', async () => {
    const { prepared, spec } = await loadFixture('auto_mpg.csv', 'mpg');
    expect(prepared.preprocessor.features.find((f) => f.name === 'origin')?.type).toBe('category');
    const result = await train(spec, prepared, settingsFor(prepared));
    expect(result.finalValidation.valR2).toBeGreaterThan(0.6);
    const evaluation = evaluate(result.model, prepared.test);
    if (evaluation.kind !== 'regression') throw new Error('auto mpg must evaluate as regression');
    expect(evaluation.r2).toBeGreaterThan(0.6);
    expect(evaluation.rmse).toBeGreaterThanOrEqual(evaluation.mae);
  });
});
