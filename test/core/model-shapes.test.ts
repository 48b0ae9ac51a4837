import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  LAYER_CLASS_NAMES,
  applyShapeFix,
  inferShapes,
  MODEL_SPEC_VERSION,
  type LayerSpec,
  type ModelSpec,
  type RegularizerSpec,
} from '../../src-main/core/model/index.js';

interface ValidExpect {
  outputShapes: number[][];
  params: number[];
  trainable?: number[];
}
interface ErrorExpect {
  errorLayer: number;
  errorIncludes: string[];
  fix?: Record<string, unknown>;
}
interface ShapeCase {
  name: string;
  inputShape: number[];
  layers: LayerSpec[];
  /** tf.js itself refuses this stack; the text its error contains. */
  tfjsRejects?: string;
  expect: ValidExpect | ErrorExpect;
}

const fixture = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/shape-cases.json', import.meta.url)), 'utf8'),
) as { cases: ShapeCase[] };
const validCases = fixture.cases.filter((c): c is ShapeCase & { expect: ValidExpect } => 'outputShapes' in c.expect);
const errorCases = fixture.cases.filter((c): c is ShapeCase & { expect: ErrorExpect } => 'errorLayer' in c.expect);
const specOf = (c: ShapeCase): ModelSpec => ({ version: MODEL_SPEC_VERSION, layers: c.layers });

// ---- a test-only translation of LayerSpec into tf.js layers (the product's builder lives in core/training) ----

const FACTORIES: Record<string, (config: never) => tf.layers.Layer> = {
  Dense: tf.layers.dense,
  Activation: tf.layers.activation,
  Dropout: tf.layers.dropout,
  BatchNormalization: tf.layers.batchNormalization,
  LayerNormalization: tf.layers.layerNormalization,
  Flatten: tf.layers.flatten,
  Reshape: tf.layers.reshape,
  Conv1D: tf.layers.conv1d,
  Conv2D: tf.layers.conv2d,
  MaxPooling1D: tf.layers.maxPooling1d,
  MaxPooling2D: tf.layers.maxPooling2d,
  AveragePooling1D: tf.layers.averagePooling1d,
  AveragePooling2D: tf.layers.averagePooling2d,
  GlobalAveragePooling1D: tf.layers.globalAveragePooling1d,
  GlobalAveragePooling2D: tf.layers.globalAveragePooling2d,
  SimpleRNN: tf.layers.simpleRNN,
  LSTM: tf.layers.lstm,
  GRU: tf.layers.gru,
};

function tfConfig(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    out[key] = key.endsWith('Regularizer') ? tf.regularizers.l1l2(value as RegularizerSpec) : value;
  }
  return out;
}

function buildTfModel(inputShape: number[], layers: LayerSpec[]): tf.Sequential {
  const model = tf.sequential();
  layers.forEach((layer, i) => {
    const config = tfConfig(layer.config as Record<string, unknown>);
    if (i === 0) config.inputShape = inputShape;
    model.add(FACTORIES[layer.className]!(config as never));
  });
  return model;
}

/** The output shape (without batch) of every layer, from running one all-zero sample through the model. */
function runEveryLayer(model: tf.Sequential, inputShape: number[]): number[][] {
  const probe = tf.model({ inputs: model.inputs, outputs: model.layers.map((l) => l.output as tf.SymbolicTensor) });
  const input = tf.zeros([1, ...inputShape]);
  const outputs = [probe.predict(input)].flat() as tf.Tensor[];
  const shapes = outputs.map((t) => t.shape.slice(1));
  tf.dispose([input, ...outputs]);
  return shapes;
}

const sizeOf = (weights: tf.LayerVariable[]) =>
  weights.reduce((sum, w) => sum + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('shape cases fixture', () => {
  it('covers every layer class in a valid stack', () => {
    const used = new Set(validCases.flatMap((c) => c.layers.map((l) => l.className)));
    expect([...LAYER_CLASS_NAMES].filter((name) => !used.has(name))).toEqual([]);
  });

  it('covers both paddings and strides above 1 for convolution and pooling', () => {
    const windowed = validCases
      .flatMap((c) => c.layers)
      .filter((l) => /Conv|Pooling[12]D/.test(l.className) && !l.className.startsWith('Global'));
    const paddings = new Set(windowed.map((l) => (l.config as { padding?: string }).padding ?? 'valid'));
    expect([...paddings].sort()).toEqual(['same', 'valid']);
    const strided = windowed.filter((l) => {
      const strides = (l.config as { strides?: number | number[] }).strides;
      return strides !== undefined && [strides].flat().some((s) => s > 1);
    });
    expect(new Set(strided.map((l) => l.className.replace(/\d?D$/, '')))).toEqual(
      new Set(['Conv', 'MaxPooling', 'AveragePooling']),
    );
  });
});

describe('inferShapes on valid stacks', () => {
  it.each(validCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const report = inferShapes(c.inputShape, specOf(c));
    expect(report.issue).toBeUndefined();
    expect(report.ok).toBe(true);
    expect(report.layers.map((l) => l.outputShape)).toEqual(c.expect.outputShapes);
    expect(report.layers.map((l) => l.params)).toEqual(c.expect.params);
    expect(report.layers.map((l) => l.trainableParams)).toEqual(c.expect.trainable ?? c.expect.params);
    expect(report.layers.map((l) => l.inputShape)).toEqual([c.inputShape, ...c.expect.outputShapes.slice(0, -1)]);
    expect(report.outputShape).toEqual(c.expect.outputShapes.at(-1));
    expect(report.totalParams).toBe(c.expect.params.reduce((a, b) => a + b, 0));
  });
});

describe('inferShapes agrees with tf.js', () => {
  const comparable = validCases.filter((c) => !c.tfjsRejects);

  it.each(comparable.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const report = inferShapes(c.inputShape, specOf(c));
    const model = buildTfModel(c.inputShape, c.layers);
    try {
      // tf.js' static shapes leave a Reshape's -1 unknown (null), so the shapes come from a real forward pass.
      const ran = runEveryLayer(model, c.inputShape);
      const fromTf = model.layers.map((layer, i) => ({
        outputShape: ran[i],
        params: layer.countParams(),
        trainableParams: sizeOf(layer.trainableWeights),
      }));
      model.layers.forEach((layer, i) => {
        const declared = (layer.outputShape as (number | null)[]).slice(1);
        expect(declared.map((d, axis) => d ?? ran[i]![axis])).toEqual(ran[i]);
      });
      const ours = report.layers.map(({ outputShape, params, trainableParams }) => ({
        outputShape,
        params,
        trainableParams,
      }));
      expect(ours).toEqual(fromTf);
      expect(report.totalParams).toBe(model.countParams());
    } finally {
      model.dispose();
    }
  });

  it.each(validCases.filter((c) => c.tfjsRejects).map((c) => [c.name, c] as const))(
    'tf.js refuses "%s", which LayerLab treats as a no-op',
    (_name, c) => {
      expect(() => buildTfModel(c.inputShape, c.layers)).toThrow(c.tfjsRejects);
    },
  );
});

describe('inferShapes on invalid stacks', () => {
  it.each(errorCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const report = inferShapes(c.inputShape, specOf(c));
    expect(report.ok).toBe(false);
    expect(report.outputShape).toBeNull();
    expect(report.issue?.layerIndex).toBe(c.expect.errorLayer);
    for (const text of c.expect.errorIncludes) expect(report.issue?.message).toContain(text);
    // Layers before the failing one are still reported, so the editor can show their shapes.
    expect(report.layers.map((l) => l.index)).toEqual([...Array(Math.max(c.expect.errorLayer, 0)).keys()]);
    if (c.expect.fix) expect(report.issue?.fix).toMatchObject(c.expect.fix);
  });

  it('every offered fix resolves the problem it was offered for', () => {
    const fixable = errorCases.filter((c) => c.expect.fix);
    expect(fixable.length).toBeGreaterThanOrEqual(8);
    for (const c of fixable) {
      const report = inferShapes(c.inputShape, specOf(c));
      const fixed = applyShapeFix(specOf(c), report.issue!.fix!);
      const after = inferShapes(c.inputShape, fixed);
      expect(after.ok, `${c.name}: ${after.issue?.message}`).toBe(true);
    }
  });

  it('keeps the layer id when a fix replaces a layer', () => {
    const spec: ModelSpec = {
      version: MODEL_SPEC_VERSION,
      layers: [{ id: 'pool-a', className: 'MaxPooling2D', config: { poolSize: 4 } }],
    };
    const report = inferShapes([3, 3, 1], spec);
    const fixed = applyShapeFix(spec, report.issue!.fix!);
    expect(fixed.layers).toEqual([
      { id: 'pool-a', className: 'MaxPooling2D', config: { poolSize: 4, padding: 'same' } },
    ]);
    expect(spec.layers[0]?.config).toEqual({ poolSize: 4 });
    expect(inferShapes([3, 3, 1], fixed).outputShape).toEqual([1, 1, 1]);
  });

  it('sums the parameters of the layers before the failure', () => {
    const report = inferShapes([4], {
      version: MODEL_SPEC_VERSION,
      layers: [
        { className: 'Dense', config: { units: 8 } },
        { className: 'BatchNormalization', config: {} },
        { className: 'LSTM', config: { units: 2 } },
      ],
    });
    expect(report.issue?.layerIndex).toBe(2);
    expect(report.totalParams).toBe(4 * 8 + 8 + 4 * 8);
    expect(report.trainableParams).toBe(4 * 8 + 8 + 2 * 8);
  });
});
