/**
 * The portable profile on real data: one float `features` input, no string tensor and no ai.onnx.ml anywhere,
 * the same answers as the full profile (on encoded features, and on raw CSV rows through the manifest), the
 * export's parity check, Python's onnx.checker, and the message when the manifest is missing.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportWithParity, predictDataset } from '../../src-main/app/index.js';
import { encodeRecords } from '../../src-main/core/data/encode.js';
import {
  datasetRecords,
  defaultDataSettings,
  inferTask,
  prepareData,
  readCsv,
} from '../../src-main/core/data/index.js';
import type { DataSettings, Dataset, PreparedData, RawRecord } from '../../src-main/core/data/types.js';
import { defaultModelSpec } from '../../src-main/core/model/index.js';
import {
  exportOnnx,
  manifestPathFor,
  manifestText,
  onnx,
  openOnnxModel,
  parseManifest,
  preprocessManifest,
  PORTABLE_INPUT,
  type OnnxModel,
} from '../../src-main/core/onnx/index.js';
import { buildModel, extractWeights } from '../../src-main/core/training/index.js';
import type { TrainedModel } from '../../src-main/core/training/types.js';
import { pythonWith } from '../python/python-env.js';
import { randomizeWeights } from './onnx-test-kit.js';
import { fixturePath } from './training-kit.js';

const TOLERANCE = 1e-5;
const dir = mkdtempSync(join(tmpdir(), 'layerlab-portable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await tf.setBackend('cpu');
});

interface Case {
  name: string;
  dataset: Dataset;
  prepared: PreparedData;
  trained: TrainedModel;
  records: RawRecord[];
  csvPath: string;
}

/** Every 7th row loses one cell of each listed column, so fills (numeric and category) are exercised. */
function blank(records: RawRecord[], columns: string[]): RawRecord[] {
  return records.map((r, i) => (i % 7 === 3 ? { ...r, ...Object.fromEntries(columns.map((c) => [c, null])) } : r));
}

function csvOf(records: RawRecord[]): string {
  const columns = Object.keys(records[0]!);
  const cell = (v: RawRecord[string]) => (v === null ? '' : String(v));
  return `${[columns.join(','), ...records.map((r) => columns.map((c) => cell(r[c] ?? null)).join(','))].join('\n')}\n`;
}

async function makeCase(
  name: string,
  file: string,
  target: string,
  blanked: string[],
  adjust: (s: DataSettings) => DataSettings = (s) => s,
): Promise<Case> {
  const source = await readCsv(fixturePath(file));
  const rows = blank(datasetRecords(source), blanked);
  const csvPath = join(dir, `${name}.csv`);
  writeFileSync(csvPath, csvOf(rows));
  const dataset = await readCsv(csvPath);
  const settings = adjust(defaultDataSettings(dataset, target));
  const prepared = prepareData(dataset, settings);
  const task = inferTask(dataset, settings);
  const spec = defaultModelSpec({ kind: task.kind, classes: task.labels?.length }, prepared.preprocessor.inputShape);
  const model = buildModel(spec, prepared.preprocessor.inputShape, 11);
  randomizeWeights(model, 12);
  const trained: TrainedModel = { spec, preprocessor: prepared.preprocessor, weights: extractWeights(model) };
  model.dispose();
  return { name, dataset, prepared, trained, records: datasetRecords(dataset), csvPath };
}

const asCategory = (column: string) => (s: DataSettings) => ({
  ...s,
  columns: s.columns.map((c) =>
    c.name === column
      ? { ...c, treatAs: 'category' as const, encoding: 'onehot' as const, missing: 'mostFrequent' as const }
      : c,
  ),
});

let cases: Case[] = [];
beforeAll(async () => {
  cases = [
    await makeCase('iris', 'iris.csv', 'species', []),
    await makeCase('auto-mpg', 'auto_mpg.csv', 'mpg', ['origin', 'weight_lbs']),
    // Categories (origin, cylinders as categories) with missing cells, for a classification task.
    await makeCase('auto-origin', 'auto_mpg.csv', 'origin', ['cylinders', 'horsepower'], asCategory('cylinders')),
    await makeCase('breast-cancer', 'breast_cancer.csv', 'diagnosis', ['mean_radius']),
  ];
}, 120_000);

const meta = { layerlabVersion: 'test' };

function writeBoth(c: Case, folder: string): { full: string; portable: string } {
  mkdirSync(folder, { recursive: true });
  const full = join(folder, `${c.name}-full.onnx`);
  const portable = join(folder, `${c.name}.onnx`);
  writeFileSync(full, exportOnnx(c.trained, meta));
  writeFileSync(portable, exportOnnx(c.trained, meta, 'portable'));
  writeFileSync(manifestPathFor(portable), manifestText(preprocessManifest(c.trained.preprocessor)));
  return { full, portable };
}

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  expect(worst).toBeLessThanOrEqual(TOLERANCE);
}

const caseNames = ['iris', 'auto-mpg', 'auto-origin', 'breast-cancer'];
const caseNamed = (name: string) => cases.find((c) => c.name === name)!;

describe('the portable graph', () => {
  it.each(caseNames)('%s: nothing a string-free runtime lacks, one float input of the encoded width', (name) => {
    const c = caseNamed(name);
    const model = onnx.ModelProto.decode(exportOnnx(c.trained, meta, 'portable'));
    const graph = model.graph!;
    const STRING = onnx.TensorProto.DataType.STRING;
    const types = [...graph.input!, ...graph.output!].map((v) => v.type!.tensorType!.elemType);
    expect(types).not.toContain(STRING);
    expect(graph.initializer!.map((t) => t.dataType)).not.toContain(STRING);
    expect(model.opsetImport!.map((o) => o.domain ?? '')).toEqual(['']);
    expect(graph.node!.filter((n) => n.domain)).toEqual([]);
    expect(graph.input!.map((i) => i.name)).toEqual([PORTABLE_INPUT]);
    const dims = graph.input![0]!.type!.tensorType!.shape!.dim!;
    expect(dims.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['batch', c.trained.preprocessor.encodedWidth]);
    const outputs = graph.output!.map((o) => o.name);
    expect(outputs).toEqual(
      c.trained.preprocessor.task.kind === 'regression' ? ['prediction'] : ['probabilities', 'label'],
    );
  });

  it.each(caseNames)('%s: on encoded features it answers what the full profile answers on raw rows', async (name) => {
    const c = caseNamed(name);
    const full = await openOnnxModel(exportOnnx(c.trained, meta));
    const portable = await openOnnxModel(exportOnnx(c.trained, meta, 'portable'));
    try {
      const raw = await full.runRecordsRaw(c.records);
      const { x, count } = encodeRecords(c.trained.preprocessor, c.records);
      const encoded = await portable.runFeeds({
        [PORTABLE_INPUT]: new ort.Tensor('float32', x, [count, c.trained.preprocessor.encodedWidth]),
      });
      const task = c.trained.preprocessor.task;
      if (task.kind === 'regression') {
        expectClose(encoded.prediction!.data as Float32Array, raw.prediction!.data as Float32Array);
        return;
      }
      expectClose(encoded.probabilities!.data as Float32Array, raw.probabilities!.data as Float32Array);
      expect(encoded.label!.type).toBe('int64');
      const named = Array.from(encoded.label!.data as BigInt64Array, (i) => task.labels![Number(i)]);
      expect(named).toEqual(Array.from(raw.label!.data as string[]));
    } finally {
      await full.close();
      await portable.close();
    }
  });

  it.each(caseNames)('%s: the export check compares onnxruntime with tf.js for the portable file too', async (name) => {
    const c = caseNamed(name);
    const checked = await exportWithParity(
      c.trained,
      { dataset: c.dataset, prepared: c.prepared },
      meta,
      undefined,
      'portable',
    );
    expect(checked.ok).toBe(true);
    expect(checked.rowsCompared).toBeGreaterThan(0);
    expect(checked.maxDifference).toBeLessThanOrEqual(1e-4);
    expect(parseManifest(checked.manifest!, 'm.preprocess.json').preprocessor).toEqual(c.trained.preprocessor);
  });
});

describe('the manifest', () => {
  it('is the format, its version, the input name and the preprocessor as LayerLab stores it', () => {
    const c = caseNamed('auto-origin');
    const json = JSON.parse(manifestText(preprocessManifest(c.trained.preprocessor))) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['format', 'version', 'input', 'preprocessor']);
    expect(json).toMatchObject({ format: 'layerlab-preprocess', version: 1, input: 'features' });
    expect(json.preprocessor).toEqual(c.trained.preprocessor);
  });

  it('is refused, by name and field, when it does not add up', () => {
    const c = caseNamed('iris');
    const bad = { ...preprocessManifest(c.trained.preprocessor) };
    bad.preprocessor = { ...bad.preprocessor, encodedWidth: 9 };
    expect(() => parseManifest(JSON.stringify(bad), 'iris.preprocess.json')).toThrow(
      /iris\.preprocess\.json is not a LayerLab preprocessing manifest.*preprocessor\.encodedWidth: is 9, but the features encode to 4 values/,
    );
    expect(() => parseManifest('{', 'x.preprocess.json')).toThrow(/x\.preprocess\.json is not valid JSON/);
  });
});

describe('Predict on a portable file', () => {
  async function tablesOf(model: OnnxModel, dataset: Dataset) {
    try {
      return await predictDataset(model, dataset);
    } finally {
      await model.close();
    }
  }

  it.each(caseNames)('%s: raw CSV rows through the manifest give the full profile prediction table', async (name) => {
    const c = caseNamed(name);
    const paths = writeBoth(c, join(dir, name));
    const dataset = await readCsv(c.csvPath);
    const portableModel = await openOnnxModel(paths.portable);
    // The window's form asks for the raw columns, not for the encoded tensor.
    expect(portableModel.info.inputs.map((i) => i.name)).toEqual(c.trained.preprocessor.features.map((f) => f.name));
    expect(portableModel.info.manifest).toBe(`${name}.preprocess.json`);
    const portable = await tablesOf(portableModel, dataset);
    const full = await tablesOf(await openOnnxModel(paths.full), dataset);
    expect(portable.columns).toEqual(full.columns);
    expect(portable.notes).toEqual(full.notes);
    expect(portable.score?.rows).toBe(full.score?.rows);
    expect(portable.rows.length).toBe(c.records.length);
    portable.rows.forEach((row, r) =>
      row.forEach((cell, k) => {
        const other = full.rows[r]![k];
        if (typeof cell === 'number' && typeof other === 'number')
          expect(Math.abs(cell - other)).toBeLessThanOrEqual(TOLERANCE);
        else expect(cell).toEqual(other);
      }),
    );
  });

  it('a manifest given by path works from any folder', async () => {
    const c = caseNamed('iris');
    const paths = writeBoth(c, join(dir, 'given'));
    const lone = join(dir, 'lone', 'model.onnx');
    mkdirSync(join(dir, 'lone'), { recursive: true });
    copyFileSync(paths.portable, lone);
    const model = await openOnnxModel(readFileSync(lone), { manifest: manifestPathFor(paths.portable) });
    const table = await tablesOf(model, await readCsv(c.csvPath));
    expect(table.score?.metrics.accuracy).toBeGreaterThanOrEqual(0);
    expect(table.columns).toContain('probability_setosa');
  });

  it('without its manifest, says which file is missing and what to do', async () => {
    const c = caseNamed('auto-mpg');
    const paths = writeBoth(c, join(dir, 'alone-src'));
    mkdirSync(join(dir, 'alone'), { recursive: true });
    const lone = join(dir, 'alone', 'cars.onnx');
    copyFileSync(paths.portable, lone);
    const model = await openOnnxModel(lone);
    try {
      await expect(model.runRecords(c.records.slice(0, 3))).rejects.toThrow(
        /cars\.onnx is a portable model: it takes encoded features \(input "features", \d+ values per row\).*cars\.preprocess\.json is not beside it.*Put the cars\.preprocess\.json exported with the model in the model's folder/,
      );
    } finally {
      await model.close();
    }
  });

  it('a bad cell is still named by its line and column', async () => {
    const c = caseNamed('iris');
    const paths = writeBoth(c, join(dir, 'bad-cell'));
    const model = await openOnnxModel(paths.portable);
    try {
      const records = [{ ...c.records[0]!, petal_width_cm: 'wide' }];
      await expect(model.runRecords(records)).rejects.toThrow(/Column "petal_width_cm", row 1: "wide" is not a number/);
    } finally {
      await model.close();
    }
  });
});

describe('Python onnx.checker', () => {
  const env = pythonWith(['onnx']);
  it.skipIf(!env.python).each(caseNames)('%s: the portable file passes the full check', (name) => {
    const c = caseNamed(name);
    const file = join(dir, `${name}-checked.onnx`);
    writeFileSync(file, exportOnnx(c.trained, meta, 'portable'));
    const script = 'import onnx, sys\nonnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)\nprint("ok")';
    const run = spawnSync(env.python!, ['-c', script, file], { encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('ok');
  });
  if (!env.python) it('skips the onnx.checker runs', () => console.warn(`[onnx portable] ${env.skipReason}`));
});
