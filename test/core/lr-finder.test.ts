/**
 * The learning-rate finder on seeded problems where large rates diverge: it stops at the divergence and
 * suggests a rate in the range that trains well (between 1e-4 and 1e-1).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findLearningRate, suggestRate, sweepSummary } from '../../src-main/core/insight/lr-finder.js';
import { defaultTrainingSettings, selectBackend } from '../../src-main/core/training/index.js';
import type { OptimizerSettings, TrainingSettings } from '../../src-main/core/training/types.js';
import { loadFixture, syntheticData } from './training-kit.js';
import type { ModelSpec } from '../../src-main/core/model/spec.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

function settingsWith(optimizer: OptimizerSettings): TrainingSettings {
  return { ...defaultTrainingSettings({ kind: 'binary', target: 't' }), optimizer, batchSize: 16, backend: 'wasm' };
}

describe('learning-rate finder', () => {
  it('Adam on the two moons: the loss diverges at large rates and the suggestion is within 1e-4..1e-1', async () => {
    const { prepared, spec } = await loadFixture('moons.csv', 'moon');
    const sweep = await findLearningRate(spec, prepared, settingsWith({ name: 'adam', learningRate: 0.005 }));
    expect(sweep.diverged).toBe(true);
    expect(sweep.rates.at(-1)!).toBeLessThan(1);
    expect(sweep.suggested!).toBeGreaterThanOrEqual(1e-4);
    expect(sweep.suggested!).toBeLessThanOrEqual(1e-1);
    // The rates grow exponentially from 1e-6.
    expect(sweep.rates[0]).toBeCloseTo(1e-6, 12);
    const ratio = sweep.rates[1]! / sweep.rates[0]!;
    expect(sweep.rates[10]! / sweep.rates[9]!).toBeCloseTo(ratio, 6);
    // The loss at the suggestion's tenfold (the minimum) is below the starting loss.
    expect(Math.min(...sweep.losses)).toBeLessThan(sweep.losses[0]!);
    expect(sweepSummary(sweep).join('\n')).toMatch(/Suggested learning rate: /);
  });

  it('plain SGD on a seeded regression: the same rule, a rate within 1e-4..1e-1', async () => {
    const prepared = syntheticData({ rows: 400, inputShape: [8], kind: 'regression', seed: 3, noise: 0.2 });
    const spec: ModelSpec = {
      version: 1,
      layers: [
        { className: 'Dense', config: { units: 16, activation: 'relu' } },
        { className: 'Dense', config: { units: 1, activation: 'linear' } },
      ],
    } as ModelSpec;
    const sweep = await findLearningRate(spec, prepared, settingsWith({ name: 'sgd', learningRate: 0.01 }), {
      maxRate: 10,
    });
    expect(sweep.diverged).toBe(true);
    expect(sweep.suggested!).toBeGreaterThanOrEqual(1e-4);
    expect(sweep.suggested!).toBeLessThanOrEqual(1e-1);
  });

  it('suggests a tenth of the rate with the lowest loss, and nothing when the loss never fell', () => {
    expect(suggestRate([1e-3, 1e-2, 1e-1, 1], [1, 0.5, 0.2, 3])).toEqual({ suggested: 1e-1 / 10, minimumRate: 1e-1 });
    expect(suggestRate([1e-3, 1e-2], [1, 2]).suggested).toBeNull();
  });
});
