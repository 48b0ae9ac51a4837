/**
 * A CSV whose numbers are written as people write them ($1,234.50, 45%, "1,234") is read the same way for
 * training and for prediction: the exported model fed the file's raw rows gives what tf.js gives on the
 * training encoding, and the same predictions as a copy of the file with plain numbers. Parity never passes
 * on NaN or Infinity.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { predictDataset, predictTypedRecords } from '../../src-main/app/index.js';
import {
  datasetRecords,
  defaultDataSettings,
  prepareData,
  readCsv,
  seededRandom,
} from '../../src-main/core/data/index.js';
import type { Dataset, PreparedData } from '../../src-main/core/data/index.js';
import { checkParity, exportOnnx, openOnnxModel } from '../../src-main/core/onnx/index.js';
import { predictRaw } from '../../src-main/core/training/index.js';
import { buildCase, type BuiltCase } from './onnx-test-kit.js';

let dir = '';
let written: Dataset;
let plain: Dataset;
let prepared: PreparedData;
let built: BuiltCase;
let onnx: Uint8Array;

function money(value: number): string {
  return `"$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}"`;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'layerlab-written-'));
  const random = seededRandom(11);
  const writtenLines = ['price,share,count,y'];
  const plainLines = ['price,share,count,y'];
  for (let i = 0; i < 80; i++) {
    const price = Math.round(random() * 500000) / 100;
    const share = Math.round(random() * 1000) / 10;
    const count = Math.round(random() * 20000);
    const y = price / 1000 + share / 10 > 7 ? 'high' : 'low';
    writtenLines.push(`${money(price)},${share}%,"${count.toLocaleString('en-US')}",${y}`);
    plainLines.push(`${price},${share},${count},${y}`);
  }
  await writeFile(join(dir, 'written.csv'), `${writtenLines.join('\n')}\n`);
  await writeFile(join(dir, 'plain.csv'), `${plainLines.join('\n')}\n`);
  written = await readCsv(join(dir, 'written.csv'));
  plain = await readCsv(join(dir, 'plain.csv'));
  const settings = defaultDataSettings(written, 'y');
  prepared = prepareData(written, { ...settings, split: { ...settings.split, train: 1, validation: 0, test: 0 } });
  built = buildCase(
    [
      { className: 'Dense', config: { units: 6, activation: 'tanh' } },
      { className: 'Dense', config: { units: 1, activation: 'sigmoid' } },
    ],
    prepared.preprocessor,
    4,
  );
  onnx = exportOnnx(built.trained, { layerlabVersion: 'test' });
});

afterAll(async () => {
  built?.model.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('numbers as people write them, at prediction time', () => {
  it('are numeric features in training', () => {
    expect(prepared.preprocessor.features.map((f) => `${f.name}:${f.type}`)).toEqual([
      'price:number',
      'share:number',
      'count:number',
    ]);
    expect(written.columns.map((c) => c.stats.written?.example)).toEqual([
      expect.stringMatching(/^\$[\d,]+\.\d\d$/),
      expect.stringMatching(/%$/),
      expect.stringMatching(/^\d/),
      undefined,
    ]);
  });

  it("the exported model on the file's raw rows matches tf.js on the training encoding", async () => {
    const rows = prepared.train.rows;
    const tfOutputs = predictRaw(built.model, prepared.train.x, prepared.train.count);
    const result = await checkParity(built.trained, onnx, datasetRecords(written, rows), tfOutputs);
    expect(result.nonFinite).toBe(0);
    expect(result.ok).toBe(true);
    expect(result.rows).toBe(80);
  });

  it('predicting on the written file gives the predictions of the plain file', async () => {
    const model = await openOnnxModel(onnx);
    try {
      const fromWritten = await predictDataset(model, written);
      const fromPlain = await predictDataset(model, plain);
      expect(fromWritten.columns).toEqual(fromPlain.columns);
      expect(fromWritten.rows).toEqual(fromPlain.rows);
      // A person typing the same written forms gets the same answer as for the plain numbers.
      const typed = await predictTypedRecords(model, [{ price: '$1,234.50', share: '45%', count: '12,000' }]);
      const numeric = await predictTypedRecords(model, [{ price: 1234.5, share: 45, count: 12000 }]);
      expect(typed.rows).toEqual(numeric.rows);
    } finally {
      await model.close();
    }
  });

  it('parity fails when a side gives NaN or Infinity', async () => {
    const rows = prepared.train.rows.subarray(0, 4);
    const records = datasetRecords(written, rows);
    const good = predictRaw(built.model, prepared.train.x.subarray(0, 4 * prepared.preprocessor.encodedWidth), 4);
    for (const broken of [NaN, Infinity]) {
      const tfOutputs = Float32Array.from(good);
      tfOutputs[2] = broken;
      const result = await checkParity(built.trained, onnx, records, tfOutputs);
      expect(result.ok).toBe(false);
      expect(result.nonFinite).toBe(1);
      expect(result.maxDifference).toBe(Infinity);
    }
  });
});
