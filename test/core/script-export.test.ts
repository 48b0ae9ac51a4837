/**
 * The generated PyTorch and Keras scripts, run with the real frameworks: the same split rows, the same parameter
 * count, validation scores close to LayerLab's own run, the run's weights reproducing its scores, distributed
 * runs, and an ONNX file that answers like the script on features LayerLab encodes from its manifest.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRecords } from '../../src-main/core/data/encode.js';
import { openOnnxModel } from '../../src-main/core/onnx/runner.js';
import { datasetRecords } from '../../src-main/core/data/rows.js';
import type { Preprocessor } from '../../src-main/core/data/types.js';
import type { ModelSpec } from '../../src-main/core/model/spec.js';
import type { ScriptFormat } from '../../src-main/core/scripts/index.js';
import { pythonWith } from '../python/python-env.js';
import {
  readReport,
  runPython,
  trainFixture,
  writeScript,
  type FixtureCase,
  type ScriptReport,
  type TrainedFixture,
} from './script-export-kit.js';

const torchEnv = pythonWith(['torch', 'onnx']);
const kerasEnv = pythonWith(['tensorflow', 'keras', 'onnx']);
if (!torchEnv.python) console.warn(`[script export] PyTorch scripts ${torchEnv.skipReason}`);
if (!kerasEnv.python) console.warn(`[script export] Keras scripts ${kerasEnv.skipReason}`);
const anyPython = Boolean(torchEnv.python || kerasEnv.python);

const digitsSpec = (): ModelSpec => ({
  version: 1,
  layers: [
    { className: 'Reshape', config: { targetShape: [8, 8, 1] } },
    { className: 'Conv2D', config: { filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' } },
    { className: 'MaxPooling2D', config: { poolSize: 2 } },
    { className: 'Flatten', config: {} },
    { className: 'Dense', config: { units: 10, activation: 'softmax' } },
  ],
});

const CASES: (FixtureCase & { score: 'valAccuracy' | 'valR2'; tolerance: number })[] = [
  { file: 'iris.csv', target: 'species', epochs: 60, score: 'valAccuracy', tolerance: 0.03 },
  { file: 'breast_cancer.csv', target: 'diagnosis', epochs: 25, score: 'valAccuracy', tolerance: 0.03 },
  { file: 'auto_mpg.csv', target: 'mpg', epochs: 60, score: 'valR2', tolerance: 0.05 },
  { file: 'digits.csv', target: 'digit', epochs: 12, spec: digitsSpec, score: 'valAccuracy', tolerance: 0.03 },
];

/** Runs several scripts in one interpreter, so the framework is imported once for all of them. */
const MANY = `import json, runpy, sys
for argv in json.loads(sys.argv[1]):
    sys.argv = argv
    runpy.run_path(argv[0], run_name="__main__")
`;

let dir = '';
const fixtures = new Map<string, TrainedFixture>();
const reports = new Map<string, ScriptReport>();
const splitsOf = new Map<string, unknown>();
const key = (name: string, format: ScriptFormat, variant = 'fresh'): string => `${name}/${format}/${variant}`;

async function runAll(python: string, format: ScriptFormat): Promise<void> {
  const jobs: { key: string; argv: string[] }[] = [];
  for (const fixture of fixtures.values()) {
    const { script, weights } = await writeScript(dir, fixture, format);
    const base = path.join(dir, `${fixture.name}-${format}`);
    const epochs = String(fixture.settings.epochs);
    jobs.push({
      key: key(fixture.name, format),
      argv: [script, '--epochs', epochs, '--report', `${base}.json`, '--dump-split', `${base}.split.json`],
    });
    // The run's own weights and fitted preprocessing, not trained further: LayerLab's scores again.
    jobs.push({
      key: key(fixture.name, format, 'weights'),
      argv: [script, '--epochs', '0', '--weights', weights, '--use-fitted', '--report', `${base}.w.json`],
    });
  }
  await runPython(python, ['-c', MANY, JSON.stringify(jobs.map((j) => j.argv))]);
  for (const job of jobs) {
    reports.set(job.key, await readReport(job.argv[job.argv.indexOf('--report') + 1]!));
    const dump = job.argv.indexOf('--dump-split');
    if (dump >= 0) splitsOf.set(job.key, JSON.parse(await fs.readFile(job.argv[dump + 1]!, 'utf8')));
  }
}

beforeAll(async () => {
  if (!anyPython) return;
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'layerlab-scripts-'));
  for (const c of CASES) fixtures.set(c.file.replace(/\.csv$/, ''), await trainFixture(c));
  await Promise.all([
    torchEnv.python ? runAll(torchEnv.python, 'pytorch') : null,
    kerasEnv.python ? runAll(kerasEnv.python, 'keras') : null,
  ]);
}, 900_000);

afterAll(async () => {
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

async function onnxAnswers(file: string, fixture: TrainedFixture, rows: number[]): Promise<Float32Array> {
  const manifest = JSON.parse(await fs.readFile(file.replace(/\.onnx$/, '.preprocess.json'), 'utf8')) as {
    format: string;
    input: string;
    preprocessor: Preprocessor;
  };
  expect(manifest.format).toBe('layerlab-preprocess');
  // LayerLab's own encoder, given the script's fitted values, prepares the raw rows.
  const { x, count } = encodeRecords(manifest.preprocessor, datasetRecords(fixture.dataset, rows));
  const session = await ort.InferenceSession.create(file);
  const width = manifest.preprocessor.encodedWidth;
  const out = await session.run({ [manifest.input]: new ort.Tensor('float32', x, [count, width]) });
  const head = fixture.prepared.preprocessor.task.kind === 'regression' ? 'prediction' : 'probabilities';
  expect(session.outputNames).toContain(head);
  if (head === 'probabilities') {
    expect(out.label!.type).toBe('int64');
    const labels = Array.from(out.label!.data as BigInt64Array, Number);
    const probabilities = out.probabilities!.data as Float32Array;
    const k = probabilities.length / count;
    labels.forEach((label, r) => {
      const row = Array.from(probabilities.subarray(r * k, (r + 1) * k));
      expect(label).toBe(row.indexOf(Math.max(...row)));
    });
  }
  // The same file in LayerLab's Predict runner, which finds the manifest beside it and encodes the raw rows itself.
  const predict = await openOnnxModel(file);
  try {
    const viaPredict = await predict.runRecordsRaw(datasetRecords(fixture.dataset, rows));
    const ours = viaPredict[head]!.data as Float32Array;
    const direct = out[head]!.data as Float32Array;
    expect(ours.length).toBe(direct.length);
    ours.forEach((v, i) => expect(Math.abs(v - direct[i]!)).toBeLessThan(1e-6));
    if (head === 'probabilities') {
      const names = manifest.preprocessor.task.labels!;
      const expected = Array.from(out.label!.data as BigInt64Array, (k) => names[Number(k)]);
      expect(Array.from(viaPredict.label!.data as string[])).toEqual(expected);
    }
  } finally {
    await predict.close();
  }
  return out[head]!.data as Float32Array;
}

for (const format of ['pytorch', 'keras'] as const) {
  const env = format === 'pytorch' ? torchEnv : kerasEnv;
  describe.skipIf(!env.python)(`${format} script`, () => {
    for (const c of CASES) {
      const name = c.file.replace(/\.csv$/, '');
      it(`${name}: the same split rows, parameter count and ${c.score} within ${c.tolerance} of LayerLab`, () => {
        const fixture = fixtures.get(name)!;
        const report = reports.get(key(name, format))!;
        expect(splitsOf.get(key(name, format))).toEqual({
          train: Array.from(fixture.prepared.train.rows),
          validation: Array.from(fixture.prepared.validation.rows),
          test: Array.from(fixture.prepared.test.rows),
        });
        expect(report.parameters).toBe(fixture.parameters);
        const ours = fixture.result.finalValidation[c.score]!;
        // On a small validation split one row is worth more than the tolerance (iris: 1/23); one row is allowed then.
        const oneRow = c.score === 'valAccuracy' ? 1 / fixture.prepared.validation.count : 0;
        expect(Math.abs(report.finalValidation[c.score]! - ours)).toBeLessThanOrEqual(
          Math.max(c.tolerance, oneRow) + 1e-9,
        );
      });

      it(`${name}: started from the run's weights, it scores as LayerLab did`, () => {
        const fixture = fixtures.get(name)!;
        const report = reports.get(key(name, format, 'weights'))!;
        expect(report.finalValidation[c.score]).toBeCloseTo(fixture.result.finalValidation[c.score]!, 5);
        expect(report.finalValidation.valLoss).toBeCloseTo(fixture.result.finalValidation.valLoss!, 4);
      });

      it(`${name}: its ONNX file in LayerLab's Predict runner matches the script's predictions`, async () => {
        const fixture = fixtures.get(name)!;
        const report = reports.get(key(name, format))!;
        expect(report.onnx).toBeTruthy();
        const answers = await onnxAnswers(report.onnx!, fixture, report.validationRows);
        const expected = report.validationPredictions.flat();
        expect(answers.length).toBe(expected.length);
        const worst = expected.reduce(
          (m, v, i) => Math.max(m, Math.abs(v - answers[i]!) / Math.max(1, Math.abs(v))),
          0,
        );
        expect(worst).toBeLessThan(1e-4);
      });
    }
  });
}

describe.skipIf(!torchEnv.python)('pytorch script, distributed', () => {
  it('finishes under torchrun --standalone --nproc_per_node=2 on CPU with gloo; rank 0 writes the report', async () => {
    const fixture = fixtures.get('iris')!;
    const { script } = await writeScript(dir, fixture, 'pytorch');
    const reportFile = path.join(dir, 'iris-ddp.json');
    const torchrun = path.join(path.dirname(torchEnv.python!), 'torchrun');
    const { stdout } = await runPython(torchrun, [
      '--standalone',
      '--nproc_per_node=2',
      script,
      '--epochs',
      '5',
      '--report',
      reportFile,
    ]);
    const report = await readReport(reportFile);
    expect(report.parameters).toBe(fixture.parameters);
    expect(report.epochsCompleted).toBeGreaterThan(0);
    expect(report.finalValidation.valAccuracy).toBeGreaterThan(0.5);
    // Only rank 0 speaks, so the closing line appears once.
    expect(stdout.match(/^Wrote /gm)?.length).toBe(1);
  }, 300_000);
});

describe.skipIf(!kerasEnv.python)('keras script, distributed', () => {
  it('runs inside tf.distribute.MirroredStrategy on CPU', async () => {
    const fixture = fixtures.get('iris')!;
    const { script } = await writeScript(dir, fixture, 'keras');
    const reportFile = path.join(dir, 'iris-mirrored.json');
    await runPython(kerasEnv.python!, [script, '--strategy', 'mirrored', '--epochs', '5', '--report', reportFile]);
    const report = await readReport(reportFile);
    expect(report.parameters).toBe(fixture.parameters);
    expect(report.finalValidation.valAccuracy).toBeGreaterThan(0.5);
  }, 300_000);
});
