/**
 * The ranges of the numeric training settings are written once (core/model/training-ranges.ts): the project
 * schema, the CLI and the window's fields all refuse a value with the same sentence.
 */
import { describe, expect, it } from 'vitest';
import { TRAINING_RANGES, rangeProblem, settingsProblems } from '../../src-main/core/model/training-ranges.js';
import { describeIssues, trainingSettingsSchema } from '../../src-main/core/project/settings-schema.js';
import { applyTrainingFlags } from '../../src-main/cli/train-command.js';
import { defaultTrainingSettings } from '../../src-main/core/training/index.js';

const base = () => defaultTrainingSettings({ kind: 'multiclass', target: 'species', labels: ['a', 'b', 'c'] });

describe('training setting ranges', () => {
  it('says what is wrong and what would work', () => {
    expect(rangeProblem(TRAINING_RANGES.learningRate, -1)).toBe(
      'Learning rate must be above 0 and at most 100; -1 is not. Try 0.001.',
    );
    expect(rangeProblem(TRAINING_RANGES.learningRate, 0)).toMatch(/^Learning rate must be above 0/);
    expect(rangeProblem(TRAINING_RANGES.learningRate, 0.01)).toBeNull();
    expect(rangeProblem(TRAINING_RANGES.epochs, 2.5)).toBe(
      'Epochs must be a whole number from 1 to 100,000; 2.5 is not. Try 50.',
    );
    expect(rangeProblem(TRAINING_RANGES.factor, 1)).toBe('Factor must be above 0 and below 1; 1 is not. Try 0.5.');
    expect(rangeProblem(TRAINING_RANGES.patience, -2)).toBe(
      'Patience must be a whole number 0 or more; -2 is not. Try 5.',
    );
    expect(rangeProblem(TRAINING_RANGES.batchSize, Number.NaN)).toMatch(/^Batch size must be/);
  });

  it('lists every setting out of range, by the path the form and the schema use', () => {
    const settings = base();
    expect(settingsProblems(settings)).toEqual([]);
    settings.optimizer.learningRate = -1;
    settings.batchSize = 0;
    settings.classWeights = { a: 1, b: -3, c: 1 };
    settings.reduceLrOnPlateau.factor = 2;
    expect(settingsProblems(settings).map((p) => p.field)).toEqual([
      'optimizer.learningRate',
      'batchSize',
      'classWeights.b',
      'reduceLrOnPlateau.factor',
    ]);
  });

  it('is the schema’s rule too: the project file and the engine refuse with the same sentence', () => {
    const settings = base();
    settings.optimizer.learningRate = -1;
    const parsed = trainingSettingsSchema.safeParse(settings);
    expect(parsed.success).toBe(false);
    expect(describeIssues(parsed.error!)).toEqual([
      'optimizer.learningRate: Learning rate must be above 0 and at most 100; -1 is not. Try 0.001.',
    ]);
    settings.optimizer.learningRate = 100;
    expect(trainingSettingsSchema.safeParse(settings).success).toBe(true);
  });

  it('is the CLI’s rule too', () => {
    expect(() => applyTrainingFlags(base(), { 'learning-rate': '-1', 'batch-size': '2000000' })).toThrow(
      'These settings cannot be used, so training did not start:\n' +
        '- --learning-rate -1: Learning rate must be above 0 and at most 100; -1 is not. Try 0.001.\n' +
        '- --batch-size 2000000: Batch size must be a whole number from 1 to 1,000,000; 2,000,000 is not. Try 32.',
    );
    expect(applyTrainingFlags(base(), { epochs: '7' }).epochs).toBe(7);
  });
});
