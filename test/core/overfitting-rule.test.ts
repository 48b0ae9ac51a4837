/** The overfitting marker's rule on constructed loss curves: where it fires, and where it must not. */
import { describe, expect, it } from 'vitest';
import { OVERFIT_PATIENCE, OVERFIT_RISE, overfitOnset } from '../../src-renderer/src/lib/train/overfitting.js';

const curve = (values: number[]) => values.map((y, i) => ({ x: i + 1, y }));

describe('overfitting rule', () => {
  const falling = curve([1, 0.8, 0.6, 0.5, 0.4, 0.3, 0.25, 0.2]);

  it('marks the best validation epoch once validation loss has risen for the patience while training loss fell', () => {
    const val = curve([1, 0.7, 0.5, 0.45, 0.5, 0.55, 0.6, 0.7]);
    const onset = overfitOnset(falling, val)!;
    expect(onset.epoch).toBe(4);
    expect(onset.bestValLoss).toBe(0.45);
    expect(onset.latestTrainLoss).toBeLessThan(onset.trainLossAtBest);
  });

  it('waits for the patience: two rising epochs are not enough', () => {
    const val = curve([1, 0.7, 0.5, 0.45, 0.5, 0.6]);
    expect(OVERFIT_PATIENCE).toBe(3);
    expect(overfitOnset(falling.slice(0, 6), val)).toBeNull();
  });

  it('ignores a rise smaller than the threshold (noise around a plateau)', () => {
    const best = 0.5;
    const val = curve([1, 0.7, best, best * 1.01, best * 1.02, best * (1 + OVERFIT_RISE * 0.8)]);
    expect(overfitOnset(falling.slice(0, 6), val)).toBeNull();
  });

  it('does not fire when training loss rises too (the learning rate, not overfitting)', () => {
    const val = curve([1, 0.7, 0.5, 0.6, 0.7, 0.8]);
    const train = curve([1, 0.7, 0.5, 0.6, 0.7, 0.8]);
    expect(overfitOnset(train, val)).toBeNull();
  });

  it('does not fire while validation loss still improves, or without a validation curve', () => {
    expect(overfitOnset(falling, curve([1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.45, 0.4]))).toBeNull();
    expect(overfitOnset(falling, [])).toBeNull();
  });
});
