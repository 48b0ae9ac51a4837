import { describe, expect, it } from 'vitest';
import {
  confusionMatrix,
  meanAbsoluteError,
  perClassScores,
  predictedClasses,
  rSquared,
  resolveLoss,
  rootMeanSquaredError,
  summarizeClassification,
  unscaleTarget,
  validationMetrics,
} from '../../src-main/core/training/index.js';
import { createPrng, deriveSeed } from '../../src-main/core/training/prng.js';

describe('classification metrics', () => {
  const actual = [0, 0, 1, 1, 2, 2];
  const predicted = [0, 1, 1, 1, 2, 0];

  it('confusion matrix rows are actual classes, columns predicted', () => {
    expect(confusionMatrix(actual, predicted, 3)).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [1, 0, 1],
    ]);
  });

  it('per-class precision, recall, F1 and support', () => {
    const scores = perClassScores(confusionMatrix(actual, predicted, 3), ['a', 'b', 'c']);
    expect(scores.map((s) => s.support)).toEqual([2, 2, 2]);
    expect(scores[0]).toMatchObject({ label: 'a', precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(scores[1]?.precision).toBeCloseTo(2 / 3, 12);
    expect(scores[1]?.recall).toBe(1);
    expect(scores[1]?.f1).toBeCloseTo(0.8, 12);
    expect(scores[2]).toMatchObject({ precision: 1, recall: 0.5 });
  });

  it('multiclass summary uses macro averages; binary uses the positive class (labels[1])', () => {
    const multi = summarizeClassification(actual, predicted, ['a', 'b', 'c'], false);
    expect(multi.accuracy).toBeCloseTo(4 / 6, 12);
    expect(multi.precision).toBeCloseTo((0.5 + 2 / 3 + 1) / 3, 12);
    expect(multi.recall).toBeCloseTo((0.5 + 1 + 0.5) / 3, 12);

    const binary = summarizeClassification([0, 1, 1, 0, 1, 1], [0, 1, 0, 1, 1, 1], ['benign', 'malignant'], true);
    expect(binary.precision).toBeCloseTo(3 / 4, 12);
    expect(binary.recall).toBeCloseTo(3 / 4, 12);
    expect(binary.f1).toBeCloseTo(3 / 4, 12);
  });

  it('a class that is never predicted scores 0, not NaN', () => {
    const scores = perClassScores(confusionMatrix([0, 1], [0, 0], 2), ['x', 'y']);
    expect(scores[1]).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 1 });
  });

  it('outputs become classes by threshold (1 unit) or arg max (several)', () => {
    expect([...predictedClasses(Float32Array.from([0.2, 0.5, 0.9]), 3, 1)]).toEqual([0, 1, 1]);
    expect([...predictedClasses(Float32Array.from([0.1, 0.7, 0.2, 0.6, 0.3, 0.1]), 2, 3)]).toEqual([1, 0]);
  });
});

describe('regression metrics', () => {
  it('MAE, RMSE and R² on known values', () => {
    const actual = [1, 2, 3, 4];
    const predicted = [1, 2, 3, 5];
    expect(meanAbsoluteError(actual, predicted)).toBe(0.25);
    expect(rootMeanSquaredError(actual, predicted)).toBe(0.5);
    expect(rSquared(actual, predicted)).toBeCloseTo(0.8, 12);
  });

  it('validation metrics are in the target units: standardized values are mapped back first', () => {
    expect([...unscaleTarget([0, 1, -1], { mean: 10, std: 2 })]).toEqual([10, 12, 8]);
    const y = Float32Array.from([0, 1, -1, 0.5]);
    const outputs = Float32Array.from([0.5, 1, -1, 0.5]);
    const metrics = validationMetrics({ kind: 'regression', target: 'v' }, outputs, y, 4, 1, { mean: 100, std: 10 });
    expect(metrics.valMae).toBeCloseTo(5 / 4, 5);
    expect(metrics.valRmse).toBeCloseTo(Math.sqrt(25 / 4), 5);
  });
});

describe('loss resolution and seeds', () => {
  it("'auto' picks the loss that fits the task and the output", () => {
    expect(resolveLoss({ kind: 'regression', target: 'y' }, 'auto')).toBe('meanSquaredError');
    expect(resolveLoss({ kind: 'binary', target: 'y', labels: ['a', 'b'] }, 'auto', 1)).toBe('binaryCrossentropy');
    expect(resolveLoss({ kind: 'binary', target: 'y', labels: ['a', 'b'] }, 'auto', 2)).toBe(
      'sparseCategoricalCrossentropy',
    );
    expect(resolveLoss({ kind: 'multiclass', target: 'y', labels: ['a', 'b', 'c'] }, 'auto', 3)).toBe(
      'sparseCategoricalCrossentropy',
    );
    expect(resolveLoss({ kind: 'regression', target: 'y' }, 'huber')).toBe('huber');
  });

  it('the seeded generator repeats and derived seeds differ by purpose', () => {
    const a = createPrng(5);
    const b = createPrng(5);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(seqA.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(deriveSeed(1, 0, 1)).not.toBe(deriveSeed(1, 0, 2));
    expect(deriveSeed(1, 0, 1)).toBe(deriveSeed(1, 0, 1));
  });
});
