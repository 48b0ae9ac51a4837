/**
 * LayerLab's own models from the outside: what inspectOnnx reads back, how records are matched to inputs,
 * predictions for a real CSV file, and the export check failing when the runtimes disagree.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../../src-main/core/data/read-csv.js';
import { datasetRecords } from '../../src-main/core/data/rows.js';
import {
  checkParity,
  exportOnnx,
  inspectOnnx,
  openOnnxModel,
  PARITY_TOLERANCE,
  predictCsv,
  predictionsCsvText,
  writePredictionsCsv,
} from '../../src-main/core/onnx/index.js';
import {
  buildCase,
  categoryFeature,
  makePreprocessor,
  multiclass,
  numberFeature,
  randomRecords,
  tfOutputsFor,
} from './onnx-test-kit.js';

const dir = mkdtempSync(join(tmpdir(), 'layerlab-runner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const preprocessor = makePreprocessor(
  [
    numberFeature('petal length', { kind: 'standardize', mean: 3.7, std: 1.7 }, 4.35),
    numberFeature('weight', { kind: 'minmax', min: 0, max: 10 }, 5),
    categoryFeature('colour', ['red', 'green'], 'onehot', null),
  ],
  multiclass(['setosa', 'versicolor', 'virginica']),
);

function exported(meta = {}) {
  const built = buildCase(
    [
      { className: 'Dense', config: { units: 4, activation: 'relu' } },
      { className: 'Dense', config: { units: 3, activation: 'softmax' } },
    ],
    preprocessor,
    5,
  );
  const bytes = exportOnnx(built.trained, { layerlabVersion: '1.2.3', ...meta });
  return { built, bytes };
}

describe('inspectOnnx on an exported model', () => {
  it('reads producer, opset, inputs named after the columns with a batch dimension, and the outputs', () => {
    const { built, bytes } = exported();
    built.model.dispose();
    const info = inspectOnnx(bytes);
    expect(info.producer).toBe('LayerLab');
    expect(info.producerVersion).toBe('1.2.3');
    expect(info.irVersion).toBe(8);
    expect(info.opset).toBe(17);
    expect(info.opsets).toContainEqual({ domain: 'ai.onnx.ml', version: 3 });
    expect(info.inputs).toEqual([
      { name: 'petal length', type: 'float32', shape: ['batch', 1] },
      { name: 'weight', type: 'float32', shape: ['batch', 1] },
      { name: 'colour', type: 'string', shape: ['batch', 1] },
    ]);
    expect(info.outputs).toEqual([
      { name: 'probabilities', type: 'float32', shape: ['batch', 3] },
      { name: 'label', type: 'string', shape: ['batch'] },
    ]);
  });

  it('round-trips the metadata: version, features, labels, preprocessing, dataset hash, metrics', () => {
    const { built, bytes } = exported({
      datasetHash: 'abc123',
      validationMetrics: { valAccuracy: 0.93, valLoss: 0.21 },
    });
    const info = inspectOnnx(bytes);
    expect(info.metadata.layerlab_version).toBe('1.2.3');
    expect(info.metadata.dataset_hash).toBe('abc123');
    expect(JSON.parse(info.metadata.validation_metrics!)).toEqual({ valAccuracy: 0.93, valLoss: 0.21 });
    expect(info.layerlab).toEqual({
      layerlabVersion: '1.2.3',
      task: preprocessor.task,
      features: [
        { name: 'petal length', kind: 'number' },
        { name: 'weight', kind: 'number' },
        { name: 'colour', kind: 'category' },
      ],
      classLabels: ['setosa', 'versicolor', 'virginica'],
      preprocessing: preprocessor,
      modelSpec: built.trained.spec,
      datasetHash: 'abc123',
      validationMetrics: { valAccuracy: 0.93, valLoss: 0.21 },
    });
    built.model.dispose();
  });
});

describe('runRecords', () => {
  it('matches columns by name, parses numbers given as text, and treats empty cells as missing', async () => {
    const { built, bytes } = exported();
    const model = await openOnnxModel(bytes);
    const asNumbers = await model.runRecords([{ colour: 'red', weight: 2.5, 'petal length': 1.25, extra: 'ignored' }]);
    const asText = await model.runRecords([{ 'petal length': ' 1.25', weight: '2.5', colour: ' red ' }]);
    expect(asText).toEqual(asNumbers);
    const missing = await model.runRecords([{ 'petal length': null, weight: 'NA', colour: '' }]);
    const filled = await model.runRecords([{ 'petal length': 4.35, weight: 5, colour: 'never seen' }]);
    expect(missing).toEqual(filled);
    expect(asNumbers.columns).toEqual([
      'probability_setosa',
      'probability_versicolor',
      'probability_virginica',
      'label',
    ]);
    await model.close();
    built.model.dispose();
  });

  it('gives the columns and no rows for no records, and refuses an empty tensor batch', async () => {
    const { built, bytes } = exported();
    built.model.dispose();
    const model = await openOnnxModel(bytes);
    expect(await model.runRecords([])).toEqual({
      columns: ['probability_setosa', 'probability_versicolor', 'probability_virginica', 'label'],
      rows: [],
    });
    const feeds = Object.fromEntries(
      model.info.inputs.map((i) => [
        i.name,
        new ort.Tensor(
          i.type === 'string' ? 'string' : 'float32',
          i.type === 'string' ? [] : new Float32Array(0),
          [0, 1],
        ),
      ]),
    );
    await expect(model.runFeeds(feeds)).rejects.toThrow(
      'Input "petal length" has no values (shape [0, 1]); give at least one row.',
    );
    await model.close();
  });

  it('names a missing column and a value that is not a number', async () => {
    const { built, bytes } = exported();
    const model = await openOnnxModel(bytes);
    await expect(model.runRecords([{ 'petal length': 1, colour: 'red' }])).rejects.toThrow(
      'The data has no column "weight", which the model needs as input. Columns given: "petal length", "colour". Add the column (its values may be empty).',
    );
    await expect(
      model.runRecords([
        { 'petal length': 1, weight: 2, colour: 'red' },
        { 'petal length': 'tall', weight: 2, colour: 'red' },
      ]),
    ).rejects.toThrow(
      'Column "petal length", row 2: "tall" is not a number, but the model takes numbers in this column. Fix the value or leave the cell empty.',
    );
    await model.close();
    built.model.dispose();
  });
});

describe('predictCsv on a real file', () => {
  it('predicts every iris row, matching tf.js, and writes inputs + probabilities + label', async () => {
    const csvPath = join(__dirname, '..', 'fixtures', 'iris.csv');
    const dataset = await readCsv(csvPath);
    const names = ['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm'];
    const features = names.map((name) => {
      const stats = dataset.columns.find((c) => c.name === name)!.stats;
      return numberFeature(name, { kind: 'standardize', mean: stats.mean!, std: stats.std! }, stats.mean!);
    });
    const irisPreprocessor = makePreprocessor(features, multiclass(['setosa', 'versicolor', 'virginica']));
    const built = buildCase(
      [
        { className: 'Dense', config: { units: 6, activation: 'tanh' } },
        { className: 'Dense', config: { units: 3, activation: 'softmax' } },
      ],
      irisPreprocessor,
      9,
    );
    const modelPath = join(dir, 'iris.onnx');
    writeFileSync(modelPath, exportOnnx(built.trained, { layerlabVersion: 'test' }));
    const outPath = join(dir, 'iris-predictions.csv');
    const result = await predictCsv(modelPath, csvPath, outPath);
    const tfOut = tfOutputsFor(built, datasetRecords(dataset));
    built.model.dispose();

    expect(result.rows).toHaveLength(150);
    result.rows.forEach((row, r) =>
      row
        .slice(0, 3)
        .forEach((p, k) => expect(Math.abs((p as number) - tfOut[r * 3 + k]!)).toBeLessThanOrEqual(PARITY_TOLERANCE)),
    );
    const lines = readFileSync(outPath, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(151);
    expect(lines[0]).toBe(
      'sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,species,probability_setosa,probability_versicolor,probability_virginica,label',
    );
    expect(lines[1]?.startsWith('5.1,3.5,1.4,0.2,setosa,')).toBe(true);
    expect(['setosa', 'versicolor', 'virginica']).toContain(lines[1]?.split(',').at(-1));
    expect(result.csv).toBe(readFileSync(outPath, 'utf8'));
  });

  it('names the file and line of a bad value', async () => {
    const csvPath = join(dir, 'bad.csv');
    // A column of words where the model expects numbers: the reader keeps it as text.
    writeFileSync(csvPath, ['petal length,weight,colour', 'short,3,green', 'tall,3,red'].join('\n'));
    const { built, bytes } = exported();
    built.model.dispose();
    const modelPath = join(dir, 'small.onnx');
    writeFileSync(modelPath, bytes);
    await expect(predictCsv(modelPath, join(dir, 'nowhere.csv'))).rejects.toThrow(/nowhere\.csv not found/);
    writeFileSync(join(dir, 'no-weight.csv'), 'petal length,colour\n1,red\n');
    await expect(predictCsv(modelPath, join(dir, 'no-weight.csv'))).rejects.toThrow(
      'no-weight.csv has no column "weight"',
    );
    await expect(predictCsv(modelPath, csvPath)).rejects.toThrow(
      'Column "petal length", line 2 of bad.csv: "short" is not a number',
    );
  });
});

describe('predictions CSV', () => {
  it('quotes cells with commas, quotes, line breaks or edge spaces, and renames clashing columns', async () => {
    const records = [
      { name: 'a, b', note: 'say "hi"', label: 'x' },
      { name: 'line\nbreak', note: ' padded', label: null },
    ];
    const table = {
      columns: ['score', 'label'],
      rows: [
        [0.5, 'yes'],
        [1, 'no, really'],
      ],
    };
    const path = join(dir, 'quoted.csv');
    await writePredictionsCsv(path, records, table);
    expect(readFileSync(path, 'utf8')).toBe(
      'name,note,label,score,predicted_label\n' +
        '"a, b","say ""hi""",x,0.5,yes\n' +
        '"line\nbreak"," padded",,1,"no, really"\n',
    );
    expect(predictionsCsvText(records, table)).toBe(readFileSync(path, 'utf8'));
  });
});

describe('checkParity', () => {
  it('reports a failed export when the ONNX weights differ from the tf.js model', async () => {
    const { built } = exported();
    const records = randomRecords(preprocessor, 100, 3);
    const tfOut = tfOutputsFor(built, records);
    built.model.dispose();
    const tampered = {
      ...built.trained,
      weights: built.trained.weights.map((w, i) => (i === 0 ? { ...w, values: w.values.map((v) => v * 1.5) } : w)),
    };
    const result = await checkParity(tampered, exportOnnx(tampered, { layerlabVersion: 'test' }), records, tfOut);
    expect(result.rows).toBe(100);
    expect(result.ok).toBe(false);
    expect(result.maxDifference).toBeGreaterThan(PARITY_TOLERANCE);
    const same = await checkParity(
      built.trained,
      exportOnnx(built.trained, { layerlabVersion: 'test' }),
      records,
      tfOut,
    );
    expect(same.ok).toBe(true);
  });
});
