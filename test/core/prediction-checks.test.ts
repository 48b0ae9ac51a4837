/**
 * Predict questions its input at the engine boundary, where the window's form and the CLI meet: an empty or
 * mistyped field is refused by name, an unseen category is reported with what the model does with it, and a
 * target column in the input is scored against real onnxruntime predictions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { predictTypedRecords, scoreAgainstTarget } from '../../src-main/app/index.js';
import type { OpenedProject } from '../../src-main/contract/api.js';
import { exportOnnx, openOnnxModel } from '../../src-main/core/onnx/index.js';
import { withInputColumns } from '../../src-main/core/onnx/prediction-table.js';
import { createEngine } from '../../src-main/engine/engine.js';
import { createNodeHost } from '../../src-main/engine/node-host.js';
import type { Engine } from '../../src-main/engine/types.js';
import {
  buildCase,
  categoryFeature,
  makePreprocessor,
  multiclass,
  numberFeature,
  regression,
} from './onnx-test-kit.js';

let engine: Engine;
let workspaceDir: string;
let project: OpenedProject;
let modelId: string;
let categories: Record<string, string[]>;

const FLOWER = { sepal_length_cm: '6.3', sepal_width_cm: '3.3', petal_length_cm: '6.0', petal_width_cm: '2.5' };

beforeAll(async () => {
  await tf.setBackend('cpu');
  workspaceDir = mkdtempSync(path.join(os.tmpdir(), 'layerlab-predict-'));
  engine = createEngine(createNodeHost({ mode: 'browser', workspaceDir }));
  project = await engine.openSampleProject();
  const { runId } = await engine.startTraining(project.projectId, {
    datasetId: project.dataset!.id,
    dataSettings: project.document.dataSettings!,
    spec: project.document.model,
    settings: { ...project.document.training, epochs: 40, backend: 'cpu' },
  });
  await new Promise<void>((resolve) => {
    const stop = engine.onTrainingEvent((event) => {
      if (event.runId === runId && ['finished', 'stopped', 'error'].includes(event.event.type)) {
        stop();
        resolve();
      }
    });
  });
  const exported = await engine.exportOnnx(runId);
  expect(exported?.ok).toBe(true);
  modelId = exported!.model.modelId;
  categories = exported!.model.categories;
}, 120_000);

afterAll(async () => {
  await engine?.dispose();
  rmSync(workspaceDir, { recursive: true, force: true });
});

describe('one typed row, through the engine', () => {
  it('predicts a complete row', async () => {
    const table = await engine.predictRecords(modelId, [FLOWER]);
    expect(table.rows).toHaveLength(1);
    expect(table.notes).toBeUndefined();
  });

  it('refuses an empty field by name instead of predicting from it', async () => {
    await expect(engine.predictRecords(modelId, [{ ...FLOWER, petal_width_cm: ' ' }])).rejects.toThrow(
      'petal_width_cm is empty: enter a number.',
    );
    await expect(engine.predictRecords(modelId, [{ ...FLOWER, sepal_length_cm: null }])).rejects.toThrow(
      'sepal_length_cm is empty: enter a number.',
    );
    const { sepal_width_cm: _left, ...withoutOne } = FLOWER;
    await expect(engine.predictRecords(modelId, [withoutOne])).rejects.toThrow('sepal_width_cm is empty');
  });

  it('refuses text that is not a number, naming the field, and names the row when there are several', async () => {
    await expect(engine.predictRecords(modelId, [{ ...FLOWER, petal_length_cm: 'six' }])).rejects.toThrow(
      'petal_length_cm is "six", which is not a number: enter a number.',
    );
    await expect(engine.predictRecords(modelId, [FLOWER, { ...FLOWER, petal_length_cm: '' }])).rejects.toThrow(
      'row 2: petal_length_cm is empty',
    );
  });

  it('tells the window which inputs are categories: none for iris', () => {
    expect(categories).toEqual({});
  });
});

describe('a CSV holding the target column', () => {
  it('shows actual beside predicted, whether each row is right, and the accuracy of those rows', async () => {
    const table = await engine.predictDataset(modelId, project.dataset!.id);
    expect(table.score?.actualColumn).toBe('species');
    expect(table.score?.predictedColumn).toBe('label');
    expect(table.columns.at(-1)).toBe('correct');
    const actual = table.columns.indexOf('species');
    const predicted = table.columns.indexOf('label');
    const right = table.rows.filter((row) => row[actual] === row[predicted]).length;
    expect(table.rows.map((row) => row.at(-1))).toEqual(
      table.rows.map((row) => (row[actual] === row[predicted] ? 'yes' : 'no')),
    );
    expect(table.score?.rows).toBe(150);
    expect(table.score?.metrics.accuracy).toBeCloseTo(right / 150, 12);
    expect(table.score!.metrics.accuracy).toBeGreaterThan(0.8);
  });
});

describe('category inputs and regression targets', () => {
  const categorical = makePreprocessor(
    [
      numberFeature('size', { kind: 'standardize', mean: 2, std: 1 }, 2),
      categoryFeature('colour', ['red', 'green'], 'onehot'),
    ],
    multiclass(['a', 'b', 'c']),
  );

  it('reports an unseen category with what the model does with it: the same as no category', async () => {
    const built = buildCase(
      [
        { className: 'Dense', config: { units: 4, activation: 'relu' } },
        { className: 'Dense', config: { units: 3, activation: 'softmax' } },
      ],
      categorical,
      3,
    );
    built.model.dispose();
    const model = await openOnnxModel(exportOnnx(built.trained, { layerlabVersion: 'test' }));
    try {
      const typed = await predictTypedRecords(model, [{ size: 1.5, colour: 'White' }]);
      expect(typed.notes).toEqual([
        'colour "White" was not seen in training ("red", "green"): the model reads it as no category (all zeros in its one-hot encoding).',
      ]);
      const noCategory = await model.runRecords([{ size: 1.5, colour: null }]);
      expect(typed.rows).toEqual(noCategory.rows);
      await expect(predictTypedRecords(model, [{ size: 1.5, colour: '' }])).rejects.toThrow(
        'colour is empty: enter a category.',
      );
      expect((await predictTypedRecords(model, [{ size: 1.5, colour: 'green' }])).notes).toBeUndefined();
    } finally {
      await model.close();
    }
  });

  it('gives each row its error and MAE, RMSE and R² when the target is a number', async () => {
    const preprocessor = makePreprocessor([numberFeature('x')], regression(), undefined, { mean: 10, std: 2 });
    const built = buildCase([{ className: 'Dense', config: { units: 1 } }], preprocessor, 5);
    built.model.dispose();
    const model = await openOnnxModel(exportOnnx(built.trained, { layerlabVersion: 'test' }));
    try {
      const records = [0, 1, 2, 3].map((x) => ({ x, y: 10 + x }));
      const outputs = await model.runRecords(records);
      const table = scoreAgainstTarget(model.info, records, outputs, withInputColumns(records, outputs));
      expect(table.columns).toEqual(['x', 'y', 'prediction', 'error']);
      const errors = table.rows.map((row) => (row[2] as number) - (row[1] as number));
      expect(table.rows.map((row) => row[3])).toEqual(errors);
      const mae = errors.reduce((a, e) => a + Math.abs(e), 0) / 4;
      const rmse = Math.sqrt(errors.reduce((a, e) => a + e * e, 0) / 4);
      expect(table.score?.metrics.mae).toBeCloseTo(mae, 9);
      expect(table.score?.metrics.rmse).toBeCloseTo(rmse, 9);
      expect(table.score?.metrics.r2).toBeCloseTo(1 - (rmse * rmse * 4) / 5, 9);
    } finally {
      await model.close();
    }
  });
});
