/**
 * 'auto' picks the backend by timing the actual model: the run's note names every backend it timed with its
 * milliseconds per batch, the run trains on the fastest, and the same model shape reuses the measurement.
 */
import { describe, expect, it } from 'vitest';
import { defaultTrainingSettings, forgetBackendTrials, train } from '../../src-main/core/training/index.js';
import type { TrainingEvent } from '../../src-main/core/training/types.js';
import { syntheticData } from './training-kit.js';

const spec = {
  version: 1 as const,
  layers: [
    { className: 'Dense' as const, config: { units: 8, activation: 'relu' as const } },
    { className: 'Dense' as const, config: { units: 1, activation: 'sigmoid' as const } },
  ],
};

describe('auto chooses the backend by measurement', () => {
  it('times wasm and cpu on the model, trains on the faster, and remembers the choice per model shape', async () => {
    forgetBackendTrials();
    const prepared = syntheticData({ rows: 120, inputShape: [4], kind: 'binary' });
    const settings = { ...defaultTrainingSettings(prepared.preprocessor.task), epochs: 1, backend: 'auto' as const };
    const notes: string[] = [];
    const onEvent = (event: TrainingEvent) => {
      if (event.type === 'started') notes.push(event.backendNote);
    };
    const first = await train(spec, prepared, settings, { onEvent });
    const match = /auto: measured (.*); using (\w+)/.exec(notes[0]!);
    expect(match, notes[0]).not.toBeNull();
    const timings = Object.fromEntries(
      match![1]!.split(', ').map((part) => {
        const [name, ms] = part.split(' ');
        return [name!, Number(ms)];
      }),
    );
    expect(Object.keys(timings).sort()).toEqual(['cpu', 'wasm']);
    const fastest = Object.entries(timings).sort((a, b) => a[1] - b[1])[0]![0];
    expect(match![2]).toBe(fastest);
    expect(first.backend).toBe(fastest);
    expect(notes[0]).toContain('native TensorFlow is not installed');
    expect(notes[0]).toContain('fast Dense step');

    await train(spec, prepared, settings, { onEvent });
    expect(notes[1]).toContain('measured earlier for this model shape');
    expect(notes[1]).toContain(`using ${fastest}`);
  });
});
