/**
 * The decision-boundary grid is the model's own prediction at each grid point: the test encodes the grid rows
 * itself, the held features at the training mean (numbers) or most frequent value (categories) computed from
 * the raw CSV, and predicts them with a tf.js model carrying the same weights. A category axis is checked the
 * same way, its cells named by the categories the preprocessor fitted.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  categoryKey,
  datasetRecords,
  encodeRecords,
  readCsv,
  updateColumnSettings,
} from '../../src-main/core/data/index.js';
import type { CategoryFeature, PreparedData, Preprocessor, RawRecord } from '../../src-main/core/data/types.js';
import {
  boundaryGrid,
  boundaryProblem,
  defaultBoundaryFeatures,
  MAX_AXIS_CATEGORIES,
} from '../../src-main/core/insight/decision-boundary.js';
import { createEpochObserver } from '../../src-main/core/insight/epoch-observer.js';
import { defaultTrainingSettings, modelFromTrained, selectBackend, train } from '../../src-main/core/training/index.js';
import type { BoundaryGrid, EpochInsight } from '../../src-main/core/training/insight-types.js';
import type { TrainedModel } from '../../src-main/core/training/types.js';
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

/** The record every grid row starts from: the training mean of each number (missing cells as their fill), the most frequent category. */
function heldRecord(pre: Preprocessor, raw: RawRecord[]): RawRecord {
  const record: RawRecord = {};
  for (const f of pre.features) {
    if (f.type === 'number') {
      const values = raw.map((r) => (r[f.name] === null || r[f.name] === '' ? f.fill : Number(r[f.name])));
      record[f.name] = values.reduce((a, b) => a + b, 0) / values.length;
    } else {
      const counts = new Map<string, number>();
      for (const r of raw) counts.set(categoryKey(r[f.name])!, (counts.get(categoryKey(r[f.name])!) ?? 0) + 1);
      record[f.name] = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
    }
  }
  return record;
}

/** The held record with the grid's own cells put in, row-major (ys outer): category cells by their name. */
function gridRecords(grid: BoundaryGrid, held: RawRecord): RawRecord[] {
  const cell = (axis: number, value: number) => {
    const shape = grid.axes[axis]!;
    return shape.kind === 'category' ? shape.categories[value]! : value;
  };
  const records: RawRecord[] = [];
  for (const y of grid.ys.length ? grid.ys : [null]) {
    for (const x of grid.xs) {
      const record: RawRecord = { ...held, [grid.features[0]!]: cell(0, x) };
      if (y !== null) record[grid.features[1]!] = cell(1, y);
      records.push(record);
    }
  }
  return records;
}

/** The trained model's raw outputs for raw records, through the fitted preprocessor: one row of outputs each. */
function predictRecords(pre: Preprocessor, trainedModel: TrainedModel, records: RawRecord[]): number[][] {
  const { x, count } = encodeRecords(pre, records);
  const model = modelFromTrained(trainedModel);
  const out = tf.tidy(
    () => (model.predict(tf.tensor2d(x, [count, pre.encodedWidth])) as tf.Tensor).arraySync() as number[][],
  );
  model.dispose();
  return out;
}

function categoryFeature(pre: Preprocessor, name: string): CategoryFeature {
  const feature = pre.features.find((f) => f.name === name);
  if (feature?.type !== 'category') throw new Error(`${name} is not a category feature`);
  return feature;
}

/** The training data with one row's category made unseen (its one-hot block all zeros). */
function withUnseenCategory(prepared: PreparedData, name: string, row: number): PreparedData {
  const pre = prepared.preprocessor;
  let offset = 0;
  for (const f of pre.features) {
    if (f.name === name) break;
    offset += f.type === 'category' && f.encoding === 'onehot' ? f.categories.length : 1;
  }
  const x = prepared.train.x.slice();
  const start = row * pre.encodedWidth + offset;
  x.fill(0, start, start + categoryFeature(pre, name).categories.length);
  return { ...prepared, train: { ...prepared.train, x } };
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
    expect(grid.axes).toEqual([{ kind: 'number' }, { kind: 'number' }]);

    const raw = await rawTrainingRows('wine.csv', fixture);
    const column = (name: string) => raw.map((r) => Number(r[name]));
    // The grid spans the training range with a small margin on each side.
    expect(grid.xs[0]!).toBeLessThan(Math.min(...column(fx)));
    expect(grid.xs[19]!).toBeGreaterThan(Math.max(...column(fx)));
    expect(grid.xs[0]!).toBeGreaterThan(
      Math.min(...column(fx)) - 0.1 * (Math.max(...column(fx)) - Math.min(...column(fx))),
    );

    const held = heldRecord(pre, raw);
    const probabilities = predictRecords(pre, result.model, gridRecords(grid, held));
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

    expect(grid.axes).toEqual([{ kind: 'number' }]);

    const raw = await rawTrainingRows('auto_mpg.csv', fixture);
    const out = predictRecords(pre, result.model, gridRecords(grid, heldRecord(pre, raw)));
    const scale = pre.targetScale!;
    grid.values!.forEach((v, i) => expect(v).toBeCloseTo(out[i]![0]! * scale.std + scale.mean, 1));
    expect(category, 'auto_mpg has a categorical feature').toBeDefined();
  });

  it('classification over category axes: one cell per fitted category, each the model’s own class', async () => {
    // Origin as the class; cylinders (one-hot) and year (ordinal) read as categories.
    const fixture = await loadFixture('auto_mpg.csv', 'origin', (s) =>
      updateColumnSettings(updateColumnSettings(s, 'cylinders', { treatAs: 'category' }), 'year', {
        treatAs: 'category',
        encoding: 'ordinal',
      }),
    );
    const pre = fixture.prepared.preprocessor;
    const cylinders = categoryFeature(pre, 'cylinders');
    const year = categoryFeature(pre, 'year');
    expect(year.encoding).toBe('ordinal');
    const { result } = await trained(fixture, 8);
    const raw = await rawTrainingRows('auto_mpg.csv', fixture);
    const held = heldRecord(pre, raw);

    const mixed = boundaryGrid(fixture, result.model.weights, {
      features: ['cylinders', 'weight_lbs'],
      resolution: 16,
    })!;
    const twoCategories = boundaryGrid(fixture, result.model.weights, {
      features: ['weight_lbs', 'year'],
      resolution: 16,
    })!;
    // The axis lists exactly the categories fitted on the training rows, in the preprocessor's order.
    expect(mixed.axes).toEqual([{ kind: 'category', categories: cylinders.categories }, { kind: 'number' }]);
    expect(new Set(cylinders.categories)).toEqual(new Set(raw.map((r) => categoryKey(r['cylinders']))));
    expect(mixed.xs).toEqual(cylinders.categories.map((_, k) => k));
    expect(mixed.ys).toHaveLength(16);
    expect(twoCategories.axes).toEqual([{ kind: 'number' }, { kind: 'category', categories: year.categories }]);
    expect(twoCategories.ys).toEqual(year.categories.map((_, k) => k));

    for (const grid of [mixed, twoCategories]) {
      const probabilities = predictRecords(pre, result.model, gridRecords(grid, held));
      expect(grid.classes).toHaveLength(grid.xs.length * grid.ys.length);
      expect(grid.classes).toEqual(probabilities.map((p) => p.indexOf(Math.max(...p))));
      grid.confidence!.forEach((c, i) => expect(c).toBeCloseTo(Math.max(...probabilities[i]!), 4));
    }

    // Every training row is a point (fewer than the cap), its category by index into the axis.
    expect(mixed.points).toHaveLength(fixture.prepared.train.count);
    mixed.points.forEach((p, r) => {
      expect(Number.isInteger(p.x) && p.x >= 0 && p.x < cylinders.categories.length).toBe(true);
      expect(cylinders.categories[p.x]).toBe(categoryKey(raw[r]!['cylinders']));
      expect(p.y!).toBeCloseTo(Number(raw[r]!['weight_lbs']), 2);
    });
    twoCategories.points.forEach((p, r) => expect(year.categories[p.y!]).toBe(categoryKey(raw[r]!['year'])));

    // A row whose category the preprocessor never saw has no cell to sit in: it is left out.
    const unseen = { ...fixture, prepared: withUnseenCategory(fixture.prepared, 'cylinders', 0) };
    const without = boundaryGrid(unseen, result.model.weights, {
      features: ['cylinders', 'weight_lbs'],
      resolution: 16,
    })!;
    expect(without.points).toHaveLength(fixture.prepared.train.count - 1);
    expect(without.points[0]).toEqual(mixed.points[1]);
  });

  it('regression over a category: one prediction per category, the model’s own', async () => {
    const fixture = await loadFixture('auto_mpg.csv', 'mpg');
    const pre = fixture.prepared.preprocessor;
    const origin = categoryFeature(pre, 'origin');
    expect(boundaryProblem(fixture.prepared, { features: ['origin'], resolution: 12 })).toBeNull();
    const { result } = await trained(fixture, 4);
    const grid = boundaryGrid(fixture, result.model.weights, { features: ['origin'], resolution: 12 })!;
    expect(grid.axes).toEqual([{ kind: 'category', categories: origin.categories }]);
    expect(origin.categories).toEqual(['Europe', 'Japan', 'USA']);
    expect(grid.xs).toEqual([0, 1, 2]);
    expect(grid.ys).toEqual([]);

    const raw = await rawTrainingRows('auto_mpg.csv', fixture);
    const out = predictRecords(pre, result.model, gridRecords(grid, heldRecord(pre, raw)));
    const scale = pre.targetScale!;
    expect(grid.values).toHaveLength(3);
    grid.values!.forEach((v, i) => expect(v).toBeCloseTo(out[i]![0]! * scale.std + scale.mean, 1));
    // The three origins do not get one and the same prediction.
    expect(new Set(grid.values!.map((v) => v.toFixed(3))).size).toBe(3);

    expect(grid.points).toHaveLength(fixture.prepared.train.count);
    grid.points.forEach((p, r) => {
      expect(origin.categories[p.x]).toBe(raw[r]!['origin']);
      expect(p.y).toBeNull();
      expect(p.target).toBeCloseTo(Number(raw[r]!['mpg']), 3);
    });
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
    // A category axis has a cell per category: an identifier-like column would make a grid far too large.
    const pre = fixture.prepared.preprocessor;
    const wide = (count: number): PreparedData => ({
      ...fixture.prepared,
      preprocessor: {
        ...pre,
        features: [
          ...pre.features,
          {
            name: 'id',
            type: 'category',
            categories: Array.from({ length: count }, (_, i) => `c${i}`),
            encoding: 'onehot',
            fill: null,
            dropMissing: false,
          },
        ],
      },
    });
    expect(boundaryProblem(wide(MAX_AXIS_CATEGORIES), { features: ['x1', 'id'], resolution: 10 })).toBeNull();
    expect(boundaryProblem(wide(MAX_AXIS_CATEGORIES + 1), { features: ['x1', 'id'], resolution: 10 })).toBe(
      `"id" has ${MAX_AXIS_CATEGORIES + 1} categories; an axis shows at most ${MAX_AXIS_CATEGORIES}`,
    );
  });
});
