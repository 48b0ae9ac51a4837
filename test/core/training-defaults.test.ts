import { describe, expect, it } from 'vitest';
import { checkData, readDataset } from '../../src-main/app/index.js';
import { defaultDataSettings } from '../../src-main/core/data/index.js';
import { defaultTrainingSettings, fitTrainingToRows, train } from '../../src-main/core/training/index.js';
import { fixturePath, loadFixture } from './training-kit.js';

describe('training defaults fitted to the data', () => {
  it('keep the plain patience and epochs for a table large enough to give a steady validation score', () => {
    const fit = fitTrainingToRows({ train: 5000, validation: 1000 });
    expect(fit).toMatchObject({ epochs: 100, patience: 10, plain: { epochs: 100, patience: 10 } });
    expect(fit.reason).toBe('Patience 10 and 100 epochs: 1000 validation rows give a steady score.');
  });

  it('wait longer and train longer on a small table, where a few dozen validation rows give a noisy score', () => {
    // The 214-row case: 150 training rows (5 batches an epoch) and 32 validation rows.
    const small = fitTrainingToRows({ train: 150, validation: 32 });
    expect(small.patience).toBeGreaterThanOrEqual(25);
    expect(small.epochs).toBeGreaterThanOrEqual(4 * small.patience);
    expect(small.reason).toBe(
      `Patience ${small.patience} and ${small.epochs} epochs because 32 validation rows give a noisy score ` +
        'and an epoch is 5 batches.',
    );
  });

  it('grow patience and epochs steadily as the data shrinks, within bounds', () => {
    const sizes = [20000, 2000, 600, 300, 150, 60, 20, 5, 0];
    const fits = sizes.map((rows) => fitTrainingToRows({ train: rows, validation: Math.round(rows * 0.2) }));
    for (let i = 1; i < fits.length; i++) {
      expect(fits[i]!.patience).toBeGreaterThanOrEqual(fits[i - 1]!.patience);
      expect(fits[i]!.epochs).toBeGreaterThanOrEqual(fits[i - 1]!.epochs);
    }
    for (const fit of fits) {
      expect(fit.patience).toBeGreaterThanOrEqual(10);
      expect(fit.patience).toBeLessThanOrEqual(50);
      expect(fit.epochs).toBeLessThanOrEqual(400);
      expect(Number.isInteger(fit.patience) && Number.isInteger(fit.epochs)).toBe(true);
    }
    expect(fitTrainingToRows({ train: 1, validation: 0 }).reason).toContain('an epoch is 1 batch.');
  });

  it('are what defaultTrainingSettings gives with row counts, and what every data check carries', async () => {
    const rows = { train: 105, validation: 23 };
    const settings = defaultTrainingSettings({ kind: 'multiclass', target: 'species' }, rows);
    const fit = fitTrainingToRows(rows);
    expect(settings.epochs).toBe(fit.epochs);
    expect(settings.earlyStopping).toMatchObject({ enabled: true, patience: fit.patience, restoreBestWeights: true });
    expect(defaultTrainingSettings({ kind: 'multiclass', target: 'species' })).toMatchObject({
      epochs: 100,
      earlyStopping: { patience: 10 },
    });

    const dataset = await readDataset(fixturePath('iris.csv'));
    const check = checkData(dataset, defaultDataSettings(dataset, 'species'));
    expect(check.counts).toMatchObject(rows);
    expect(check.fit).toEqual(fit);
  });

  it('train the small wine table to a good validation score, seeded', async () => {
    const { prepared, spec } = await loadFixture('wine.csv', 'cultivar');
    const rows = { train: prepared.train.count, validation: prepared.validation.count };
    const settings = { ...defaultTrainingSettings(prepared.preprocessor.task, rows), backend: 'wasm' as const };
    expect(settings.earlyStopping.patience).toBeGreaterThan(10);
    const result = await train(spec, prepared, settings);
    // Early stopping is not what ends this run in the first few dozen epochs any more.
    expect(result.history.length).toBeGreaterThan(40);
    expect(result.finalValidation.valAccuracy).toBeGreaterThanOrEqual(0.96);
  });
});
