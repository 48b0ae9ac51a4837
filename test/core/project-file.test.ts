import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createProject,
  datasetPathForSaving,
  decodeTrainedModel,
  encodeTrainedModel,
  loadProject,
  ProjectError,
  readTrainedModel,
  resolveProjectPath,
  saveProject,
  weightsPathFor,
  writeTrainedModel,
} from '../../src-main/core/project/index.js';
import type { TrainingSettings, TrainedModel } from '../../src-main/core/training/types.js';
import type { ModelSpec } from '../../src-main/core/model/spec.js';

const spec: ModelSpec = {
  version: 1,
  layers: [
    { className: 'Dense', config: { units: 8, activation: 'relu' } },
    { className: 'Dense', config: { units: 3, activation: 'softmax' } },
  ],
};

const training: TrainingSettings = {
  optimizer: { name: 'adam', learningRate: 0.01 },
  loss: 'auto',
  epochs: 20,
  batchSize: 16,
  shuffle: true,
  seed: 3,
  classWeights: 'none',
  earlyStopping: { enabled: true, monitor: 'valLoss', patience: 4, minDelta: 0, restoreBestWeights: true },
  reduceLrOnPlateau: { enabled: false, monitor: 'valLoss', factor: 0.5, patience: 2, minLearningRate: 1e-5 },
  backend: 'auto',
};

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'layerlab-project-'));
}

function sampleProject() {
  const project = createProject({
    name: 'iris',
    model: spec,
    training,
    dataset: { path: 'iris.csv', hash: 'abc', name: 'iris.csv' },
    dataSettings: {
      columns: [
        { name: 'petal_length_cm', role: 'feature', treatAs: 'number', missing: 'mean', encoding: 'standardize' },
        { name: 'species', role: 'target', treatAs: 'category', missing: 'mostFrequent', encoding: 'onehot' },
      ],
      split: { train: 0.7, validation: 0.15, test: 0.15, seed: 42, stratify: true },
    },
  });
  project.runs.push({
    id: 'run-1',
    startedAt: new Date(0).toISOString(),
    spec,
    dataSettings: project.dataSettings!,
    settings: training,
    backend: 'wasm',
    seconds: 1.5,
    outcome: 'finished',
    bestEpoch: 2,
    history: [{ epoch: 1, metrics: { loss: 1.1, valLoss: 1.0, valAccuracy: 0.6 }, learningRate: 0.01, seconds: 0.2 }],
    finalValidation: { valAccuracy: 0.6 },
    weightsFile: 'iris.weights/run-1.llw',
  });
  return project;
}

describe('project file', () => {
  it('saves and loads the same document, leaving no temporary files', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'iris.layerlab.json');
    const project = sampleProject();
    await saveProject(file, project);
    expect(readdirSync(dir)).toEqual(['iris.layerlab.json']);
    const loaded = await loadProject(file);
    expect(loaded).toEqual(project);
    expect(loaded.runs[0]?.history[0]?.metrics.valAccuracy).toBe(0.6);
  });

  it('rejects a truncated copy with the file name and what happened', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'broken.layerlab.json');
    await saveProject(file, sampleProject());
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
    await expect(loadProject(file)).rejects.toThrow(/broken\.layerlab\.json is not valid JSON/);
  });

  it('rejects a damaged field and names it', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'damaged.layerlab.json');
    const document = JSON.parse(JSON.stringify(sampleProject()));
    document.training.epochs = -3;
    writeFileSync(file, JSON.stringify(document));
    const error = await loadProject(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProjectError);
    expect((error as Error).message).toContain('damaged.layerlab.json is damaged');
    expect((error as Error).message).toContain('training.epochs');
  });

  it('rejects a file from a newer LayerLab and says to update', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'future.layerlab.json');
    writeFileSync(file, JSON.stringify({ ...sampleProject(), version: 99 }));
    await expect(loadProject(file)).rejects.toThrow(
      /newer LayerLab \(project version 99; this one reads up to 1\)\. Update LayerLab/,
    );
  });

  it('refuses to save an invalid document over a good file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'keep.layerlab.json');
    await saveProject(file, sampleProject());
    const bad = { ...sampleProject(), model: { version: 1, layers: [{ className: 'Dense', config: { units: 0 } }] } };
    await expect(saveProject(file, bad as never)).rejects.toThrow(/units/);
    expect((await loadProject(file)).model).toEqual(spec);
  });

  it('reports a missing file plainly', async () => {
    await expect(loadProject(path.join(tempDir(), 'nope.layerlab.json'))).rejects.toThrow(
      /was not found: check the path/,
    );
  });

  it('stores dataset paths relative to the project when beside it', () => {
    const project = '/home/a/work/p.layerlab.json';
    expect(datasetPathForSaving(project, '/home/a/work/data/iris.csv')).toBe('data/iris.csv');
    expect(datasetPathForSaving(project, '/elsewhere/iris.csv')).toBe('/elsewhere/iris.csv');
    expect(resolveProjectPath(project, 'data/iris.csv')).toBe('/home/a/work/data/iris.csv');
  });
});

describe('weights file', () => {
  const model: TrainedModel = {
    spec,
    preprocessor: {
      features: [{ name: 'x', type: 'number', fill: 0, dropMissing: false, scale: { kind: 'none' } }],
      encodedWidth: 4,
      inputShape: [4],
      task: { kind: 'multiclass', target: 'species', labels: ['a', 'b', 'c'] },
    },
    weights: [
      { layerIndex: 0, name: 'kernel', shape: [4, 8], values: Float32Array.from({ length: 32 }, (_, i) => i / 7) },
      { layerIndex: 0, name: 'bias', shape: [8], values: Float32Array.from({ length: 8 }, (_, i) => -i) },
      {
        layerIndex: 1,
        name: 'kernel',
        shape: [8, 3],
        values: Float32Array.from({ length: 24 }, (_, i) => Math.sin(i)),
      },
    ],
  };

  it('round-trips every tensor bit for bit', async () => {
    const file = weightsPathFor(path.join(tempDir(), 'iris.layerlab.json'), 'run-7');
    expect(file.endsWith(path.join('iris.weights', 'run-7.llw'))).toBe(true);
    await writeTrainedModel(file, model);
    const back = await readTrainedModel(file);
    expect(back.spec).toEqual(spec);
    expect(back.preprocessor).toEqual(model.preprocessor);
    expect(back.weights.map((w) => w.shape)).toEqual([[4, 8], [8], [8, 3]]);
    for (let i = 0; i < model.weights.length; i++)
      expect(Array.from(back.weights[i]!.values)).toEqual(Array.from(model.weights[i]!.values));
  });

  /** The file's JSON header, and the file rebuilt around a changed header with the same tensor data. */
  function headerOf(bytes: Uint8Array): Record<string, unknown> {
    const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
    return JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) as Record<string, unknown>;
  }
  function withHeader(bytes: Uint8Array, header: Record<string, unknown>): Uint8Array {
    const oldLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
    const data = bytes.subarray(Math.ceil((8 + oldLength) / 4) * 4);
    const headerBytes = new TextEncoder().encode(JSON.stringify(header));
    const dataStart = Math.ceil((8 + headerBytes.length) / 4) * 4;
    const out = new Uint8Array(dataStart + data.length);
    out.set(bytes.subarray(0, 4), 0);
    new DataView(out.buffer).setUint32(4, headerBytes.length, true);
    out.set(headerBytes, 8);
    out.set(data, dataStart);
    return out;
  }

  it('writes the task and input shape once, inside the preprocessor', () => {
    const header = headerOf(encodeTrainedModel(model));
    expect(Object.keys(header).sort()).toEqual(['preprocessor', 'spec', 'tensors']);
    expect(header.preprocessor).toMatchObject({ inputShape: [4], task: { kind: 'multiclass', target: 'species' } });
  });

  it('still reads a file from before, with task and input shape also at the top of the header', () => {
    const current = encodeTrainedModel(model);
    const header = headerOf(current);
    // The old writer put these first, copies of the preprocessor's own.
    const old = withHeader(current, {
      spec: header.spec,
      inputShape: [4],
      task: model.preprocessor.task,
      preprocessor: header.preprocessor,
      tensors: header.tensors,
    });
    expect(old.length).not.toBe(current.length);
    const back = decodeTrainedModel(old, 'old.llw');
    expect(Object.keys(back).sort()).toEqual(['preprocessor', 'spec', 'weights']);
    expect(back.preprocessor.task).toEqual({ kind: 'multiclass', target: 'species', labels: ['a', 'b', 'c'] });
    expect(back.preprocessor.inputShape).toEqual([4]);
    for (let i = 0; i < model.weights.length; i++)
      expect(Array.from(back.weights[i]!.values)).toEqual(Array.from(model.weights[i]!.values));
  });

  it('rejects a truncated weights file', () => {
    const bytes = encodeTrainedModel(model);
    expect(() => decodeTrainedModel(bytes.subarray(0, bytes.length - 10), 'x.llw')).toThrow(
      /x\.llw is not a LayerLab weights file \(truncated data\)/,
    );
    expect(() => decodeTrainedModel(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), 'y.llw')).toThrow(/wrong signature/);
  });
});
