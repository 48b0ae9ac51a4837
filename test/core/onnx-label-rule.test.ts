/**
 * The runner works out a LayerLab classifier's `label` from its probabilities (label-rule.ts). These tests hold
 * it to the graph's own `label` output, read with onnxruntime's public session on the same file: real CSV
 * fixtures and models trained on them, every way a user gets predictions (tensors, records, the window's
 * columns, the CLI's CSV), ties, NaN rows, and graphs whose rule differs from what LayerLab writes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetRecords, defaultDataSettings, prepareData, readCsv } from '../../src-main/core/data/index.js';
import type { Dataset } from '../../src-main/core/data/types.js';
import type { ActivationName, LayerSpec } from '../../src-main/core/model/spec.js';
import { exportOnnx, onnx, openOnnxModel, predictCsv } from '../../src-main/core/onnx/index.js';
import { readLabelRule } from '../../src-main/core/onnx/label-rule.js';
import { datasetColumns, recordFeeds } from '../../src-main/core/onnx/record-feeds.js';
import { buildModel, extractWeights } from '../../src-main/core/training/index.js';
import type { TrainedModel } from '../../src-main/core/training/types.js';

const fixtures = join(__dirname, '..', 'fixtures');
const dir = mkdtempSync(join(tmpdir(), 'layerlab-label-rule-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const dense = (units: number, activation?: ActivationName): LayerSpec => ({
  className: 'Dense',
  config: activation ? { units, activation } : { units },
});

interface Trained {
  csvPath: string;
  dataset: Dataset;
  trained: TrainedModel;
  bytes: Uint8Array;
}

/** A model trained for a few epochs on a CSV file with LayerLab's own preparation, exported in the full profile. */
async function trainOn(csvPath: string, layers: LayerSpec[], zeroWeights = false): Promise<Trained> {
  const dataset = await readCsv(csvPath);
  const prepared = prepareData(dataset, defaultDataSettings(dataset));
  const { task, inputShape } = prepared.preprocessor;
  const model = buildModel({ version: 1, layers }, inputShape, 3);
  const width = (layers.at(-1)!.config as { units: number }).units;
  const { train } = prepared;
  const x = tf.tensor(train.x, [train.count, ...inputShape]);
  const y = width > 1 ? tf.oneHot(tf.tensor1d(train.y, 'int32'), width) : tf.tensor2d(train.y, [train.count, 1]);
  model.compile({ optimizer: tf.train.adam(0.01), loss: width > 1 ? 'categoricalCrossentropy' : 'binaryCrossentropy' });
  await model.fit(x, y, { epochs: 3, batchSize: 32, verbose: 0 });
  tf.dispose([x, y]);
  if (zeroWeights) {
    const zeros = model.getWeights().map((w) => tf.zerosLike(w));
    model.setWeights(zeros);
    tf.dispose(zeros);
  }
  expect(task.kind === 'binary' || task.kind === 'multiclass').toBe(true);
  const trained: TrainedModel = {
    spec: { version: 1, layers },
    preprocessor: prepared.preprocessor,
    weights: extractWeights(model),
  };
  model.dispose();
  return { csvPath, dataset, trained, bytes: exportOnnx(trained, { layerlabVersion: 'test' }) };
}

/** What the graph itself answers: onnxruntime's public session, every output fetched. */
async function graphOutputs(bytes: Uint8Array, feeds: Record<string, ort.Tensor>) {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

const labelColumn = (table: { columns: string[]; rows: unknown[][] }) => {
  const at = table.columns.indexOf('label');
  expect(at).toBeGreaterThan(0);
  return table.rows.map((row) => row[at]);
};

/** The graph's labels for every row of the file, and the runner's in each way predictions are asked for. */
async function expectSameLabels({ csvPath, dataset, bytes }: Trained): Promise<string[]> {
  const modelPath = join(dir, 'model.onnx');
  writeFileSync(modelPath, bytes);
  const model = await openOnnxModel(modelPath);
  try {
    const records = datasetRecords(dataset);
    const feeds = recordFeeds(model.info.inputs, records);
    const graph = await graphOutputs(bytes, feeds);
    const expected = Array.from(graph.label!.data as string[]);
    expect(expected).toHaveLength(dataset.rowCount);

    const outputs = await model.runFeeds(feeds);
    expect(outputs.label!.type).toBe('string');
    expect(outputs.label!.dims).toEqual(graph.label!.dims);
    expect(Array.from(outputs.label!.data as string[])).toEqual(expected);
    expect(Array.from(outputs.probabilities!.data as Float32Array)).toEqual(
      Array.from(graph.probabilities!.data as Float32Array),
    );
    expect(labelColumn(await model.runRecords(records))).toEqual(expected);
    expect(labelColumn(await model.runColumns(datasetColumns(dataset)))).toEqual(expected);
    // One row at a time goes through the single-row session and packed columns: the same answer per row.
    for (const r of [0, Math.floor(records.length / 2), records.length - 1]) {
      expect((await model.runRecords([records[r]!])).rows[0]!.at(-1)).toBe(expected[r]);
    }
    const csv = await predictCsv(modelPath, csvPath, join(dir, 'out.csv'));
    expect(labelColumn(csv)).toEqual(expected);
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe(csv.csv);
    return expected;
  } finally {
    await model.close();
  }
}

const ruleOf = (bytes: Uint8Array) => readLabelRule(onnx.ModelProto.decode(bytes));

describe('labels from probabilities equal the graph’s own label output', () => {
  it('iris: three classes by the first largest probability', async () => {
    const case_ = await trainOn(join(fixtures, 'iris.csv'), [dense(8, 'relu'), dense(3, 'softmax')]);
    expect(ruleOf(case_.bytes)).not.toBeNull();
    const labels = await expectSameLabels(case_);
    expect(new Set(labels).size).toBeGreaterThan(1);
  });

  it('breast cancer: one sigmoid unit against the threshold, and two softmax units by the largest', async () => {
    for (const head of [dense(1, 'sigmoid'), dense(2, 'softmax')]) {
      const case_ = await trainOn(join(fixtures, 'breast_cancer.csv'), [dense(8, 'relu'), head]);
      expect(ruleOf(case_.bytes)).not.toBeNull();
      const labels = await expectSameLabels(case_);
      expect(new Set(labels)).toEqual(new Set(['benign', 'malignant']));
    }
  });

  it('moons: a binary target of two words', async () => {
    const case_ = await trainOn(join(fixtures, 'moons.csv'), [dense(8, 'tanh'), dense(1, 'sigmoid')]);
    const labels = await expectSameLabels(case_);
    expect(new Set(labels)).toEqual(new Set(['upper', 'lower']));
  });

  it('a categorical target with unusual names: commas, quotes, edge spaces, non-Latin text, digits', async () => {
    const names: Record<string, string> = {
      class_0: 'a, "quoted" one',
      class_1: 'Ünïcödé 🌿 数',
      class_2: '007 (text)',
    };
    const text = readFileSync(join(fixtures, 'wine.csv'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line, i) => {
        if (i === 0) return line;
        const cut = line.lastIndexOf(',');
        const name = names[line.slice(cut + 1)]!;
        return `${line.slice(0, cut)},"${name.replace(/"/g, '""')}"`;
      })
      .join('\n');
    const csvPath = join(dir, 'wine-unusual.csv');
    writeFileSync(csvPath, `${text}\n`);
    const case_ = await trainOn(csvPath, [dense(8, 'relu'), dense(3, 'softmax')]);
    expect(case_.trained.preprocessor.task.labels?.slice().sort()).toEqual(Object.values(names).sort());
    const labels = await expectSameLabels(case_);
    expect(new Set(labels).size).toBeGreaterThan(1);
    labels.forEach((label) => expect(Object.values(names)).toContain(label));
  });
});

describe('ties and values that are not numbers', () => {
  it('equal probabilities give the first class under argmax and the second at exactly the threshold', async () => {
    const multi = await trainOn(join(fixtures, 'iris.csv'), [dense(4, 'relu'), dense(3, 'softmax')], true);
    const multiLabels = await expectSameLabels(multi);
    expect(new Set(multiLabels)).toEqual(new Set([multi.trained.preprocessor.task.labels![0]]));
    const binary = await trainOn(join(fixtures, 'moons.csv'), [dense(4, 'relu'), dense(1, 'sigmoid')], true);
    const binaryLabels = await expectSameLabels(binary);
    expect(new Set(binaryLabels)).toEqual(new Set([binary.trained.preprocessor.task.labels![1]]));
  });

  it('a row whose probabilities are NaN gets the label onnxruntime gives it', async () => {
    const case_ = await trainOn(join(fixtures, 'iris.csv'), [dense(8), dense(3, 'softmax')]);
    const model = await openOnnxModel(case_.bytes);
    try {
      const records = datasetRecords(case_.dataset).slice(0, 4);
      const feeds = recordFeeds(model.info.inputs, records);
      // Infinite measurements make opposite infinite logits, whose softmax is NaN.
      for (const input of model.info.inputs) {
        const data = feeds[input.name]!.data as Float32Array;
        data[1] = Infinity;
        data[2] = -Infinity;
      }
      const graph = await graphOutputs(case_.bytes, feeds);
      const ours = await model.runFeeds(feeds);
      expect(Array.from(ours.probabilities!.data as Float32Array).some(Number.isNaN)).toBe(true);
      expect(Array.from(ours.label!.data as string[])).toEqual(Array.from(graph.label!.data as string[]));
    } finally {
      await model.close();
    }
  });
});

/** The exported file with one change made to its graph. */
function edited(bytes: Uint8Array, edit: (graph: onnx.IGraphProto) => void): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  edit(model.graph!);
  return onnx.ModelProto.encode(model).finish();
}

describe('graphs with another rule', () => {
  it('a different threshold constant in the file is the one applied', async () => {
    const case_ = await trainOn(join(fixtures, 'moons.csv'), [dense(8, 'tanh'), dense(1, 'sigmoid')]);
    const before = await expectSameLabels(case_);
    const bytes = edited(case_.bytes, (graph) => {
      const threshold = graph.initializer!.find((t) => t.name?.startsWith('threshold'))!;
      threshold.rawData = new Uint8Array(Float32Array.of(0.9).buffer);
    });
    expect(ruleOf(bytes)).not.toBeNull();
    const after = await expectSameLabels({ ...case_, bytes });
    expect(after).not.toEqual(before);
  });

  it('an ArgMax that keeps the last of equal values is left to onnxruntime', async () => {
    const case_ = await trainOn(join(fixtures, 'iris.csv'), [dense(4, 'relu'), dense(3, 'softmax')], true);
    const bytes = edited(case_.bytes, (graph) => {
      const argmax = graph.node!.find((n) => n.opType === 'ArgMax')!;
      argmax.attribute!.push({ name: 'select_last_index', type: onnx.AttributeProto.AttributeType.INT, i: 1 });
    });
    expect(ruleOf(bytes)).toBeNull();
    const labels = await expectSameLabels({ ...case_, bytes });
    expect(new Set(labels)).toEqual(new Set([case_.trained.preprocessor.task.labels![2]]));
  });

  it('portable files (class indices) and regression models have no string label to work out', async () => {
    const classifier = await trainOn(join(fixtures, 'iris.csv'), [dense(4, 'relu'), dense(3, 'softmax')]);
    expect(ruleOf(exportOnnx(classifier.trained, { layerlabVersion: 'test' }, 'portable'))).toBeNull();
    const regression: TrainedModel = {
      ...classifier.trained,
      preprocessor: { ...classifier.trained.preprocessor, task: { kind: 'regression', target: 'y' } },
      spec: { version: 1, layers: [dense(4, 'relu'), dense(1)] },
    };
    const built = buildModel(regression.spec, regression.preprocessor.inputShape, 1);
    regression.weights = extractWeights(built);
    built.dispose();
    expect(ruleOf(exportOnnx(regression, { layerlabVersion: 'test' }))).toBeNull();
  });
});
