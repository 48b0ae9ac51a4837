import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../src-main/core/model/spec.js';
import { buildModel, extractWeights, predictRaw, selectBackend } from '../../src-main/core/training/index.js';
import type { LayerEpochStats } from '../../src-main/core/training/insight-types.js';
import { denseForward } from '../../src-renderer/src/lib/insight/dense-forward.js';
import {
  LARGE_UPDATE_RATIO,
  MOSTLY_DEAD,
  VANISHING_RATIO,
  layerWarnings,
} from '../../src-renderer/src/lib/insight/layer-warnings.js';

describe('the network view forward pass', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('gives the output tf.js predicts for the same weights and input, and stops at a layer it cannot compute', () => {
    const spec: ModelSpec = {
      version: 1,
      layers: [
        { className: 'Dense', config: { units: 5, activation: 'tanh' } },
        { className: 'Dropout', config: { rate: 0.3 } },
        { className: 'Dense', config: { units: 4, activation: 'linear' } },
        { className: 'Activation', config: { activation: 'elu' } },
        { className: 'Dense', config: { units: 3, activation: 'softmax' } },
      ],
    };
    const model = buildModel(spec, [3], 11);
    const weights = extractWeights(model);
    const input = [0.3, -1.2, 0.8];
    const expected = predictRaw(model, Float32Array.from(input), 1);
    model.dispose();
    const outputs = denseForward(spec.layers, weights, input);
    expect(outputs).toHaveLength(5);
    expect(outputs[1]).toEqual(outputs[0]);
    outputs[4]!.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));

    const withNorm: ModelSpec = {
      version: 1,
      layers: [{ className: 'LayerNormalization', config: {} }, ...spec.layers],
    };
    expect(denseForward(withNorm.layers, weights, input).every((o) => o === null)).toBe(true);
  });
});

const layer = (index: number, patch: Partial<LayerEpochStats>): LayerEpochStats => ({
  index,
  className: 'Dense',
  weightMean: 0,
  weightStd: 0.1,
  weightNorm: 1,
  gradientNorm: 0.1,
  updateRatio: 0.01,
  deadShare: null,
  histogram: { min: 0, max: 0, counts: [] },
  ...patch,
});

describe('layer warnings', () => {
  it('says nothing of a healthy network', () => {
    expect(layerWarnings([[layer(0, { deadShare: 0.1 }), layer(1, {})]])).toEqual([]);
  });

  it('names vanishing gradients, oversized steps and dead units, each with what to try', () => {
    const vanishing = layerWarnings([[layer(0, { gradientNorm: 0.1 * VANISHING_RATIO * 0.5 }), layer(1, {})]]);
    expect(vanishing.map((w) => w.kind)).toEqual(['vanishing']);
    expect(vanishing[0]!.text).toContain('layer 1 (Dense)');
    expect(vanishing[0]!.text).toContain('He initialization');

    const exploding = layerWarnings([[layer(0, { updateRatio: LARGE_UPDATE_RATIO * 2 }), layer(1, {})]]);
    expect(exploding.map((w) => w.kind)).toEqual(['exploding']);
    expect(exploding[0]!.text).toContain('lower learning rate');

    const growing = layerWarnings([1, 2, 3, 4].map((e) => [layer(0, { gradientNorm: 0.1 * 10 ** e })]));
    expect(growing.map((w) => w.kind)).toContain('exploding');

    // The kept weights alone (no epoch before): no update ratio, and its warnings come from the rest.
    const kept = layerWarnings([[layer(0, { updateRatio: null, gradientNorm: 2e3 }), layer(1, { updateRatio: null })]]);
    expect(kept.map((w) => w.kind)).toEqual(['exploding']);
    expect(layerWarnings([[layer(0, { updateRatio: null }), layer(1, { updateRatio: null })]])).toEqual([]);

    const dead = layerWarnings([[layer(0, { deadShare: MOSTLY_DEAD + 0.2 }), layer(1, {})]]);
    expect(dead.map((w) => w.kind)).toEqual(['dead']);
    expect(dead[0]!.text).toContain('70 %');
    expect(dead[0]!.text).toContain('ELU');
  });
});
