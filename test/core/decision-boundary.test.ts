/**
 * The decision-boundary grid is the model's own prediction at each grid point: the test encodes the grid rows
 * itself, the held features at the training mean (numbers) or most frequent value (categories) computed from
 * the raw CSV, and predicts them with a tf.js model carrying the same weights.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { datasetRecords, encodeRecords, readCsv } from '../../src-main/core/data/index.js';
import type { RawRecord } from '../../src-main/core/data/types.js';
import {
  boundaryGrid,
  boundaryProblem,
  defaultBoundaryFeatures,
} from '../../src-main/core/insight/decision-boundary.js';
import { createEpochObserver } from '../../src-main/core/insight/epoch-observer.js';
import { defaultTrainingSettings, modelFromTrained, selectBackend, train } from '../../src-main/core/training/index.js';
import type { EpochInsight } from '../../src-main/core/training/insight-types.js';
import { fixturePath, loadFixture, type Fixture } from './training-kit.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

async function trained(fixture: Fixture, epochs = 5) {
  const settings = {
    ...defaultTrainingSettings(fixture.prepared.preprocessor.task),
    epochs,
    backend: 'wasm' as const,
  };
  settings.earlyStopping = { ...settings.earlyStopping, enabled: false };
  return { settings, result: await train(fixture.spec, fixture.prepared, settings) };
}

/** Training rows of the raw CSV, by the row numbers the split kept. */
async function rawTrainingRows(name: string, fixture: Fixture): Promise<RawRecord[]> {
  const dataset = await readCsv(fixturePath(name));
  return datasetRecords(dataset, fixture.prepared.train.rows);
}

describe('decision boundary', () => {
  it('classification: each cell is the model’s class and confidence at that point; others held at the mean', async () => {
    const fixture = await loadFixture('wine.csv', 'cultivar');
    const { result } = await trained(fixture);
    const pre = fixture.prepared.preprocessor;
    const [fx, fy] = defaultBoundaryFeatures(pre.features, false) as [string, string];
    const grid = boundaryGrid(fixture, result.model.weights, { features: [fx, fy], resolution: 20 })!;
    expect(grid.xs).toHaveLength(20);
    expect(grid.ys).toHaveLength(20);
    expect(grid.labels).toEqual(pre.task.labels);

    const raw = await rawTrainingRows('wine.csv', fixture);
    const column = (name: string) => raw.map((r) => Number(r[name]));
    const mean = (name: string) => column(name).reduce((a, b) => a + b, 0) / raw.length;
    // The grid spans the training range with a small margin on each side.
    expect(grid.xs[0]!).toBeLessThan(Math.min(...column(fx)));
    expect(grid.xs[19]!).toBeGreaterThan(Math.max(...column(fx)));
    expect(grid.xs[0]!).toBeGreaterThan(
      Math.min(...column(fx)) - 0.1 * (Math.max(...column(fx)) - Math.min(...column(fx))),
    );

    const records: RawRecord[] = [];
    for (const y of grid.ys) {
      for (const x of grid.xs) {
        const record: RawRecord = {};
        for (const f of pre.features) record[f.name] = mean(f.name);
        record[fx] = x;
        record[fy] = y;
        records.push(record);
      }
    }
    const { x, count } = encodeRecords(pre, records);
    const model = modelFromTrained(result.model);
    const probabilities = tf.tidy(
      () => (model.predict(tf.tensor2d(x, [count, pre.encodedWidth])) as tf.Tensor).arraySync() as number[][],
    );
    model.dispose();
    const classes = probabilities.map((p) => p.indexOf(Math.max(...p)));
    expect(grid.classes).toEqual(classes);
    grid.confidence!.forEach((c, i) => expect(c).toBeCloseTo(Math.max(...probabilities[i]!), 4));
    // A trained model does not paint one class everywhere.
    expect(new Set(grid.classes).size).toBeGreaterThan(1);
    // The points are training rows: raw values and their class.
    const labels = pre.task.labels!;
    const first = raw[0]!;
    expect(grid.points[0]!.x).toBeCloseTo(Number(first[fx]), 3);
    expect(grid.points[0]!.y!).toBeCloseTo(Number(first[fy]), 3);
    expect(labels[grid.points[0]!.target]).toBe(String(first['cultivar']));
  });

  it('categorical features are held at their most frequent value', async () => {
    const fixture = await loadFixture('auto_mpg.csv', 'mpg', (s) => s);
    const pre = fixture.prepared.preprocessor;
    const category = pre.features.find((f) => f.type === 'category');
    const { result } = await trained(fixture, 2);
    const [feature] = defaultBoundaryFeatures(pre.features, true) as [string];
    const grid = boundaryGrid(fixture, result.model.weights, { features: [feature], resolution: 12 })!;
    expect(grid.ys).toEqual([]);
    expect(grid.values).toHaveLength(12);

    const raw = await rawTrainingRows('auto_mpg.csv', fixture);
    const records: RawRecord[] = grid.xs.map((x) => {
      const record: RawRecord = {};
      for (const f of pre.features) {
        if (f.type === 'number') {
          // The mean of the column the model trains on: a missing cell counts as its fill.
          const values = raw.map((r) => (r[f.name] === null || r[f.name] === '' ? f.fill : Number(r[f.name])));
          record[f.name] = values.reduce((a, b) => a + b, 0) / values.length;
        } else {
          const counts = new Map<string, number>();
          for (const r of raw) counts.set(String(r[f.name]), (counts.get(String(r[f.name])) ?? 0) + 1);
          record[f.name] = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
        }
      }
      record[feature] = x;
      return record;
    });
    const { x, count } = encodeRecords(pre, records);
    const model = modelFromTrained(result.model);
    const out = tf.tidy(() => (model.predict(tf.tensor2d(x, [count, pre.encodedWidth])) as tf.Tensor).dataSync());
    model.dispose();
    const scale = pre.targetScale!;
    grid.values!.forEach((v, i) => expect(v).toBeCloseTo(out[i]! * scale.std + scale.mean, 1));
    expect(category, 'auto_mpg has a categorical feature').toBeDefined();
  });

  it('the observer reuses one model across epochs, and the boundary changes as the model learns', async () => {
    const fixture = await loadFixture('moons.csv', 'moon');
    const settings = {
      ...defaultTrainingSettings(fixture.prepared.preprocessor.task),
      epochs: 6,
      backend: 'wasm' as const,
    };
    settings.earlyStopping = { ...settings.earlyStopping, enabled: false };
    const observer = createEpochObserver({ ...fixture, settings, everyEpoch: true });
    const insights: EpochInsight[] = [];
    const request = { layers: false, weights: false, boundary: { features: ['x1', 'x2'], resolution: 30 } };
    const tensorsBefore = tf.memory().numTensors;
    const control = new (await import('../../src-main/core/training/run-control.js')).RunControl();
    control.insight = request;
    await train(fixture.spec, fixture.prepared, settings, {
      observer,
      control,
      onEvent: (e) => {
        if (e.type === 'epoch' && e.insight) insights.push(e.insight);
      },
    });
    observer.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const drawn = insights.filter((i) => i.boundary);
    expect(drawn.map((i) => i.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(drawn[0]!.boundary!.confidence).toHaveLength(900);
    const last = drawn.at(-1)!.boundary!;
    expect(last.confidence).not.toEqual(drawn[0]!.boundary!.confidence);
  });

  it('says why a request cannot be drawn', async () => {
    const fixture = await loadFixture('moons.csv', 'moon');
    expect(boundaryProblem(fixture.prepared, { features: ['x1'], resolution: 10 })).toMatch(/needs 2 features/);
    expect(boundaryProblem(fixture.prepared, { features: ['x1', 'nope'], resolution: 10 })).toMatch(/not a feature/);
    expect(boundaryProblem(fixture.prepared, { features: ['x1', 'x2'], resolution: 10 })).toBeNull();
  });
});
