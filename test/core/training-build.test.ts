/**
 * What the editor accepts, the trainer builds: every valid stack in the shape table goes through LayerLab's own
 * ModelSpec -> tf.js builder, and the built model's shapes and parameter counts are the ones the editor showed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { inferShapes } from '../../src-main/core/model/index.js';
import type { LayerSpec } from '../../src-main/core/model/spec.js';
import { buildModel } from '../../src-main/core/training/index.js';

interface ShapeCase {
  name: string;
  inputShape: number[];
  layers: LayerSpec[];
  expect: { outputShapes?: number[][] };
}

const table = JSON.parse(readFileSync(path.resolve(__dirname, '../fixtures/shape-cases.json'), 'utf8')) as {
  cases: ShapeCase[];
};
const valid = table.cases.filter((c) => c.expect.outputShapes);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('buildModel agrees with the editor on every valid stack', () => {
  it('has cases to check', () => expect(valid.length).toBeGreaterThan(20));

  for (const testCase of valid) {
    it(testCase.name, () => {
      const spec = { version: 1 as const, layers: testCase.layers };
      const report = inferShapes(testCase.inputShape, spec);
      expect(report.ok).toBe(true);
      const model = buildModel(spec, testCase.inputShape, 1);
      try {
        expect(model.layers).toHaveLength(testCase.layers.length);
        const output = tf.tidy(() => {
          const input = tf.zeros([2, ...testCase.inputShape]);
          return (model.predict(input) as tf.Tensor).shape.slice(1);
        });
        expect(output).toEqual(report.outputShape);
        expect(model.countParams()).toBe(report.totalParams);
        model.layers.forEach((layer, i) => expect(layer.countParams()).toBe(report.layers[i]?.params));
      } finally {
        model.dispose();
      }
    });
  }
});
