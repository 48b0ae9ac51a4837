/**
 * The runner's fast paths give exactly what onnxruntime gives on the file as written: the packed column inputs
 * (one tensor per numeric Concat), the direct native session, and predictions read straight from a dataset's
 * columns, on hostile rows (missing cells, numbers as text, unseen categories, huge values, a target column).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFileInputs, predictDataset, predictionsCsv, scoreAgainstTarget } from '../../src-main/app/index.js';
import { readCsv } from '../../src-main/core/data/read-csv.js';
import { datasetRecords } from '../../src-main/core/data/rows.js';
import type { RawRecord } from '../../src-main/core/data/types.js';
import { decodeModel, describeModel } from '../../src-main/core/onnx/model-info.js';
import { createRunSession } from '../../src-main/core/onnx/native-session.js';
import { packColumnInputs } from '../../src-main/core/onnx/packed-inputs.js';
import { tableCsvText, withInputColumns } from '../../src-main/core/onnx/prediction-table.js';
import { recordFeeds } from '../../src-main/core/onnx/record-feeds.js';
import { exportOnnx, openOnnxModel } from '../../src-main/core/onnx/index.js';
import { SESSION_OPTIONS } from '../../src-main/core/onnx/runner.js';
import { binary, buildCase, categoryFeature, makePreprocessor, numberFeature, randomRecords } from './onnx-test-kit.js';

const dir = mkdtempSync(join(tmpdir(), 'layerlab-packed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Two numeric runs split by a category, a lone numeric column between categories, every kind of scaling.
const preprocessor = makePreprocessor(
  [
    numberFeature('age', { kind: 'standardize', mean: 40, std: 12 }, 38),
    numberFeature('income', { kind: 'minmax', min: 0, max: 1e5 }, 5e4),
    numberFeature('score'),
    categoryFeature('city', ['Oslo', 'Lima', 'Pune'], 'onehot', 'Lima'),
    numberFeature('height', { kind: 'standardize', mean: 170, std: 9 }, 170),
    categoryFeature('size', ['S', 'M', 'L'], 'ordinal', null),
    numberFeature('a'),
    numberFeature('b', { kind: 'minmax', min: -1, max: 1 }, 0),
  ],
  binary(['no', 'yes']),
);
const built = buildCase(
  [
    { className: 'Dense', config: { units: 6, activation: 'relu' } },
    { className: 'Dense', config: { units: 1, activation: 'sigmoid' } },
  ],
  preprocessor,
  3,
);
const bytes = exportOnnx(built.trained, { layerlabVersion: 'test' });
const info = describeModel(decodeModel(bytes));

function hostileRecords(rows: number): RawRecord[] {
  const records = randomRecords(preprocessor, Math.max(rows, 2), 17, { unseen: ['Rome', ''], missingShare: 0.15 });
  records[0] = { ...records[0], age: ' 51 ', income: 'NA', city: 'Rome', size: null };
  records[1] = { ...records[1], score: 3e38, height: '', a: -0, b: 'yes' };
  return records.slice(0, rows);
}

/** onnxruntime's own public session on the file as written: the reference. */
async function reference(records: RawRecord[]): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(bytes, SESSION_OPTIONS);
  try {
    return (await session.run(recordFeeds(info.inputs, records))) as Record<string, ort.Tensor>;
  } finally {
    await session.release();
  }
}

const values = (outputs: Record<string, ort.Tensor>) =>
  Object.fromEntries(
    Object.entries(outputs).map(([name, t]) => [
      name,
      { dims: t.dims, data: Array.from(t.data as ArrayLike<unknown>) },
    ]),
  );

describe('packed column inputs', () => {
  it('replace each numeric Concat by one input and keep every other input of the file', () => {
    const packed = packColumnInputs(bytes, info.inputs)!;
    const inputs = describeModel(decodeModel(packed.bytes)).inputs;
    expect(info.inputs.map((i) => i.name)).toEqual(['age', 'income', 'score', 'city', 'height', 'size', 'a', 'b']);
    // age..score and a..b are runs; height stands alone (no Concat), so it stays a column input.
    expect(inputs.map((i) => `${i.name} [${i.shape.join(', ')}]`).sort()).toEqual([
      'city [batch, 1]',
      'concat_1__columns [batch, 2]',
      'concat__columns [batch, 3]',
      'height [batch, 1]',
      'size [batch, 1]',
    ]);
  });

  it.each([1, 3, 700])('give the same outputs as the file run by onnxruntime, bit for bit (%i rows)', async (rows) => {
    const records = hostileRecords(rows);
    const model = await openOnnxModel(bytes);
    try {
      const ours = await model.runFeeds(recordFeeds(info.inputs, records));
      expect(values(ours)).toEqual(values(await reference(records)));
      expect(ours.label!.dims[0]).toBe(rows);
    } finally {
      await model.close();
    }
  });

  it('leave feeds it cannot pack to the file graph, which refuses what onnxruntime refuses', async () => {
    const model = await openOnnxModel(bytes);
    try {
      const feeds = recordFeeds(info.inputs, hostileRecords(2));
      feeds.age = new ort.Tensor('float32', new Float32Array([1, 2, 3]), [3, 1]);
      await expect(model.runFeeds(feeds)).rejects.toThrow();
      // A float64 tensor where the file takes float32 is not packed either; onnxruntime names the type problem.
      const typed = recordFeeds(info.inputs, hostileRecords(2));
      typed.a = new ort.Tensor('float64', new Float64Array([1, 2]), [2, 1]);
      await expect(model.runFeeds(typed)).rejects.toThrow(/type|float|double/i);
    } finally {
      await model.close();
    }
  });
});

describe('the direct native session', () => {
  it('gives what the public session gives, the chosen outputs alone, and rejects bad feeds as a promise', async () => {
    const records = hostileRecords(5);
    const session = await createRunSession(bytes, SESSION_OPTIONS);
    try {
      const all = values(await reference(records));
      const feeds = recordFeeds(info.inputs, records);
      expect(values(await session.run(feeds))).toEqual(all);
      for (const output of info.outputs) {
        expect(values(await session.run(feeds, [output.name]))).toEqual({ [output.name]: all[output.name] });
      }
      await expect(session.run({})).rejects.toThrow();
    } finally {
      await session.release();
    }
  });
});

describe('predictions read straight from a dataset', () => {
  it('give the table, notes, score and CSV bytes the records path gives', async () => {
    const records = hostileRecords(40).map((r, i): RawRecord => ({
      ...r,
      y: i % 3 === 0 ? 'yes' : i % 3 === 1 ? 'no' : null,
    }));
    const columns = ['age', 'income', 'score', 'city', 'height', 'size', 'a', 'b', 'y'];
    const cell = (v: unknown) => {
      const text = v === null || v === undefined ? '' : String(v);
      return /[",\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    };
    const file = join(dir, 'hostile.csv');
    writeFileSync(
      file,
      `${columns.join(',')}\n${records.map((r) => columns.map((c) => cell(r[c])).join(',')).join('\n')}\n`,
    );
    const dataset = await readCsv(file);
    const model = await openOnnxModel(bytes);
    try {
      const fast = await predictDataset(model, dataset);
      const asRecords = datasetRecords(dataset);
      const outputs = await model.runRecords(asRecords, {
        rowName: (i) => `line ${i + 2} of hostile.csv`,
        source: 'hostile.csv',
      });
      const expected = scoreAgainstTarget(model.info, asRecords, outputs, withInputColumns(asRecords, outputs));
      const notes = describeFileInputs(model.info, asRecords);
      expect(notes.length).toBeGreaterThan(0);
      expect(fast).toEqual({ ...expected, notes });
      expect(predictionsCsv(fast)).toBe(tableCsvText(expected));
      expect(fast.score?.rows).toBeGreaterThan(0);
    } finally {
      await model.close();
    }
  });
});
