/**
 * A run that has ended shows its kept weights in the network and layer views: the weights themselves, the
 * first training rows encoded from the raw CSV, and each layer's statistics as the per-epoch probe computes
 * them, with no update ratio (the epoch before is not kept). Through the engine, the weights are the ones the
 * run wrote to its weights file.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedProject, StartTrainingRequest } from '../../src-main/contract/api.js';
import { datasetRecords, encodeRecords, readCsv } from '../../src-main/core/data/index.js';
import { EXAMPLE_ROWS } from '../../src-main/core/insight/epoch-observer.js';
import { keptInsight } from '../../src-main/core/insight/kept-insight.js';
import { LayerStatsProbe } from '../../src-main/core/insight/layer-stats.js';
import { defaultModelSpec } from '../../src-main/core/model/index.js';
import { readTrainedModel } from '../../src-main/core/project/index.js';
import {
  defaultTrainingSettings,
  selectBackend,
  train,
  type TrainingResult,
  type TrainingSettings,
} from '../../src-main/core/training/index.js';
import { createEngine } from '../../src-main/engine/engine.js';
import { createNodeHost } from '../../src-main/engine/node-host.js';
import type { Engine } from '../../src-main/engine/types.js';
import { fixturePath, loadFixture, type Fixture } from './training-kit.js';

const EPOCHS = 4;

function settingsFor(fixture: Fixture): TrainingSettings {
  const settings = { ...defaultTrainingSettings(fixture.prepared.preprocessor.task), epochs: EPOCHS };
  return { ...settings, backend: 'wasm', earlyStopping: { ...settings.earlyStopping, enabled: false } };
}

describe('the kept insight of a trained model', () => {
  let moons: Fixture;
  let settings: TrainingSettings;
  let result: TrainingResult;

  beforeAll(async () => {
    await selectBackend('wasm');
    moons = await loadFixture('moons.csv', 'moon');
    settings = settingsFor(moons);
    result = await train(moons.spec, moons.prepared, settings);
  });

  const run = () => ({ ...moons, settings, weights: result.model.weights, epoch: EPOCHS });

  it('carries the trained weights and the first training rows as the raw CSV encodes them', async () => {
    const insight = keptInsight(run(), { layers: false, weights: true });
    expect(insight.epoch).toBe(EPOCHS);
    expect(insight.weights).toEqual(result.model.weights);
    expect(insight.layers).toBeUndefined();

    const pre = moons.prepared.preprocessor;
    const dataset = await readCsv(fixturePath('moons.csv'));
    const firstRows = datasetRecords(dataset, Array.from(moons.prepared.train.rows.subarray(0, EXAMPLE_ROWS)));
    const { x } = encodeRecords(pre, firstRows);
    expect(insight.examples).toHaveLength(EXAMPLE_ROWS);
    insight.examples!.forEach((example, row) => {
      expect(example).toHaveLength(pre.encodedWidth);
      example.forEach((value, i) => expect(value).toBeCloseTo(x[row * pre.encodedWidth + i]!, 6));
    });
  });

  it("gives each layer's statistics as the per-epoch probe does, without an update ratio", () => {
    const before = tf.memory().numTensors;
    const insight = keptInsight(run(), { layers: true, weights: false });
    expect(tf.memory().numTensors).toBe(before);
    expect(insight.weights).toBeUndefined();
    expect(insight.examples).toBeUndefined();

    const probe = new LayerStatsProbe(moons.spec, moons.prepared, settings);
    const perEpoch = probe.compute(result.model.weights, result.model.weights);
    probe.dispose();
    const layers = insight.layers!;
    expect(layers.map((l) => l.index)).toEqual(perEpoch.map((l) => l.index));
    expect(layers.length).toBe(moons.spec.layers.filter((l) => l.className === 'Dense').length);
    layers.forEach((layer, i) => {
      const expected = perEpoch[i]!;
      expect(layer.gradientNorm).toBeGreaterThan(0);
      expect(layer.gradientNorm).toBeCloseTo(expected.gradientNorm, 6);
      expect(layer.weightNorm).toBeCloseTo(expected.weightNorm, 6);
      expect(layer.histogram).toEqual(expected.histogram);
      expect(layer.deadShare).toBe(expected.deadShare);
      expect(layer.updateRatio).toBeNull();
    });
  });
});

describe('insightForRun through the engine', () => {
  let engine: Engine;
  let workspaceDir: string;
  let project: OpenedProject;
  let model: Omit<StartTrainingRequest, 'insight'>;

  beforeAll(async () => {
    workspaceDir = mkdtempSync(path.join(os.tmpdir(), 'layerlab-kept-'));
    engine = createEngine(createNodeHost({ mode: 'browser', workspaceDir, offerDownload: () => '/download' }));
    project = await engine.newProject();
    const dataset = await engine.loadSampleDataset('moons');
    const task = { kind: 'binary' as const, target: 'moon', labels: ['lower', 'upper'] };
    const settings = defaultTrainingSettings(task);
    model = {
      datasetId: dataset.id,
      dataSettings: dataset.defaults,
      spec: defaultModelSpec({ kind: 'binary', classes: 2 }, [2]),
      settings: {
        ...settings,
        epochs: EPOCHS,
        backend: 'cpu',
        earlyStopping: { ...settings.earlyStopping, enabled: false },
      },
    };
  });

  afterAll(async () => {
    await engine?.dispose();
    rmSync(workspaceDir, { recursive: true, force: true });
  });

  function trainToEnd(): Promise<string> {
    return engine.startTraining(project.projectId, model).then(
      ({ runId }) =>
        new Promise<string>((resolve) => {
          const stop = engine.onTrainingEvent(({ runId: id, event }) => {
            if (id === runId && ['finished', 'stopped', 'error'].includes(event.type)) {
              stop();
              resolve(runId);
            }
          });
        }),
    );
  }

  it("shows a finished run's kept weights, as written to its weights file, with each layer's statistics", async () => {
    const runId = await trainToEnd();
    expect((await engine.getRun(runId)).outcome).toBe('finished');
    const insight = await engine.insightForRun(runId, { layers: true, weights: true });
    expect(insight?.epoch).toBe(EPOCHS);
    const saved = await readTrainedModel(path.join(workspaceDir, 'runs', `${runId}.llw`));
    expect(insight!.weights!.map((w) => [w.layerIndex, w.name, w.shape])).toEqual(
      saved.weights.map((w) => [w.layerIndex, w.name, w.shape]),
    );
    insight!.weights!.forEach((w, i) => expect(Array.from(w.values)).toEqual(Array.from(saved.weights[i]!.values)));
    expect(insight!.examples).toHaveLength(EXAMPLE_ROWS);
    for (const example of insight!.examples!) expect(example).toHaveLength(2);
    const denseLayers = model.spec.layers.flatMap((l, i) => (l.className === 'Dense' ? [i] : []));
    expect(insight!.layers!.map((l) => l.index)).toEqual(denseLayers);
    for (const layer of insight!.layers!) {
      expect(layer.gradientNorm).toBeGreaterThan(0);
      expect(layer.updateRatio).toBeNull();
    }

    const weightsOnly = await engine.insightForRun(runId, { layers: false, weights: true });
    expect(weightsOnly?.layers).toBeUndefined();
    expect(weightsOnly?.weights).toHaveLength(insight!.weights!.length);
  });

  it("names why a finished run's boundary cannot be drawn for the features asked for", async () => {
    const runId = await trainToEnd();
    const grid = await engine.boundaryForRun(runId, { features: ['x1', 'x2'], resolution: 12 });
    expect(grid?.classes).toHaveLength(12 * 12);
    await expect(engine.boundaryForRun(runId, { features: ['x1', 'x1'], resolution: 12 })).rejects.toThrow(
      'This boundary cannot be drawn: the two features must differ.',
    );
    await expect(engine.boundaryForRun(runId, { features: ['x1', 'height'], resolution: 12 })).rejects.toThrow(
      'This boundary cannot be drawn: "height" is not a feature of this model.',
    );
  });

  it('says what is wrong with an unknown run or a request it does not take', async () => {
    await expect(engine.insightForRun('r-000000000000', { layers: true, weights: true })).rejects.toThrow(
      'No training run with id r-000000000000 is open',
    );
    const withBoundary = { layers: true, weights: true, boundary: null };
    await expect(engine.insightForRun('r-000000000000', withBoundary)).rejects.toThrow(/^insightForRun: request/);
    await expect(engine.insightForRun('r-000000000000', { layers: true } as never)).rejects.toThrow(
      /^insightForRun: request\.weights/,
    );
  });
});
