import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DataError,
  datasetRecords,
  decodeOutputs,
  defaultDataSettings,
  encodeRecords,
  findColumn,
  inferTask,
  prepareData,
  readCsv,
  setColumnRole,
  setTarget,
  updateColumnSettings,
} from '../../src-main/core/data/index.js';
import type {
  DataSettings,
  Dataset,
  NumericFeature,
  CategoryFeature,
  PreparedData,
} from '../../src-main/core/data/index.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const samples = ['iris', 'wine', 'breast_cancer', 'digits', 'diabetes', 'auto_mpg'] as const;
// Filled in beforeAll, so every sample is there by the time a test runs.
const data = {} as Record<(typeof samples)[number], Dataset>;
let dir = '';

beforeAll(async () => {
  for (const name of samples) data[name] = await readCsv(join(fixtures, `${name}.csv`));
  dir = await mkdtemp(join(tmpdir(), 'layerlab-data-prepare-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function thrown(run: () => unknown): DataError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }
  throw new Error('expected a DataError');
}

function setting(settings: DataSettings, name: string) {
  const found = settings.columns.find((c) => c.name === name);
  if (!found) throw new Error(`no setting for ${name}`);
  return found;
}

describe('default settings and task', () => {
  const expectations = {
    iris: { target: 'species', kind: 'multiclass', labels: ['setosa', 'versicolor', 'virginica'] },
    wine: { target: 'cultivar', kind: 'multiclass', labels: ['class_0', 'class_1', 'class_2'] },
    breast_cancer: { target: 'diagnosis', kind: 'binary', labels: ['benign', 'malignant'] },
    digits: { target: 'digit', kind: 'multiclass', labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] },
    diabetes: { target: 'progression', kind: 'regression', labels: undefined },
    auto_mpg: { target: 'mpg', kind: 'regression', labels: undefined },
  } as const;

  it.each(samples)('%s: target, roles and task', (name) => {
    const dataset = data[name];
    const settings = defaultDataSettings(dataset);
    const want = expectations[name];
    expect(settings.columns.filter((c) => c.role === 'target').map((c) => c.name)).toEqual([want.target]);
    expect(settings.columns.filter((c) => c.role === 'feature')).toHaveLength(dataset.columns.length - 1);
    expect(settings.split).toEqual({ train: 0.7, validation: 0.15, test: 0.15, seed: 42, stratify: true });
    const task = inferTask(dataset, settings);
    expect(task.kind).toBe(want.kind);
    expect(task.target).toBe(want.target);
    expect(task.labels).toEqual(want.labels);
  });

  it('numbers are standardized with mean imputation, categories one-hot with the most frequent', () => {
    const settings = defaultDataSettings(data.auto_mpg);
    expect(setting(settings, 'horsepower')).toEqual({
      name: 'horsepower',
      role: 'feature',
      treatAs: 'number',
      missing: 'mean',
      encoding: 'standardize',
    });
    expect(setting(settings, 'origin')).toEqual({
      name: 'origin',
      role: 'feature',
      treatAs: 'category',
      missing: 'mostFrequent',
      encoding: 'onehot',
    });
    expect(setting(settings, 'mpg')).toMatchObject({ role: 'target', treatAs: 'number' });
  });

  it('identifier and empty columns are ignored, and never the default target', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i + 1},n${i},${i % 7},,${i % 2 === 0 ? 'x' : 'y'}`);
    const path = join(dir, 'ids.csv');
    await writeFile(path, `row_id,name,v,blank,code\n${rows.join('\n')}\n`);
    const dataset = await readCsv(path);
    const settings = defaultDataSettings(dataset);
    expect(settings.columns.map((c) => [c.name, c.role])).toEqual([
      ['row_id', 'ignore'],
      ['name', 'ignore'],
      ['v', 'feature'],
      ['blank', 'ignore'],
      ['code', 'target'],
    ]);
    const last = defaultDataSettings(dataset, 'v');
    expect(setting(last, 'v')).toMatchObject({ role: 'target', treatAs: 'category' });
    expect(inferTask(dataset, last)).toEqual({
      kind: 'multiclass',
      target: 'v',
      labels: ['0', '1', '2', '3', '4', '5', '6'],
    });
  });

  it('setTarget moves the target and flips the old one to a feature', () => {
    const settings = defaultDataSettings(data.auto_mpg);
    const moved = setTarget(settings, data.auto_mpg, 'origin');
    expect(setting(moved, 'origin')).toMatchObject({ role: 'target', treatAs: 'category' });
    expect(setting(moved, 'mpg')).toMatchObject({ role: 'feature', treatAs: 'number', encoding: 'standardize' });
    expect(inferTask(data.auto_mpg, moved)).toEqual({
      kind: 'multiclass',
      target: 'origin',
      labels: ['Europe', 'Japan', 'USA'],
    });
    expect(setting(settings, 'mpg').role).toBe('target');
    const ignored = setColumnRole(moved, data.auto_mpg, 'year', 'ignore');
    expect(setting(ignored, 'year').role).toBe('ignore');
    const asCategory = updateColumnSettings(settings, 'cylinders', { treatAs: 'category' });
    expect(setting(asCategory, 'cylinders')).toMatchObject({
      treatAs: 'category',
      encoding: 'onehot',
      missing: 'mostFrequent',
    });
  });
});

describe('splits', () => {
  it('sizes add up and follow the fractions', () => {
    const prepared = prepareData(data.iris, defaultDataSettings(data.iris));
    expect([prepared.train.count, prepared.validation.count, prepared.test.count]).toEqual([105, 23, 22]);
    const all = [...prepared.train.rows, ...prepared.validation.rows, ...prepared.test.rows];
    expect(new Set(all).size).toBe(150);
    expect(prepared.train.x).toHaveLength(105 * 4);
    expect(prepared.train.y).toHaveLength(105);
  });

  it('stratifies by class', () => {
    const prepared = prepareData(data.wine, defaultDataSettings(data.wine));
    const classCounts = (y: Float32Array) => [0, 1, 2].map((c) => y.filter((v) => v === c).length);
    const total = classCounts(new Float32Array([...prepared.train.y, ...prepared.validation.y, ...prepared.test.y]));
    expect(total).toEqual([59, 71, 48]);
    const train = classCounts(prepared.train.y);
    total.forEach((n, c) => expect(Math.abs(train[c]! - n * 0.7)).toBeLessThanOrEqual(1));
    const validation = classCounts(prepared.validation.y);
    total.forEach((n, c) => expect(Math.abs(validation[c]! - n * 0.15)).toBeLessThanOrEqual(1));
    // Class indices follow the labels: row 0 of wine is class_0.
    const k = Array.from(prepared.train.rows).indexOf(0);
    if (k >= 0) expect(prepared.train.y[k]).toBe(0);
  });

  it('the same seed gives the same split, another seed another', () => {
    const settings = defaultDataSettings(data.breast_cancer);
    const a = prepareData(data.breast_cancer, settings);
    const b = prepareData(data.breast_cancer, settings);
    expect(Array.from(b.train.rows)).toEqual(Array.from(a.train.rows));
    expect(Array.from(b.test.rows)).toEqual(Array.from(a.test.rows));
    const c = prepareData(data.breast_cancer, { ...settings, split: { ...settings.split, seed: 7 } });
    expect(Array.from(c.train.rows)).not.toEqual(Array.from(a.train.rows));
    expect(c.train.count).toBe(a.train.count);
  });

  it('regression splits without classes', () => {
    const prepared = prepareData(data.diabetes, defaultDataSettings(data.diabetes));
    expect([prepared.train.count, prepared.validation.count, prepared.test.count]).toEqual([309, 66, 67]);
  });
});

describe('preprocessor', () => {
  it('is fitted on the training rows only', () => {
    const dataset = data.iris;
    const prepared = prepareData(dataset, defaultDataSettings(dataset));
    const values = findColumn(dataset, 'petal_length_cm').numbers as Float64Array;
    const mean = (rows: ArrayLike<number>) =>
      Array.from(rows, (r) => values[r]!).reduce((a, b) => a + b, 0) / rows.length;
    const feature = prepared.preprocessor.features.find((f) => f.name === 'petal_length_cm') as NumericFeature;
    expect(feature.scale.kind).toBe('standardize');
    const scale = feature.scale as { mean: number; std: number };
    const trainMean = mean(prepared.train.rows);
    const allMean = mean(Array.from({ length: 150 }, (_, i) => i));
    expect(scale.mean).toBe(Math.fround(trainMean));
    expect(scale.mean).not.toBe(Math.fround(allMean));
    const column0 = Array.from({ length: prepared.train.count }, (_, k) => prepared.train.x[k * 4 + 2]!);
    expect(column0.reduce((a, b) => a + b, 0) / column0.length).toBeCloseTo(0, 5);
  });

  it('fills missing numbers with the training mean and one-hot encodes categories', () => {
    const dataset = data.auto_mpg;
    const prepared = prepareData(dataset, defaultDataSettings(dataset));
    const horsepower = prepared.preprocessor.features.find((f) => f.name === 'horsepower') as NumericFeature;
    const values = findColumn(dataset, 'horsepower').numbers as Float64Array;
    const present = Array.from(prepared.train.rows, (r) => values[r]!).filter((v) => !Number.isNaN(v));
    expect(horsepower.fill).toBe(Math.fround(present.reduce((a, b) => a + b, 0) / present.length));
    const origin = prepared.preprocessor.features.find((f) => f.name === 'origin') as CategoryFeature;
    expect(origin.categories).toEqual(['Europe', 'Japan', 'USA']);
    expect(origin.fill).toBe('USA');
    expect(prepared.preprocessor.encodedWidth).toBe(6 + 3);
    expect(prepared.preprocessor.inputShape).toEqual([9]);
    // Each row's one-hot block holds exactly one 1.
    const offset = prepared.preprocessor.features.findIndex((f) => f.name === 'origin');
    for (let k = 0; k < prepared.train.count; k++) {
      const block = Array.from(prepared.train.x.subarray(k * 9 + offset, k * 9 + offset + 3));
      expect(block.reduce((a, b) => a + b, 0)).toBe(1);
    }
    expect(prepared.droppedRows).toBe(0);
  });

  it("'drop' removes rows with a missing value", () => {
    const settings = updateColumnSettings(defaultDataSettings(data.auto_mpg), 'horsepower', { missing: 'drop' });
    const prepared = prepareData(data.auto_mpg, settings);
    expect(prepared.droppedRows).toBe(6);
    expect(prepared.train.count + prepared.validation.count + prepared.test.count).toBe(392);
    expect(prepared.warnings.find((w) => w.code === 'dropped-rows')?.message).toContain('6 rows left out');
  });

  it('standardizes a regression target and decodes predictions back to its units', () => {
    const dataset = data.diabetes;
    const prepared = prepareData(dataset, defaultDataSettings(dataset));
    const scale = prepared.preprocessor.targetScale as { mean: number; std: number };
    const target = findColumn(dataset, 'progression').numbers as Float64Array;
    const trainTargets = Array.from(prepared.train.rows, (r) => target[r]!);
    expect(scale.mean).toBe(Math.fround(trainTargets.reduce((a, b) => a + b, 0) / trainTargets.length));
    const yMean = prepared.train.y.reduce((a, b) => a + b, 0) / prepared.train.count;
    expect(yMean).toBeCloseTo(0, 5);
    const decoded = decodeOutputs(prepared.preprocessor, prepared.test.y, prepared.test.count);
    decoded.forEach((d, k) => expect(d.prediction).toBeCloseTo(target[prepared.test.rows[k]!]!, 3));
  });

  it('reshapes digits to an 8x8x1 image, and rejects a shape that does not fit', () => {
    const settings = { ...defaultDataSettings(data.digits), image: { shape: [8, 8, 1] } };
    const prepared = prepareData(data.digits, settings);
    expect(prepared.preprocessor.inputShape).toEqual([8, 8, 1]);
    expect(prepared.preprocessor.inputShape).toEqual([8, 8, 1]);
    expect(prepared.train.x).toHaveLength(prepared.train.count * 64);
    const error = thrown(() => prepareData(data.digits, { ...settings, image: { shape: [8, 9, 1] } }));
    expect(error.code).toBe('image-shape');
    expect(error.message).toContain(
      'digits.csv: the image shape [8, 9, 1] holds 72 values, but the features encode to 64',
    );
  });
});

describe('prediction-time encoding', () => {
  function expectSameEncoding(dataset: Dataset, prepared: PreparedData): void {
    const names = prepared.preprocessor.features.map((f) => f.name);
    for (const split of [prepared.train, prepared.test]) {
      const records = datasetRecords(dataset, split.rows, names);
      const { x, count } = encodeRecords(prepared.preprocessor, records);
      expect(count).toBe(split.count);
      expect(Array.from(x)).toEqual(Array.from(split.x));
    }
  }

  it.each(samples)('%s: encodeRecords(datasetRecords(rows)) reproduces prepared x exactly', (name) => {
    const dataset = data[name];
    expectSameEncoding(dataset, prepareData(dataset, defaultDataSettings(dataset)));
  });

  it('also with min-max, ordinal, median and constant settings', () => {
    let settings = defaultDataSettings(data.auto_mpg);
    settings = updateColumnSettings(settings, 'horsepower', { encoding: 'minmax', missing: 'median' });
    settings = updateColumnSettings(settings, 'weight_lbs', { encoding: 'none' });
    settings = updateColumnSettings(settings, 'origin', { encoding: 'ordinal', missing: 'constant', constant: 'Mars' });
    settings = updateColumnSettings(settings, 'cylinders', { treatAs: 'category' });
    const prepared = prepareData(data.auto_mpg, settings);
    const cylinders = prepared.preprocessor.features.find((f) => f.name === 'cylinders') as CategoryFeature;
    expect(cylinders.categories).toEqual(['3', '4', '5', '6', '8']);
    expectSameEncoding(data.auto_mpg, prepared);
  });

  it('parses numbers given as text, fills missing values and zeros unseen categories', () => {
    const prepared = prepareData(data.auto_mpg, defaultDataSettings(data.auto_mpg));
    const pre = prepared.preprocessor;
    const base = {
      cylinders: 4,
      displacement: 120,
      horsepower: 90,
      weight_lbs: 2500,
      acceleration: 15,
      year: 1978,
      origin: 'Japan',
    };
    const asText = Object.fromEntries(Object.entries(base).map(([k, v]) => [k, ` ${v} `]));
    expect(Array.from(encodeRecords(pre, [asText]).x)).toEqual(Array.from(encodeRecords(pre, [base]).x));
    const missing = encodeRecords(pre, [
      { ...base, horsepower: null },
      { ...base, horsepower: 'NA' },
    ]);
    const horsepower = pre.features[2] as NumericFeature;
    const scale = horsepower.scale as { mean: number; std: number };
    const filled = Math.fround(Math.fround(horsepower.fill - scale.mean) / scale.std);
    expect([missing.x[2], missing.x[9 + 2]]).toEqual([filled, filled]);
    const unseen = encodeRecords(pre, [{ ...base, origin: 'Mars' }]);
    expect(Array.from(unseen.x.subarray(6, 9))).toEqual([0, 0, 0]);
    const missingOrigin = encodeRecords(pre, [{ ...base, origin: null }]);
    expect(Array.from(missingOrigin.x.subarray(6, 9))).toEqual([0, 0, 1]);
    const error = thrown(() => encodeRecords(pre, [{ ...base, weight_lbs: 'heavy' }]));
    expect(error.code).toBe('not-a-number');
    expect(error.message).toContain("Column 'weight_lbs' needs a number, but got 'heavy'");
    expect(error.column).toBe('weight_lbs');
  });

  it('decodes binary and multiclass outputs', () => {
    const binary = prepareData(data.breast_cancer, defaultDataSettings(data.breast_cancer)).preprocessor;
    const decoded = decodeOutputs(binary, new Float32Array([0.2, 0.5, 0.9]), 3);
    expect(decoded.map((d) => d.label)).toEqual(['benign', 'malignant', 'malignant']);
    expect(decoded[0]?.probabilities?.[1]).toBeCloseTo(0.2, 6);
    expect(decoded[0]?.probabilities?.[0]).toBeCloseTo(0.8, 6);
    const multi = prepareData(data.iris, defaultDataSettings(data.iris)).preprocessor;
    const out = decodeOutputs(multi, new Float32Array([0.1, 0.7, 0.2, 0.6, 0.3, 0.1]), 2);
    expect(out.map((d) => d.label)).toEqual(['versicolor', 'setosa']);
    expect(out[1]?.probabilities?.map((p) => +p.toFixed(3))).toEqual([0.6, 0.3, 0.1]);
    const error = thrown(() => decodeOutputs(multi, new Float32Array(4), 2));
    expect(error.message).toContain("2 outputs per row but the target 'species' has 3 classes");
  });
});

describe('warnings and impossible settings', () => {
  it('warns that iris is ordered by species', () => {
    const prepared = prepareData(data.iris, defaultDataSettings(data.iris));
    const warning = prepared.warnings.find((w) => w.code === 'target-sorted');
    expect(warning?.message).toContain("iris.csv: the rows are grouped by 'species'");
    expect(warning?.message).toContain('shuffles the rows before splitting');
  });

  it('warns about classes with few rows', async () => {
    const rows = Array.from(
      { length: 40 },
      (_, i) => `${i % 9},${(i * 7) % 11},${i < 36 ? (i % 2 === 0 ? 'a' : 'b') : 'rare'}`,
    );
    const path = join(dir, 'rare.csv');
    await writeFile(path, `u,v,label\n${rows.join('\n')}\n`);
    const dataset = await readCsv(path);
    const prepared = prepareData(dataset, defaultDataSettings(dataset));
    const warning = prepared.warnings.find((w) => w.code === 'small-class');
    expect(warning?.message).toContain("rare.csv column 'label': class 'rare' has only 4 rows");
  });

  it('treats the few text cells of a numeric feature as missing and repeats the warning', async () => {
    const dataset = await readCsv(join(fixtures, 'bad', 'mostly_numbers.csv'));
    const prepared = prepareData(dataset, defaultDataSettings(dataset));
    expect(prepared.warnings.find((w) => w.code === 'non-numeric-cells')?.column).toBe('y');
    const y = prepared.preprocessor.features.find((f) => f.name === 'y') as NumericFeature;
    const k = Array.from(prepared.train.rows).indexOf(6);
    const at = k >= 0 ? prepared.train : prepared.validation.rows.includes(6) ? prepared.validation : prepared.test;
    const index = Array.from(at.rows).indexOf(6);
    const scale = y.scale as { mean: number; std: number };
    expect(at.x[index * 1]).toBe(Math.fround(Math.fround(y.fill - scale.mean) / scale.std));
  });

  it('a text column used as numbers fails, naming the column and the cells', () => {
    const settings = updateColumnSettings(
      setTarget(defaultDataSettings(data.auto_mpg), data.auto_mpg, 'mpg'),
      'origin',
      { treatAs: 'number' },
    );
    const error = thrown(() => prepareData(data.auto_mpg, settings));
    expect(error.code).toBe('not-numeric');
    expect(error.message).toContain(
      "auto_mpg.csv column 'origin' is used as a numeric feature, but 398 of its cells are text (line 2 'USA'",
    );
    expect(error.message).toContain('Treat it as a category');
    expect([error.column, error.line]).toEqual(['origin', 2]);
  });

  it('a regression target with text fails', () => {
    const settings = updateColumnSettings(defaultDataSettings(data.iris), 'species', { treatAs: 'number' });
    const error = thrown(() => prepareData(data.iris, settings));
    expect(error.message).toContain(
      "iris.csv column 'species' is used as a regression target (numbers), but 150 of its cells are text (line 2 'setosa'",
    );
  });

  it('no features, no target, a column twice, an unknown column', () => {
    const base = defaultDataSettings(data.iris);
    const noFeatures = {
      ...base,
      columns: base.columns.map((c) => (c.role === 'feature' ? { ...c, role: 'ignore' as const } : c)),
    };
    expect(thrown(() => prepareData(data.iris, noFeatures)).message).toContain(
      "iris.csv: no column is chosen as a feature, so the model has nothing to predict 'species' from",
    );
    const noTarget = { ...base, columns: base.columns.filter((c) => c.role !== 'target') };
    expect(thrown(() => prepareData(data.iris, noTarget)).code).toBe('no-target');
    const twice = {
      ...base,
      columns: [
        ...base.columns,
        { ...setting(base, 'species'), role: 'feature' as const, encoding: 'onehot' as const },
      ],
    };
    const error = thrown(() => prepareData(data.iris, twice));
    expect(error.message).toContain(
      "iris.csv column 'species' appears twice in the settings (once as target, once as feature)",
    );
    expect(error.column).toBe('species');
    const unknown = {
      ...base,
      columns: [...base.columns, { ...setting(base, 'species'), name: 'colour', role: 'feature' as const }],
    };
    expect(thrown(() => prepareData(data.iris, unknown)).message).toContain("iris.csv has no column 'colour'");
  });

  it('split fractions must add up to 1', () => {
    const base = defaultDataSettings(data.iris);
    const error = thrown(() => prepareData(data.iris, { ...base, split: { ...base.split, train: 0.8 } }));
    expect(error.code).toBe('bad-split');
    expect(error.message).toContain('iris.csv: the split fractions add up to 1.1');
  });

  it('a target with one class fails', async () => {
    const path = join(dir, 'oneclass.csv');
    await writeFile(path, 'a,b,label\n1,2,x\n3,4,x\n5,6,x\n');
    const dataset = await readCsv(path);
    const error = thrown(() => prepareData(dataset, defaultDataSettings(dataset)));
    expect(error.code).toBe('one-class');
    expect(error.message).toContain("oneclass.csv column 'label' has only one value (x)");
  });
});
