/** `layerlab lr-find` runs the real finder on a CSV with train's flags and prints the sweep and a usable rate. */
import { describe, expect, it } from 'vitest';
import { layerlab } from './cli-kit.js';

describe('layerlab lr-find', () => {
  it('prints the sweep summary and a suggested rate within 1e-4..1e-1 on the two moons', async () => {
    const out = await layerlab([
      'lr-find',
      '--data',
      'test/fixtures/moons.csv',
      '--target',
      'moon',
      '--backend',
      'wasm',
      '--batch-size',
      '16',
    ]);
    expect(out.stderr).not.toMatch(/Error/);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/Swept \d+ batches with adam, learning rate 1\.0e-6 → /);
    const rate = Number(/Suggested learning rate: ([0-9.e-]+)/.exec(out.stdout)?.[1]);
    expect(rate).toBeGreaterThanOrEqual(1e-4);
    expect(rate).toBeLessThanOrEqual(1e-1);
  });

  it('--json gives the whole sweep, and a bad flag is refused with the usage', async () => {
    const json = await layerlab([
      'lr-find',
      '--data',
      'test/fixtures/moons.csv',
      '--target',
      'moon',
      '--steps',
      '40',
      '--json',
      '--backend',
      'wasm',
    ]);
    const sweep = JSON.parse(json.stdout) as { rates: number[]; losses: number[] };
    expect(sweep.rates.length).toBeLessThanOrEqual(40);
    expect(sweep.losses).toHaveLength(sweep.rates.length);
    const bad = await layerlab(['lr-find', '--data', 'test/fixtures/moons.csv', '--target', 'moon', '--steps', 'many']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--steps/);
  });
});
