/**
 * Every layer kind, every activation and every preprocessing kind: a tf.js model with random weights is
 * exported, raw values go through onnxruntime, encoded values through tf.js, and the two must agree.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVATIONS } from '../../src-main/core/model/spec.js';
import type { ActivationName, LayerSpec } from '../../src-main/core/model/spec.js';
import { RECURRENT_ONNX_ACTIVATIONS } from '../../src-main/core/model/exportability.js';
import { checkParity, exportOnnx, openOnnxModel, PARITY_TOLERANCE } from '../../src-main/core/onnx/index.js';
import { datasetRecords, defaultDataSettings, prepareData, readCsv } from '../../src-main/core/data/index.js';
import type { DataSettings, Dataset, Preprocessor } from '../../src-main/core/data/types.js';
import { buildModel, extractWeights, predictRaw } from '../../src-main/core/training/index.js';
import {
  binary,
  buildCase,
  categoryFeature,
  encodeForTf,
  makePreprocessor,
  multiclass,
  numberFeature,
  numericFeatures,
  randomRecords,
  regression,
  tfOutputsFor,
  mulberry32,
  normal,
} from './onnx-test-kit.js';
import type { RawRecord } from './onnx-test-kit.js';

const ROWS = 120;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function expectParity(layers: LayerSpec[], preprocessor: Preprocessor, seed = 7): Promise<number> {
  const built = buildCase(layers, preprocessor, seed);
  try {
    const records = randomRecords(preprocessor, ROWS, seed + 2, { unseen: ['unseen-value'] });
    const bytes = exportOnnx(built.trained, { layerlabVersion: 'test' });
    const result = await checkParity(built.trained, bytes, records, tfOutputsFor(built, records));
    expect(result.rows).toBe(ROWS);
    expect(result.maxDifference).toBeLessThanOrEqual(PARITY_TOLERANCE);
    expect(result.ok).toBe(true);
    return result.maxDifference;
  } finally {
    built.model.dispose();
  }
}

const tabular = (task = multiclass()) => makePreprocessor(numericFeatures(8), task);
/** 12 numbers read as a sequence of 6 steps × 2 features. */
const sequence = (task = multiclass()) => makePreprocessor(numericFeatures(12), task, [6, 2]);
/** 50 numbers read as a 5 × 5 image with 2 channels (odd sizes exercise TF's 'same' padding). */
const image = (task = multiclass()) => makePreprocessor(numericFeatures(50), task, [5, 5, 2]);

const head: LayerSpec = { className: 'Dense', config: { units: 3, activation: 'softmax' } };
const dense = (units: number, activation?: ActivationName): LayerSpec => ({
  className: 'Dense',
  config: { units, activation },
});

describe('activations', () => {
  it.each([...ACTIVATIONS])('Dense with activation %s', async (activation) => {
    await expectParity([dense(6, activation), head], tabular());
  });
  it.each([...ACTIVATIONS])('Activation layer %s', async (activation) => {
    await expectParity([dense(6), { className: 'Activation', config: { activation } }, head], tabular());
  });
});

describe('core and normalization layers', () => {
  it('Dense without bias, Dropout', async () => {
    await expectParity(
      [
        { className: 'Dense', config: { units: 5, useBias: false, activation: 'tanh' } },
        { className: 'Dropout', config: { rate: 0.5 } },
        head,
      ],
      tabular(),
    );
  });
  it('BatchNormalization (moving statistics, custom epsilon, without scale)', async () => {
    await expectParity(
      [
        dense(6),
        { className: 'BatchNormalization', config: {} },
        dense(4, 'relu'),
        { className: 'BatchNormalization', config: { epsilon: 0.01, scale: false } },
        head,
      ],
      tabular(),
    );
  });
  it('LayerNormalization (with and without center)', async () => {
    await expectParity(
      [
        dense(6),
        { className: 'LayerNormalization', config: {} },
        dense(5),
        { className: 'LayerNormalization', config: { epsilon: 1e-5, center: false } },
        head,
      ],
      tabular(),
    );
  });
  it('Reshape and Flatten keep tf.js element order', async () => {
    await expectParity(
      [
        dense(12),
        { className: 'Reshape', config: { targetShape: [4, 3] } },
        { className: 'Conv1D', config: { filters: 2, kernelSize: 2 } },
        { className: 'Reshape', config: { targetShape: [2, 3] } },
        { className: 'Flatten', config: {} },
        head,
      ],
      tabular(),
    );
  });
  it('BatchNormalization on channels of a sequence', async () => {
    await expectParity(
      [{ className: 'BatchNormalization', config: {} }, { className: 'Flatten', config: {} }, head],
      sequence(),
    );
  });
});

describe('convolution and pooling', () => {
  it('Conv1D valid and same (stride 2), then Flatten', async () => {
    await expectParity(
      [
        { className: 'Conv1D', config: { filters: 4, kernelSize: 3, activation: 'relu' } },
        { className: 'Conv1D', config: { filters: 3, kernelSize: 2, strides: 2, padding: 'same', activation: 'elu' } },
        { className: 'Flatten', config: {} },
        head,
      ],
      sequence(),
    );
  });
  it('Conv1D with softmax activation and without bias', async () => {
    await expectParity(
      [
        { className: 'Conv1D', config: { filters: 3, kernelSize: 2, activation: 'softmax', useBias: false } },
        { className: 'Flatten', config: {} },
        head,
      ],
      sequence(),
    );
  });
  it('MaxPooling1D and AveragePooling1D, valid and same', async () => {
    await expectParity(
      [
        { className: 'Conv1D', config: { filters: 3, kernelSize: 1 } },
        { className: 'MaxPooling1D', config: { poolSize: 2, padding: 'same', strides: 1 } },
        { className: 'AveragePooling1D', config: { poolSize: 2, padding: 'same' } },
        { className: 'MaxPooling1D', config: {} },
        { className: 'Flatten', config: {} },
        head,
      ],
      sequence(),
    );
  });
  it('AveragePooling1D valid and GlobalAveragePooling1D', async () => {
    await expectParity(
      [
        { className: 'AveragePooling1D', config: { poolSize: 3, strides: 1 } },
        { className: 'GlobalAveragePooling1D', config: {} },
        head,
      ],
      sequence(),
    );
  });
  it('Conv2D same with stride 2 on odd sizes, Conv2D valid, Flatten', async () => {
    await expectParity(
      [
        { className: 'Conv2D', config: { filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' } },
        { className: 'Conv2D', config: { filters: 3, kernelSize: [2, 1] } },
        { className: 'Flatten', config: {} },
        head,
      ],
      image(),
    );
  });
  it('MaxPooling2D and AveragePooling2D same (padding left out of the average)', async () => {
    await expectParity(
      [
        { className: 'Conv2D', config: { filters: 3, kernelSize: 1, activation: 'swish' } },
        { className: 'AveragePooling2D', config: { poolSize: 3, strides: 2, padding: 'same' } },
        { className: 'MaxPooling2D', config: { poolSize: 2, strides: 1, padding: 'same' } },
        { className: 'Flatten', config: {} },
        head,
      ],
      image(),
    );
  });
  it('MaxPooling2D and AveragePooling2D valid, GlobalAveragePooling2D', async () => {
    await expectParity(
      [
        { className: 'MaxPooling2D', config: { poolSize: [2, 2], strides: 1 } },
        { className: 'AveragePooling2D', config: {} },
        { className: 'Conv2D', config: { filters: 2, kernelSize: 1 } },
        { className: 'GlobalAveragePooling2D', config: {} },
        head,
      ],
      image(),
    );
  });
});

describe('recurrent layers', () => {
  const supported = Object.keys(RECURRENT_ONNX_ACTIVATIONS) as ActivationName[];
  it.each(supported)('SimpleRNN with activation %s', async (activation) => {
    await expectParity([{ className: 'SimpleRNN', config: { units: 4, activation } }, head], sequence());
  });
  it.each(supported)('LSTM with gate activation %s', async (recurrentActivation) => {
    await expectParity(
      [
        {
          className: 'LSTM',
          config: { units: 3, recurrentActivation, activation: recurrentActivation === 'tanh' ? 'softsign' : 'tanh' },
        },
        head,
      ],
      sequence(),
    );
  });
  it.each(supported)('GRU with activation %s', async (activation) => {
    await expectParity([{ className: 'GRU', config: { units: 3, activation } }, head], sequence());
  });
  it('defaults, returnSequences into a second recurrent layer and into Flatten', async () => {
    await expectParity(
      [
        { className: 'LSTM', config: { units: 4, returnSequences: true } },
        { className: 'GRU', config: { units: 3, returnSequences: true, recurrentActivation: 'sigmoid' } },
        { className: 'SimpleRNN', config: { units: 2, returnSequences: true, useBias: false } },
        { className: 'Flatten', config: {} },
        head,
      ],
      sequence(),
    );
  });
  it('Conv1D into LSTM', async () => {
    await expectParity(
      [
        { className: 'Conv1D', config: { filters: 3, kernelSize: 2, padding: 'same' } },
        { className: 'LSTM', config: { units: 3, useBias: false } },
        head,
      ],
      sequence(),
    );
  });
});

describe('output heads', () => {
  it('binary with one sigmoid unit writes [1 − p, p] and the label at p ≥ 0.5', async () => {
    const preprocessor = tabular(binary(['no', 'yes']));
    const built = buildCase([dense(4, 'tanh'), dense(1, 'sigmoid')], preprocessor, 11);
    const records = randomRecords(preprocessor, ROWS, 5);
    const tfOut = tfOutputsFor(built, records);
    const model = await openOnnxModel(exportOnnx(built.trained, { layerlabVersion: 'test' }));
    const table = await model.runRecords(records);
    await model.close();
    built.model.dispose();
    expect(table.columns).toEqual(['probability_no', 'probability_yes', 'label']);
    table.rows.forEach((row, i) => {
      expect(Math.abs((row[1] as number) - tfOut[i]!)).toBeLessThanOrEqual(PARITY_TOLERANCE);
      expect((row[0] as number) + (row[1] as number)).toBeCloseTo(1, 6);
      expect(row[2]).toBe(tfOut[i]! >= 0.5 ? 'yes' : 'no');
    });
    expect(new Set(table.rows.map((r) => r[2])).size).toBe(2);
  });

  it('binary with a two-unit softmax and multiclass give labels by argmax', async () => {
    for (const [task, units] of [
      [binary(['cat', 'dog']), 2],
      [multiclass(['x', 'y', 'z', 'w']), 4],
    ] as const) {
      const preprocessor = tabular(task);
      const built = buildCase([dense(5, 'relu'), dense(units, 'softmax')], preprocessor, 13);
      const records = randomRecords(preprocessor, ROWS, 6);
      const tfOut = tfOutputsFor(built, records);
      const model = await openOnnxModel(exportOnnx(built.trained, { layerlabVersion: 'test' }));
      const table = await model.runRecords(records);
      await model.close();
      built.model.dispose();
      expect(table.columns).toEqual([...task.labels!.map((l) => `probability_${l}`), 'label']);
      table.rows.forEach((row, i) => {
        const scores = Array.from(tfOut.subarray(i * units, (i + 1) * units));
        expect(row[units]).toBe(task.labels![scores.indexOf(Math.max(...scores))]);
      });
    }
  });

  it('regression predictions come back in the target units', async () => {
    const preprocessor = makePreprocessor(numericFeatures(8), regression(), undefined, { mean: 150, std: 40 });
    const built = buildCase([dense(6, 'relu'), dense(1)], preprocessor, 17);
    const records = randomRecords(preprocessor, ROWS, 8);
    const tfOut = tfOutputsFor(built, records);
    const bytes = exportOnnx(built.trained, { layerlabVersion: 'test' });
    const model = await openOnnxModel(bytes);
    const table = await model.runRecords(records);
    await model.close();
    expect(table.columns).toEqual(['prediction']);
    table.rows.forEach((row, i) => expect(row[0] as number).toBeCloseTo(tfOut[i]! * 40 + 150, 2));
    const parity = await checkParity(built.trained, bytes, records, tfOut);
    built.model.dispose();
    expect(parity.ok).toBe(true);
  });
});

describe('preprocessing inside the graph', () => {
  /** A model that passes its input through unchanged, so the ONNX output is the encoded row itself. */
  async function encodeWithOnnx(preprocessor: Preprocessor, records: RawRecord[]): Promise<number[][]> {
    const built = buildCase([{ className: 'Activation', config: { activation: 'linear' } }], preprocessor);
    built.model.dispose();
    const model = await openOnnxModel(exportOnnx(built.trained, { layerlabVersion: 'test' }));
    const table = await model.runRecords(records);
    await model.close();
    return table.rows as number[][];
  }

  const mixed = makePreprocessor(
    [
      numberFeature('age', { kind: 'standardize', mean: 40, std: 12 }, 38),
      numberFeature('income', { kind: 'minmax', min: 1000, max: 9000 }, 4200),
      numberFeature('count', { kind: 'none' }, 2),
      categoryFeature('color', ['red', 'green', 'blue'], 'onehot', null),
      categoryFeature('size', ['S', 'M', 'L'], 'ordinal', 'M'),
      categoryFeature('shape', ['round', 'square'], 'onehot', 'square'),
      categoryFeature('grade', ['1', '2', '3'], 'ordinal', null),
    ],
    { kind: 'regression', target: 'y' },
  );

  it('standardize, minmax, none, imputation, one-hot and ordinal match the reference encoding', async () => {
    const records = randomRecords(mixed, ROWS, 21, { unseen: ['violet'], missingShare: 0.15 });
    const onnxRows = await encodeWithOnnx(mixed, records);
    const expected = encodeForTf(mixed, records);
    const width = mixed.encodedWidth;
    let max = 0;
    onnxRows.forEach((row, r) =>
      row.forEach((v, k) => {
        max = Math.max(max, Math.abs(v - expected[r * width + k]!));
      }),
    );
    expect(max).toBeLessThanOrEqual(1e-6);
    expect(records.some((r) => r.color === 'violet')).toBe(true);
    expect(records.some((r) => r.age === null)).toBe(true);
  });

  it('spells out each encoding on hand-written rows', async () => {
    const rows = await encodeWithOnnx(mixed, [
      { age: 52, income: '5000', count: 3, color: 'blue', size: 'L', shape: 'round', grade: 2 },
      // Unseen categories: all zeros in one-hot, -1 as ordinal; never another category.
      { age: null, income: null, count: 'NA', color: 'violet', size: 'XL', shape: 'hexagon', grade: '7' },
      // Missing categories: the fill when there is one, otherwise treated as unseen.
      { age: ' 28 ', income: 9000, count: -1.5, color: null, size: '', shape: null, grade: null },
    ]);
    // age, income, count, red, green, blue, size, round, square, grade
    expect(rows[0]).toEqual([1, 0.5, 3, 0, 0, 1, 2, 1, 0, 1].map((v) => expect.closeTo(v, 6)));
    expect(rows[1]).toEqual(
      [(38 - 40) / 12, (4200 - 1000) / 8000, 2, 0, 0, 0, -1, 0, 0, -1].map((v) => expect.closeTo(v, 6)),
    );
    expect(rows[2]).toEqual([-1, 1, -1.5, 0, 0, 0, 1, 0, 1, -1].map((v) => expect.closeTo(v, 6)));
  });

  it('image reshape: columns fill the image row by row, channels last', async () => {
    const features = Array.from({ length: 8 }, (_, i) => numberFeature(`px${i}`, { kind: 'minmax', min: 0, max: 16 }));
    const preprocessor = makePreprocessor(features, multiclass(['a', 'b']), [2, 2, 2]);
    const built = buildCase(
      [
        { className: 'Conv2D', config: { filters: 2, kernelSize: 2 } },
        { className: 'Flatten', config: {} },
        dense(2, 'softmax'),
      ],
      preprocessor,
      31,
    );
    const random = mulberry32(4);
    const records = Array.from({ length: ROWS }, () =>
      Object.fromEntries(features.map((f) => [f.name, Math.round(16 * random())])),
    );
    const parity = await checkParity(
      built.trained,
      exportOnnx(built.trained, { layerlabVersion: 'test' }),
      records,
      tfOutputsFor(built, records),
    );
    built.model.dispose();
    expect(parity.maxDifference).toBeLessThanOrEqual(PARITY_TOLERANCE);
  });

  it('mixed categorical and numeric columns through a hidden layer', async () => {
    await expectParity([dense(8, 'selu'), dense(3, 'softmax')], makePreprocessor(mixed.features, multiclass()));
  });
});

describe('trained models', () => {
  /** A learnable rule on the raw columns, so fit() moves the weights far from their start. */
  function trainingSet(preprocessor: Preprocessor, rows: number, seed: number): { records: RawRecord[]; y: tf.Tensor } {
    const records = randomRecords(preprocessor, rows, seed, { missingShare: 0 });
    const x = encodeForTf(preprocessor, records);
    const width = preprocessor.encodedWidth;
    const labels = records.map((_, r) => {
      const s = x[r * width]! + x[r * width + 1]! - x[r * width + 2]!;
      return s < -0.5 ? 0 : s < 0.5 ? 1 : 2;
    });
    return { records, y: tf.oneHot(tf.tensor1d(labels, 'int32'), 3) };
  }

  async function trainAndCompare(layers: LayerSpec[], preprocessor: Preprocessor): Promise<void> {
    const built = buildCase(layers, preprocessor, 3);
    const { records, y } = trainingSet(preprocessor, 240, 41);
    const x = tf.tensor(encodeForTf(preprocessor, records), [records.length, ...preprocessor.inputShape]);
    built.model.compile({ optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy' });
    const history = await built.model.fit(x, y, { epochs: 4, batchSize: 32, verbose: 0 });
    tf.dispose([x, y]);
    const losses = history.history.loss as number[];
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]!);
    const trained = { ...built.trained, weights: extractWeights(built.model) };
    const fresh = randomRecords(preprocessor, ROWS, 43);
    const parity = await checkParity(
      trained,
      exportOnnx(trained, { layerlabVersion: 'test' }),
      fresh,
      tfOutputsFor(built, fresh),
    );
    built.model.dispose();
    expect(parity.maxDifference).toBeLessThanOrEqual(PARITY_TOLERANCE);
  }

  it('Dense after training', async () => {
    await trainAndCompare(
      [dense(16, 'relu'), { className: 'BatchNormalization', config: {} }, dense(3, 'softmax')],
      tabular(),
    );
  });
  it('Conv1D after training', async () => {
    await trainAndCompare(
      [
        { className: 'Conv1D', config: { filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' } },
        { className: 'MaxPooling1D', config: {} },
        { className: 'Flatten', config: {} },
        head,
      ],
      sequence(),
    );
  });
  it('LSTM after training', async () => {
    await trainAndCompare([{ className: 'LSTM', config: { units: 6 } }, head], sequence());
  });
});

// Keeps the seeded helpers honest: the same seed gives the same records.
it('random records are reproducible', () => {
  const p = tabular();
  expect(randomRecords(p, 5, 1)).toEqual(randomRecords(p, 5, 1));
  expect(Number.isFinite(normal(mulberry32(2)))).toBe(true);
});

describe('real datasets through core/data', () => {
  async function fitAndCheck(
    file: string,
    layers: LayerSpec[],
    settings?: (d: Dataset, s: DataSettings) => DataSettings,
  ): Promise<void> {
    const dataset = await readCsv(join(__dirname, '..', 'fixtures', file));
    const defaults = defaultDataSettings(dataset);
    const prepared = prepareData(dataset, settings ? settings(dataset, defaults) : defaults);
    const { task, inputShape } = prepared.preprocessor;
    const model = buildModel({ version: 1, layers }, inputShape, 5);
    const { train } = prepared;
    const x = tf.tensor(train.x, [train.count, ...inputShape]);
    const labels = task.labels ?? [];
    const y =
      task.kind === 'multiclass'
        ? tf.oneHot(tf.tensor1d(train.y, 'int32'), labels.length)
        : tf.tensor2d(train.y, [train.count, 1]);
    const loss =
      task.kind === 'multiclass'
        ? 'categoricalCrossentropy'
        : task.kind === 'binary'
          ? 'binaryCrossentropy'
          : 'meanSquaredError';
    model.compile({ optimizer: tf.train.adam(0.01), loss });
    await model.fit(x, y, { epochs: 3, batchSize: 64, verbose: 0 });
    tf.dispose([x, y]);
    const trained = {
      spec: { version: 1 as const, layers },
      preprocessor: prepared.preprocessor,
      weights: extractWeights(model),
    };
    const split = prepared.validation;
    const records = datasetRecords(dataset, split.rows);
    const tfOut = predictRaw(model, split.x, split.count);
    model.dispose();
    const parity = await checkParity(
      trained,
      exportOnnx(trained, { layerlabVersion: 'test', datasetHash: dataset.hash }),
      records,
      tfOut,
    );
    expect(parity.rows).toBe(split.count);
    expect(parity.rows).toBeGreaterThan(20);
    expect(parity.maxDifference).toBeLessThanOrEqual(PARITY_TOLERANCE);
  }

  it('auto_mpg: regression with missing horsepower and a text column', async () => {
    await fitAndCheck('auto_mpg.csv', [dense(8, 'relu'), dense(1)]);
  });
  it('breast_cancer: binary with one sigmoid unit', async () => {
    await fitAndCheck('breast_cancer.csv', [
      dense(8, 'relu'),
      { className: 'Dropout', config: { rate: 0.2 } },
      dense(1, 'sigmoid'),
    ]);
  });
  it('digits: 64 pixel columns reshaped to 8×8×1 for Conv2D', async () => {
    await fitAndCheck(
      'digits.csv',
      [
        { className: 'Conv2D', config: { filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' } },
        { className: 'MaxPooling2D', config: {} },
        { className: 'Flatten', config: {} },
        dense(10, 'softmax'),
      ],
      (_d, s) => ({ ...s, image: { shape: [8, 8, 1] } }),
    );
  });
});
