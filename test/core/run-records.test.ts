/**
 * A project's runs through the `layerlab` command: one set of final metrics (the kept weights') in the report,
 * the project's record and the ONNX metadata; the test split evaluated; runs listed by number and exported by
 * number; a run without weights refused by name. Real training on the iris fixture (70/15/15 split).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerlab, repoRoot } from './cli-kit.js';
import { prepareData, readCsv } from '../../src-main/core/data/index.js';
import { inspectOnnx, onnx } from '../../src-main/core/onnx/index.js';
import { loadProject, readTrainedModel, resolveProjectPath } from '../../src-main/core/project/index.js';
import { trainAndEvaluate } from '../../src-main/app/index.js';
import { defaultTrainingSettings, evaluate } from '../../src-main/core/training/index.js';
import { loadFixture } from './training-kit.js';

const root = repoRoot;
const iris = path.join(root, 'test/fixtures/iris.csv');

/** Every float the ONNX file holds as a constant: the trained weights plus the preprocessing statistics. */
function initializerValues(file: string): number {
  const model = onnx.ModelProto.decode(readFileSync(file));
  return (model.graph?.initializer ?? []).reduce(
    (sum, t) => sum + (t.dims ?? []).reduce((n: number, d) => n * Number(d), 1),
    0,
  );
}

const smallModel = {
  version: 1,
  layers: [
    { className: 'Dense', config: { units: 5, activation: 'relu' } },
    { className: 'Dense', config: { units: 3, activation: 'softmax' } },
  ],
};

describe('runs of a project, and their one set of final metrics', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'layerlab-runs-'));
  const project = path.join(dir, 'flowers.layerlab.json');
  const report = path.join(dir, 'report.json');
  const firstOnnx = path.join(dir, 'first.onnx');
  const modelFile = path.join(dir, 'small.json');
  let reportJson: {
    keptEpoch: number;
    finalValidation: Record<string, number>;
    finalTest: Record<string, number>;
  };

  beforeAll(async () => {
    const common = ['--epochs', '40', '--learning-rate', '0.02', '--seed', '3', '--project', project];
    const first = await layerlab(['train', '--data', iris, '--target', 'species', ...common, '--report', report]);
    expect(first.stderr).toMatch(/Saved run/);
    expect(first.code).toBe(0);
    reportJson = JSON.parse(readFileSync(report, 'utf8'));
    expect((await layerlab(['export', '--project', project, '--out', firstOnnx])).code).toBe(0);
    writeFileSync(modelFile, JSON.stringify(smallModel));
    const second = await layerlab(['train', '--project', project, '--model', modelFile, ...common]);
    expect(second.code).toBe(0);
  }, 240_000);

  it('gives the kept weights the same metrics in the report, the project record and the ONNX metadata', async () => {
    const saved = await loadProject(project);
    const record = saved.runs[0]!;
    expect(Object.keys(reportJson.finalValidation).sort()).toEqual(
      ['valAccuracy', 'valF1', 'valLoss', 'valPrecision', 'valRecall'].sort(),
    );
    expect(record.finalValidation).toEqual(reportJson.finalValidation);
    expect(record.finalTest).toEqual(reportJson.finalTest);
    expect(record.keptEpoch).toBe(reportJson.keptEpoch);
    // The kept epoch's own history line is where the validation metrics come from.
    const keptLine = record.history.find((h) => h.epoch === record.keptEpoch)!;
    expect(keptLine.metrics.valAccuracy).toBe(record.finalValidation.valAccuracy);
    const metadata = inspectOnnx(firstOnnx).layerlab!;
    expect(metadata.validationMetrics).toEqual(reportJson.finalValidation);
    expect(metadata.testMetrics).toEqual(reportJson.finalTest);
  });

  it('evaluates the kept weights on the test rows, with the validation metric names', async () => {
    expect(Object.keys(reportJson.finalTest).sort()).toEqual(Object.keys(reportJson.finalValidation).sort());
    const saved = await loadProject(project);
    const record = saved.runs[0]!;
    const model = await readTrainedModel(resolveProjectPath(project, record.weightsFile!));
    const prepared = prepareData(await readCsv(iris), record.dataSettings);
    expect(prepared.test.count).toBeGreaterThanOrEqual(20);
    const onTest = evaluate(model, prepared.test);
    const onValidation = evaluate(model, prepared.validation);
    if (onTest.kind !== 'classification' || onValidation.kind !== 'classification') throw new Error('iris classifies');
    expect(reportJson.finalTest.valAccuracy).toBeCloseTo(onTest.accuracy, 10);
    expect(reportJson.finalTest.valF1).toBeCloseTo(onTest.f1, 10);
    expect(reportJson.finalValidation.valAccuracy).toBeCloseTo(onValidation.accuracy, 10);
    expect(reportJson.finalTest.valLoss).toBeGreaterThan(0);
  });

  it('lists both runs with their numbers, what they kept and their metrics', async () => {
    const saved = await loadProject(project);
    const listed = await layerlab(['runs', '--project', project, '--json']);
    expect(listed.code).toBe(0);
    const runs = JSON.parse(listed.stdout) as Array<Record<string, unknown>>;
    expect(runs.map((r) => r.number)).toEqual([1, 2]);
    expect(runs.map((r) => r.id)).toEqual(saved.runs.map((r) => r.id));
    expect(runs[0]!.finalValidation).toEqual(reportJson.finalValidation);
    expect(runs[0]!.finalTest).toEqual(reportJson.finalTest);
    expect(runs[0]!.keptEpoch).toBe(reportJson.keptEpoch);
    expect(runs[1]!.epochs).toBe(saved.runs[1]!.history.length);

    const text = await layerlab(['runs', '--project', project]);
    expect(text.stdout).toContain('flowers.layerlab.json: 2 runs');
    expect(text.stdout).toContain(`Run 1  ${saved.runs[0]!.id}`);
    expect(text.stdout).toContain(`Run 2  ${saved.runs[1]!.id}`);
    expect(text.stdout).toContain(`valAccuracy ${reportJson.finalValidation.valAccuracy!.toFixed(4)}`);
    expect(text.stdout).toMatch(/test: {7}valLoss \d/);
  });

  it('exports run 1 by its number, and the latest run by default', async () => {
    const one = path.join(dir, 'run-1.onnx');
    const latest = path.join(dir, 'latest.onnx');
    const exportedOne = await layerlab(['export', '--project', project, '--run', '1', '--out', one]);
    expect(exportedOne.code).toBe(0);
    expect(exportedOne.stderr).toContain('Exporting run 1');
    expect((await layerlab(['export', '--project', project, '--out', latest])).code).toBe(0);
    const saved = await loadProject(project);
    expect(inspectOnnx(one).layerlab?.modelSpec).toEqual(saved.runs[0]!.spec);
    expect(inspectOnnx(latest).layerlab?.modelSpec).toEqual(saved.runs[1]!.spec);
    expect(inspectOnnx(latest).layerlab?.validationMetrics).toEqual(saved.runs[1]!.finalValidation);
    expect(initializerValues(one)).toBe(initializerValues(firstOnnx));
    // Run 2's network is smaller (5 hidden units), so its file holds fewer weights.
    expect(initializerValues(latest)).toBeLessThan(initializerValues(one));
  });

  it('refuses a run without weights by name, and says which runs can be exported', async () => {
    const withFailed = path.join(dir, 'with-failed.layerlab.json');
    const document = JSON.parse(readFileSync(project, 'utf8'));
    const first = document.runs[0];
    document.runs.push({
      ...first,
      id: 'run-that-failed',
      outcome: 'error',
      bestEpoch: null,
      keptEpoch: null,
      history: [],
      finalValidation: {},
      finalTest: {},
      weightsFile: null,
    });
    // A file saved before the kept epoch and the test metrics were recorded still opens and lists.
    delete document.runs[1].keptEpoch;
    delete document.runs[1].finalTest;
    for (const r of document.runs) r.weightsFile &&= path.join(dir, r.weightsFile);
    writeFileSync(withFailed, JSON.stringify(document));

    const refused = await layerlab([
      'export',
      '--project',
      withFailed,
      '--run',
      '3',
      '--out',
      path.join(dir, 'x.onnx'),
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Run 3 (run-that-failed) cannot be exported: it failed before training an epoch.');
    expect(refused.stderr).toContain('Runs that can be exported: 1, 2.');
    const byId = await layerlab(['export', '--project', withFailed, '--run', 'run-that-failed', '--out', 'x.onnx']);
    expect(byId.stderr).toContain('Run 3 (run-that-failed) cannot be exported');
    const unknown = await layerlab(['export', '--project', withFailed, '--run', '7', '--out', 'x.onnx']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('has no run "7". It has 3 runs, numbered 1 to 3.');

    const listed = JSON.parse((await layerlab(['runs', '--project', withFailed, '--json'])).stdout);
    expect(listed[2]).toMatchObject({
      number: 3,
      keptEpoch: null,
      notExportable: 'it failed before training an epoch',
    });
    expect(listed[1].finalTest).toEqual({});
    expect(listed[1].keptEpoch).toBeGreaterThan(0);

    // The default skips the failed run and exports the latest one with weights.
    const latest = await layerlab(['export', '--project', withFailed, '--out', path.join(dir, 'default.onnx')]);
    expect(latest.code).toBe(0);
    expect(latest.stderr).toContain('Exporting run 2');
  });
});

describe('the weights early stopping restores are the ones measured', () => {
  it("reports the best epoch's validation metrics and evaluates that epoch's weights on the test split", async () => {
    const { prepared, spec } = await loadFixture('diabetes.csv', 'progression');
    const base = defaultTrainingSettings(prepared.preprocessor.task);
    const settings = {
      ...base,
      epochs: 300,
      seed: 4,
      optimizer: { ...base.optimizer, learningRate: 0.05 },
      earlyStopping: { ...base.earlyStopping, enabled: true, patience: 3, restoreBestWeights: true },
    };
    const { result, evaluation } = await trainAndEvaluate({ spec, prepared, settings }, { onEvent: () => {} });
    expect(result.outcome).toBe('early-stopped');
    // Stopped three epochs after the best one, whose weights it kept rather than the last epoch's.
    expect(result.keptEpoch).toBe(result.bestEpoch);
    expect(result.keptEpoch).toBe(result.history.length - 3);
    const kept = result.history[result.keptEpoch! - 1]!.metrics;
    const last = result.history.at(-1)!.metrics;
    expect(result.finalValidation).toEqual({
      valLoss: kept.valLoss,
      valMae: kept.valMae,
      valRmse: kept.valRmse,
      valR2: kept.valR2,
    });
    expect(result.finalValidation.valLoss).not.toBe(last.valLoss);
    const test = evaluation.test!;
    if (test.kind !== 'regression') throw new Error('diabetes is a regression');
    expect(test.count).toBe(prepared.test.count);
    expect(result.finalTest.valMae).toBeCloseTo(test.mae, 4);
    expect(result.finalTest.valR2).toBeCloseTo(test.r2, 4);
    expect(Object.keys(result.finalTest).sort()).toEqual(Object.keys(result.finalValidation).sort());
  }, 120_000);
});
