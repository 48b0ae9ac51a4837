import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ACTIVATIONS,
  ACTIVATION_INFO,
  LAYER_CATALOG,
  LAYER_CLASS_NAMES,
  LAYER_GROUPS,
  MODEL_SPEC_VERSION,
  applyShapeFix,
  autoFixModel,
  catalogByGroup,
  checkModelForTask,
  createLayer,
  defaultModelSpec,
  formatBytes,
  formatCount,
  formatShape,
  inferShapes,
  migrateModelSpec,
  modelSizeBytes,
  validateLayer,
  validateModelSpec,
  type ActivationName,
  type LayerSpec,
  type ModelSpec,
  type ModelTask,
} from '../../src-main/core/model/index.js';

const spec = (...layers: LayerSpec[]): ModelSpec => ({ version: MODEL_SPEC_VERSION, layers });
const dense = (units: number, activation?: ActivationName): LayerSpec => ({
  className: 'Dense',
  config: activation ? { units, activation } : { units },
});

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('validateModelSpec', () => {
  it('accepts a spec using every layer class and returns it unchanged', () => {
    const layers = LAYER_CLASS_NAMES.map((name, i) => ({ ...createLayer(name), id: `l${i}` }));
    const result = validateModelSpec({ version: 1, layers });
    expect(result).toEqual({ ok: true, spec: { version: 1, layers } });
  });

  it('accepts full configs with every optional setting', () => {
    const full: ModelSpec = spec(
      {
        className: 'Dense',
        config: {
          units: 4,
          activation: 'selu',
          useBias: false,
          kernelInitializer: 'leCunNormal',
          biasInitializer: 'zeros',
          kernelRegularizer: { l1: 0.01, l2: 0.02 },
          biasRegularizer: {},
        },
      },
      {
        className: 'Conv2D',
        config: { filters: 2, kernelSize: [3, 1], strides: [1, 2], padding: 'same', activation: 'relu6' },
      },
      { className: 'MaxPooling1D', config: { poolSize: [2], strides: 1, padding: 'valid' } },
      {
        className: 'LSTM',
        config: {
          units: 3,
          activation: 'tanh',
          recurrentActivation: 'sigmoid',
          returnSequences: true,
          recurrentInitializer: 'orthogonal',
          recurrentRegularizer: { l2: 0.1 },
        },
      },
      { className: 'GRU', config: { units: 3, resetAfter: false } },
      { className: 'BatchNormalization', config: { momentum: 0.9, epsilon: 1e-5, center: false, scale: true } },
      { className: 'Dropout', config: { rate: 0, seed: 42 } },
      { className: 'Reshape', config: { targetShape: [2, -1, 3] } },
    );
    expect(validateModelSpec(full)).toEqual({ ok: true, spec: full });
  });

  const badSpecs: [string, unknown, string[]][] = [
    [
      'units of 0',
      spec(dense(8), dense(8), { className: 'Dense', config: { units: 0 } }),
      ['layer 3 (Dense): units must be a whole number >= 1'],
    ],
    [
      'fractional units',
      spec({ className: 'LSTM', config: { units: 2.5 } }),
      ['layer 1 (LSTM): units must be a whole number >= 1'],
    ],
    [
      'missing units',
      { version: 1, layers: [{ className: 'Dense', config: {} }] },
      ['layer 1 (Dense): units is required'],
    ],
    [
      'dropout rate 1',
      spec({ className: 'Dropout', config: { rate: 1 } }),
      ['layer 1 (Dropout): rate must be below 1 (1 would drop every value)'],
    ],
    [
      'negative dropout rate',
      spec({ className: 'Dropout', config: { rate: -0.1 } }),
      ['layer 1 (Dropout): rate must be >= 0'],
    ],
    [
      'kernel size 0',
      spec({ className: 'Conv2D', config: { filters: 4, kernelSize: 0 } }),
      ['layer 1 (Conv2D): kernelSize must be a whole number >= 1 or a list of 2 such numbers, e.g. [3, 3]'],
    ],
    [
      'kernel list of the wrong length',
      spec({ className: 'Conv1D', config: { filters: 4, kernelSize: [3, 3] } }),
      ['layer 1 (Conv1D): kernelSize must be a whole number >= 1 (or a list of one such number)'],
    ],
    [
      'pool strides 0',
      spec({ className: 'MaxPooling2D', config: { strides: 0 } }),
      ['layer 1 (MaxPooling2D): strides must be a whole number >= 1 or a list of 2 such numbers, e.g. [3, 3]'],
    ],
    [
      'unknown padding',
      spec({ className: 'Conv2D', config: { filters: 1, kernelSize: 3, padding: 'full' } } as unknown as LayerSpec),
      ["layer 1 (Conv2D): padding must be 'valid' or 'same'"],
    ],
    [
      'unknown activation',
      spec({ className: 'Dense', config: { units: 2, activation: 'gelu' } } as unknown as LayerSpec),
      ['layer 1 (Dense): activation must be one of linear, relu'],
    ],
    [
      'misspelt setting',
      { version: 1, layers: [{ className: 'Dense', config: { units: 2, unit: 3 } }] },
      ["layer 1 (Dense): 'unit' is not a Dense setting: remove it or check the spelling"],
    ],
    [
      'negative penalty',
      spec({ className: 'Dense', config: { units: 2, kernelRegularizer: { l2: -1 } } }),
      ['layer 1 (Dense): kernelRegularizer.l2 must be a number >= 0'],
    ],
    [
      'two -1 in a reshape',
      spec({ className: 'Reshape', config: { targetShape: [-1, -1] } }),
      ['layer 1 (Reshape): targetShape may contain -1 only once'],
    ],
    [
      'a zero in a reshape',
      spec({ className: 'Reshape', config: { targetShape: [4, 0] } }),
      ['layer 1 (Reshape): targetShape[1] must be a whole number >= 1 or -1'],
    ],
    [
      'GRU resetAfter',
      spec({ className: 'GRU', config: { units: 2, resetAfter: true } }),
      ['layer 1 (GRU): resetAfter must be false'],
    ],
    [
      'recurrentActivation on SimpleRNN',
      { version: 1, layers: [{ className: 'SimpleRNN', config: { units: 2, recurrentActivation: 'sigmoid' } }] },
      ["layer 1 (SimpleRNN): 'recurrentActivation' is not a SimpleRNN setting"],
    ],
    [
      'unknown class',
      { version: 1, layers: [dense(2), { className: 'Conv3D', config: {} }] },
      ['layer 2: className "Conv3D" is not a layer LayerLab knows; use one of Dense,'],
    ],
    [
      'config missing',
      { version: 1, layers: [{ className: 'Flatten' }] },
      ['layer 1 (Flatten): config must be an object (use {} for no settings)'],
    ],
    ['a layer that is not an object', { version: 1, layers: [dense(2), 'Dense'] }, ['layer 2: must be an object like']],
    ['no layers list', { version: 1 }, ['The model spec needs "layers"']],
  ];

  it.each(badSpecs)('rejects %s with a message naming the layer', (_name, value, expected) => {
    const result = validateModelSpec(value);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(expected.length);
    expected.forEach((text, i) => expect(result.errors[i]).toContain(text));
  });

  it('reports every bad layer, not only the first', () => {
    const result = validateModelSpec({
      version: 1,
      layers: [{ className: 'Dense', config: { units: -1 } }, dense(3), { className: 'Dropout', config: { rate: 2 } }],
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        'layer 1 (Dense): units must be a whole number >= 1',
        'layer 3 (Dropout): rate must be below 1 (1 would drop every value)',
      ],
    });
  });

  it('validateLayer checks one layer on its own and keeps its id', () => {
    expect(validateLayer({ className: 'Dense', config: { units: 3 }, id: 'x' }, 4)).toEqual({
      ok: true,
      layer: { className: 'Dense', config: { units: 3 }, id: 'x' },
    });
    expect(validateLayer({ className: 'Dense', config: { units: 3 }, id: 7 }, 4)).toEqual({
      ok: false,
      errors: ['layer 5 (Dense): id must be a string'],
    });
  });
});

describe('migrateModelSpec', () => {
  it('passes the current version through', () => {
    const current = spec(dense(2));
    expect(migrateModelSpec(current)).toEqual({ ok: true, value: current });
  });

  it('refuses a newer version with a message saying to update', () => {
    const result = validateModelSpec({ version: 3, layers: [] });
    expect(result).toEqual({
      ok: false,
      errors: [
        'This model spec is version 3, made by a newer LayerLab; this one reads up to version 1: update LayerLab to open it',
      ],
    });
  });

  it('refuses documents without a usable version', () => {
    expect(migrateModelSpec({ layers: [] })).toEqual({
      ok: false,
      errors: ['The model spec has no version; set "version": 1'],
    });
    expect(migrateModelSpec({ version: '1', layers: [] })).toEqual({
      ok: false,
      errors: ['The model spec has version "1"; set "version": 1'],
    });
    expect(migrateModelSpec([])).toMatchObject({ ok: false, errors: [expect.stringContaining('must be an object')] });
  });
});

describe('layer catalogue', () => {
  it('describes every layer class, in a known group, with a default that validates', () => {
    expect(Object.keys(LAYER_CATALOG).sort()).toEqual([...LAYER_CLASS_NAMES].sort());
    LAYER_CLASS_NAMES.forEach((name, i) => {
      const info = LAYER_CATALOG[name];
      expect(info.className).toBe(name);
      expect(LAYER_GROUPS).toContain(info.group);
      expect(info.label.length).toBeGreaterThan(0);
      expect(info.description.length).toBeGreaterThan(20);
      const result = validateLayer({ className: name, config: info.defaultConfig }, i);
      expect(result, JSON.stringify(result)).toEqual({
        ok: true,
        layer: { className: name, config: info.defaultConfig },
      });
    });
  });

  it('has field descriptors the schema accepts, with their tf.js defaults filled in', () => {
    for (const name of LAYER_CLASS_NAMES) {
      const info = LAYER_CATALOG[name];
      const keys = info.fields.map((f) => f.key);
      expect(new Set(keys).size).toBe(keys.length);
      for (const field of info.fields) {
        expect(field.help.length, `${name}.${field.key}`).toBeGreaterThan(10);
        const sample =
          field.default ??
          (field.kind === 'regularizer'
            ? { l2: 0.01 }
            : ((info.defaultConfig as Record<string, unknown>)[field.key] ?? (field.kind === 'int' ? 1 : undefined)));
        if (sample === undefined) continue;
        const result = validateLayer({ className: name, config: { ...info.defaultConfig, [field.key]: sample } }, 0);
        expect(result.ok, `${name}.${field.key}: ${JSON.stringify(result)}`).toBe(true);
      }
    }
    expect(LAYER_CATALOG.Dense.fields.find((f) => f.key === 'units')).toMatchObject({ kind: 'int', min: 1 });
    expect(LAYER_CATALOG.Dropout.fields.find((f) => f.key === 'rate')).toMatchObject({ kind: 'float', min: 0 });
    expect(LAYER_CATALOG.Conv2D.fields.find((f) => f.key === 'kernelSize')).toMatchObject({
      kind: 'intList',
      length: 2,
      min: 1,
    });
    expect(LAYER_CATALOG.LSTM.fields.map((f) => f.key)).toContain('recurrentActivation');
    expect(LAYER_CATALOG.SimpleRNN.fields.map((f) => f.key)).not.toContain('recurrentActivation');
  });

  it('groups the palette without losing or repeating a class', () => {
    const groups = catalogByGroup();
    expect(groups.flatMap((g) => g.layers.map((l) => l.className)).sort()).toEqual([...LAYER_CLASS_NAMES].sort());
    expect(groups.find((g) => g.group === 'Recurrent')?.layers.map((l) => l.className)).toEqual([
      'SimpleRNN',
      'LSTM',
      'GRU',
    ]);
  });

  it('createLayer returns a copy that is safe to edit', () => {
    const layer = createLayer('Conv2D', 'c1');
    (layer.config as { kernelSize: number[] }).kernelSize[0] = 7;
    expect(layer.id).toBe('c1');
    expect(LAYER_CATALOG.Conv2D.defaultConfig.kernelSize).toEqual([3, 3]);
  });
});

describe('ACTIVATION_INFO', () => {
  const points = [-6, -2.6, -1, -0.3, 0, 0.4, 1, 2.5, 5.5, 8];

  it.each(ACTIVATIONS.filter((a) => a !== 'softmax'))('%s matches tf.js', (name) => {
    const info = ACTIVATION_INFO[name];
    expect(info.formula.length).toBeGreaterThan(0);
    expect(info.description.length).toBeGreaterThan(20);
    const input = tf.tensor2d(points, [points.length, 1]);
    const output = tf.layers.activation({ activation: name }).apply(input) as tf.Tensor;
    const expected = Array.from(output.dataSync());
    tf.dispose([input, output]);
    points.forEach((x, i) => expect(Math.abs(info.fn(x) - expected[i]!), `${name}(${x})`).toBeLessThan(1e-5));
  });

  it('softmax plots the two-class case and says so', () => {
    const info = ACTIVATION_INFO.softmax;
    expect(info.description).toMatch(/whole output vector/);
    expect(info.description).toMatch(/two-class/);
    const logits = tf.tensor2d(points.map((x) => [x, 0]));
    const probabilities = tf.softmax(logits).arraySync() as number[][];
    tf.dispose(logits);
    points.forEach((x, i) => expect(Math.abs(info.fn(x) - probabilities[i]![0]!)).toBeLessThan(1e-5));
  });
});

describe('checkModelForTask', () => {
  const multiclass3: ModelTask = { kind: 'multiclass', classes: 3 };

  function expectFixWorks(inputShape: number[], model: ModelSpec, task: ModelTask) {
    const report = checkModelForTask(inputShape, model, task);
    expect(report.issue?.fix).toBeDefined();
    const fixed = applyShapeFix(model, report.issue!.fix!);
    return { report, fixed, after: checkModelForTask(inputShape, fixed, task) };
  }

  it('asks for one unit per class', () => {
    const model = spec(dense(16, 'relu'), dense(4, 'softmax'));
    const { report, fixed, after } = expectFixWorks([4], model, multiclass3);
    expect(report.ok).toBe(false);
    expect(report.issue).toMatchObject({
      layerIndex: 1,
      message: 'The last layer gives 4 outputs but the data has 3 classes: set units to 3',
      fix: { replaceAt: 1 },
    });
    expect(report.outputShape).toEqual([4]);
    expect(fixed.layers[1]).toEqual(dense(3, 'softmax'));
    expect(after.ok).toBe(true);
  });

  it('asks for softmax on a multi-class output', () => {
    const { report, after } = expectFixWorks([4], spec(dense(3, 'relu')), multiclass3);
    expect(report.issue?.message).toBe(
      'The last layer uses relu, but a 3-class task needs softmax so its outputs are class probabilities: set activation to softmax',
    );
    expect(after.ok).toBe(true);
  });

  it('accepts a separate softmax Activation layer and a trailing Dropout', () => {
    const model = spec(
      dense(3),
      { className: 'Activation', config: { activation: 'softmax' } },
      { className: 'Dropout', config: { rate: 0.1 } },
    );
    expect(checkModelForTask([4], model, multiclass3)).toMatchObject({ ok: true, outputShape: [3] });
    const wrong = spec(dense(3), { className: 'Activation', config: { activation: 'tanh' } });
    const { report, fixed, after } = expectFixWorks([4], wrong, multiclass3);
    expect(report.issue?.layerIndex).toBe(1);
    expect(fixed.layers[1]).toEqual({ className: 'Activation', config: { activation: 'softmax' } });
    expect(after.ok).toBe(true);
  });

  it('binary: one sigmoid output, or two softmax outputs', () => {
    const binary: ModelTask = { kind: 'binary', classes: 2 };
    expect(checkModelForTask([5], spec(dense(1, 'sigmoid')), binary).ok).toBe(true);
    expect(checkModelForTask([5], spec(dense(2, 'softmax')), binary).ok).toBe(true);
    const linear = checkModelForTask([5], spec(dense(1)), binary);
    expect(linear.issue?.message).toBe(
      'The last layer uses linear, but a yes/no (binary) task with 1 output needs sigmoid so it gives a probability: set activation to sigmoid',
    );
    const { report, after } = expectFixWorks([5], spec(dense(3, 'softmax')), binary);
    expect(report.issue?.message).toBe(
      'The last layer gives 3 outputs but a yes/no (binary) task needs 1 output: set units to 1 and activation to sigmoid',
    );
    expect(after.ok).toBe(true);
  });

  it('regression: one linear output', () => {
    const regression: ModelTask = { kind: 'regression' };
    expect(checkModelForTask([5], spec(dense(8, 'relu'), dense(1)), regression).ok).toBe(true);
    const { report, after } = expectFixWorks([5], spec(dense(8, 'relu'), dense(1, 'relu')), regression);
    expect(report.issue).toMatchObject({
      layerIndex: 1,
      message:
        'The last layer uses relu, but a regression task needs linear so it can predict any number: set activation to linear',
    });
    expect(after.ok).toBe(true);
    expect(checkModelForTask([5], spec(dense(2)), regression).issue?.message).toBe(
      'The last layer gives 2 outputs but a regression task predicts 1 number: set units to 1',
    );
  });

  it('asks for Flatten when Dense works on a grid', () => {
    const model = spec(
      { className: 'Conv2D', config: { filters: 16, kernelSize: 3, activation: 'relu' } },
      dense(3, 'softmax'),
    );
    expect(inferShapes([8, 8, 1], model).ok).toBe(true);
    const { report, fixed, after } = expectFixWorks([8, 8, 1], model, multiclass3);
    expect(report.issue?.layerIndex).toBe(1);
    expect(report.issue?.message).toBe(
      'Dense (layer 2) after Conv2D (layer 1) gets [6, 6, 16]; it works on the last axis only, so the model ends with [6, 6, 3] instead of [3]: add Flatten before it',
    );
    expect(fixed.layers.map((l) => l.className)).toEqual(['Conv2D', 'Flatten', 'Dense']);
    expect(after).toMatchObject({ ok: true, outputShape: [3], totalParams: 160 + 576 * 3 + 3 });
  });

  it('asks for a flat output and an output layer when the stack ends on a grid', () => {
    const model = spec({ className: 'Conv2D', config: { filters: 4, kernelSize: 3 } });
    const report = checkModelForTask([8, 8, 1], model, multiclass3);
    expect(report.issue?.message).toBe(
      'The model ends with [6, 6, 4] from Conv2D (layer 1), but the data has 3 classes, a flat [3]: add Flatten (or global pooling) and a Dense output layer with 3 units',
    );
    const { spec: fixed, report: after } = autoFixModel([8, 8, 1], model, multiclass3);
    expect(after.ok).toBe(true);
    expect(fixed.layers.map((l) => l.className)).toEqual(['Conv2D', 'Flatten', 'Dense']);
    expect(fixed.layers[2]).toEqual(dense(3, 'softmax'));
  });

  it('asks for a Dense output after global pooling', () => {
    const model = spec(
      { className: 'Conv2D', config: { filters: 8, kernelSize: 3 } },
      { className: 'GlobalAveragePooling2D', config: {} },
    );
    const { report, after } = expectFixWorks([6, 6, 1], model, multiclass3);
    expect(report.issue?.message).toBe(
      'The model ends with GlobalAveragePooling2D (layer 2), which gives 8 outputs, but the data has 3 classes: add a Dense output layer with 3 units and softmax at the end',
    );
    expect(after.ok).toBe(true);
  });

  it('offers the output layer for an empty stack, and passes shape problems through', () => {
    const { report, fixed, after } = expectFixWorks([4], spec(), { kind: 'regression' });
    expect(report.issue?.message).toContain('no layers');
    expect(fixed.layers).toEqual([dense(1, 'linear')]);
    expect(after.ok).toBe(true);
    const shapeProblem = checkModelForTask(
      [64],
      spec({ className: 'Conv2D', config: { filters: 2, kernelSize: 3 } }),
      multiclass3,
    );
    expect(shapeProblem.issue?.message).toContain('Conv2D (layer 1) needs a 3-D input such as [8, 8, 1]');
  });

  it('needs the class count for a multi-class task', () => {
    const report = checkModelForTask([4], spec(dense(3, 'softmax')), { kind: 'multiclass' });
    expect(report).toMatchObject({ ok: false, issue: { layerIndex: -1 } });
    expect(report.issue?.message).toContain('needs at least 2 classes');
  });
});

describe('defaultModelSpec', () => {
  const tasks: ModelTask[] = [
    { kind: 'regression' },
    { kind: 'binary', classes: 2 },
    { kind: 'multiclass', classes: 3 },
    { kind: 'multiclass', classes: 10 },
  ];
  const shapes = [[4], [64], [8, 8, 1], [28, 28, 3], [3, 3, 1], [12, 2]];

  it.each(
    tasks.flatMap((task) =>
      shapes.map((shape) => [task.kind, task.kind === 'multiclass' ? task.classes! : 1, shape, task] as const),
    ),
  )('%s (%i outputs) on %j passes the task check and validates', (_kind, outputs, shape, task) => {
    const model = defaultModelSpec(task, [...shape]);
    expect(validateModelSpec(model)).toEqual({ ok: true, spec: model });
    const report = checkModelForTask([...shape], model, task);
    expect(report.issue).toBeUndefined();
    expect(report.outputShape).toEqual([outputs]);
  });

  it('is a small MLP for rows and a small CNN for images', () => {
    const mlp = defaultModelSpec({ kind: 'multiclass', classes: 3 }, [4]);
    expect(mlp.layers).toEqual([
      { id: 'l1', className: 'Dense', config: { units: 64, activation: 'relu' } },
      { id: 'l2', className: 'Dropout', config: { rate: 0.1 } },
      { id: 'l3', className: 'Dense', config: { units: 32, activation: 'relu' } },
      { id: 'l4', className: 'Dense', config: { units: 3, activation: 'softmax' } },
    ]);
    const cnn = defaultModelSpec({ kind: 'binary', classes: 2 }, [8, 8, 1]);
    expect(cnn.layers.map((l) => l.className)).toEqual(['Conv2D', 'MaxPooling2D', 'Flatten', 'Dense', 'Dense']);
    expect(inferShapes([8, 8, 1], cnn).layers.map((l) => l.outputShape)).toEqual([
      [8, 8, 16],
      [4, 4, 16],
      [256],
      [64],
      [1],
    ]);
  });
});

describe('summary helpers', () => {
  it('formats sizes and shapes for the UI', () => {
    expect(modelSizeBytes(1000)).toBe(4000);
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(modelSizeBytes(16_778))).toBe('65.5 KB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MB');
    expect(formatShape([8, 8, 1])).toBe('8 × 8 × 1');
    expect(formatShape([3])).toBe('3');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(999)).toBe('999');
  });
});
