/**
 * The `layerlab` command end to end, as a user runs it: real files in, real files out, exit codes and messages.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerlab, repoRoot } from './cli-kit.js';
import { datasetRecords, decodeOutputs, encodeRecords, readCsv } from '../../src-main/core/data/index.js';
import { loadProject, readTrainedModel, resolveProjectPath } from '../../src-main/core/project/index.js';
import { predictRaw } from '../../src-main/core/training/index.js';

const root = repoRoot;
const fixture = (name: string) => path.join(root, 'test/fixtures', name);

/** Parses the CSV LayerLab writes (it quotes only where needed; predictions have no embedded newlines). */
function parseSimpleCsv(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((line) => line.split(',').map((cell) => cell.replace(/^"|"$/g, '')));
}

/** The app's own answer for every row of a CSV: tf.js on the project's trained weights. */
async function appPredictions(projectPath: string, csv: string) {
  const project = await loadProject(projectPath);
  const run = project.runs.at(-1)!;
  const model = await readTrainedModel(resolveProjectPath(projectPath, run.weightsFile!));
  const dataset = await readCsv(csv);
  const { x, count } = encodeRecords(model.preprocessor, datasetRecords(dataset));
  return decodeOutputs(model.preprocessor, predictRaw(model, x, count), count);
}

describe('layerlab CLI', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'layerlab-cli-'));

  it('inspect --data prints the inferred columns and task', async () => {
    const result = await layerlab(['inspect', '--data', fixture('auto_mpg.csv')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/auto_mpg\.csv: 398 rows, 8 columns/);
    expect(result.stdout).toMatch(/horsepower\s+(number|integer)\s+feature\s+standardize\s+6\b/);
    expect(result.stdout).toMatch(/origin\s+category\s+feature\s+onehot/);
    expect(result.stdout).toContain('Target: mpg → regression');
  });

  describe('iris: train, export, predict', () => {
    const project = path.join(dir, 'iris.layerlab.json');
    const report = path.join(dir, 'iris-report.json');
    const onnx = path.join(dir, 'iris.onnx');
    let trainResult: Awaited<ReturnType<typeof layerlab>>;

    beforeAll(async () => {
      trainResult = await layerlab([
        'train',
        '--data',
        fixture('iris.csv'),
        '--target',
        'species',
        '--epochs',
        '60',
        '--learning-rate',
        '0.01',
        '--seed',
        '5',
        '--project',
        project,
        '--report',
        report,
        '--onnx',
        onnx,
      ]);
    });

    it('trains, reports and records the run', async () => {
      expect(trainResult.stderr).toMatch(/Training on (tensorflow|wasm|cpu)/);
      expect(trainResult.code).toBe(0);
      const json = JSON.parse(readFileSync(report, 'utf8'));
      expect(['tensorflow', 'wasm', 'cpu']).toContain(json.backend);
      expect(json.task).toBe('multiclass');
      expect(json.classLabels).toEqual(['setosa', 'versicolor', 'virginica']);
      expect(json.epochs.length).toBeGreaterThan(0);
      expect(json.epochs[0].metrics).toHaveProperty('valLoss');
      expect(json.finalValidation.valAccuracy).toBeGreaterThanOrEqual(0.9);
      expect(Object.keys(json.finalTest)).toEqual(Object.keys(json.finalValidation));
      expect(json.trainingSamplesPerSecond).toBeGreaterThan(0);
      expect(json.seconds).toBeGreaterThan(0);
      const saved = await loadProject(project);
      expect(saved.runs).toHaveLength(1);
      expect(saved.runs[0]?.weightsFile).toMatch(/^iris\.weights\/run-.*\.llw$/);
      expect(saved.runs[0]?.finalTest).toEqual(json.finalTest);
    });

    it('reports each layer with weights at every epoch, and keeps them out of the project file', async () => {
      const json = JSON.parse(readFileSync(report, 'utf8'));
      expect(json.epochsWithoutLayerStats).toBeUndefined();
      for (const epoch of json.epochs) {
        expect(epoch.layers.map((l: { className: string }) => l.className)).toEqual(['Dense', 'Dense', 'Dense']);
        for (const layer of epoch.layers) {
          for (const key of ['weightMean', 'weightStd', 'weightNorm', 'gradientNorm', 'updateRatio'])
            expect(Number.isFinite(layer[key]), `${key} of layer ${layer.index}`).toBe(true);
          expect(layer.weightNorm).toBeGreaterThan(0);
          expect(layer.gradientNorm).toBeGreaterThan(0);
        }
      }
      const saved = await loadProject(project);
      expect(saved.runs[0]!.history.some((r) => 'layers' in r)).toBe(false);
    });

    it('predicts from the raw CSV with the same labels as the app', async () => {
      const out = path.join(dir, 'iris-predictions.csv');
      const result = await layerlab(['predict', '--model', onnx, '--data', fixture('iris.csv'), '--out', out]);
      expect(result.code).toBe(0);
      const rows = parseSimpleCsv(readFileSync(out, 'utf8'));
      const header = rows[0] ?? [];
      expect(header).toContain('label');
      expect(header).toContain('sepal_length_cm');
      const labelColumn = header.indexOf('label');
      const expected = await appPredictions(project, fixture('iris.csv'));
      expect(rows.length - 1).toBe(150);
      expect(rows.slice(1).map((r) => r[labelColumn])).toEqual(expected.map((p) => p.label));
    });

    it('exports again from the project and inspects the file', async () => {
      const again = path.join(dir, 'iris-again.onnx');
      const exported = await layerlab(['export', '--project', project, '--out', again]);
      expect(exported.code).toBe(0);
      expect(exported.stderr).toMatch(/onnxruntime matches tf\.js within/);
      const inspected = await layerlab(['inspect', '--model', again]);
      expect(inspected.code).toBe(0);
      expect(inspected.stdout).toMatch(/producer LayerLab/);
      expect(inspected.stdout).toMatch(/petal_width_cm\s+float32\s+\[batch, 1\]/);
      expect(inspected.stdout).toMatch(/label\s+string/);
    });
  });

  it('auto mpg (missing horsepower, text origin): trains, exports and predicts in mpg', async () => {
    const project = path.join(dir, 'mpg.layerlab.json');
    const onnx = path.join(dir, 'mpg.onnx');
    const trained = await layerlab([
      'train',
      '--data',
      fixture('auto_mpg.csv'),
      '--target',
      'mpg',
      '--epochs',
      '40',
      '--seed',
      '2',
      '--project',
      project,
      '--onnx',
      onnx,
    ]);
    expect(trained.code).toBe(0);
    const out = path.join(dir, 'mpg-predictions.csv');
    expect((await layerlab(['predict', '--model', onnx, '--data', fixture('auto_mpg.csv'), '--out', out])).code).toBe(
      0,
    );
    const rows = parseSimpleCsv(readFileSync(out, 'utf8'));
    const column = rows[0]!.indexOf('prediction');
    expect(column).toBeGreaterThan(-1);
    const expected = await appPredictions(project, fixture('auto_mpg.csv'));
    const got = rows.slice(1).map((r) => Number(r[column]));
    expect(got).toHaveLength(398);
    got.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!.prediction!, 3));
    // Predictions are in miles per gallon, not standardized units.
    const mean = got.reduce((a, b) => a + b, 0) / got.length;
    expect(mean).toBeGreaterThan(15);
    expect(mean).toBeLessThan(32);
  });

  it('fails with a clear message and exit code on bad input', async () => {
    const missingColumn = await layerlab(['train', '--data', fixture('iris.csv'), '--target', 'colour']);
    expect(missingColumn.code).toBe(2);
    expect(missingColumn.stderr).toContain('--target "colour" is not a column of iris.csv');
    expect(missingColumn.stderr).toContain('species');

    const missingFile = await layerlab(['train', '--data', path.join(dir, 'nope.csv'), '--target', 'y']);
    expect(missingFile.code).toBe(1);
    expect(missingFile.stderr).toMatch(/nope\.csv/);
    expect(missingFile.stderr).toMatch(/not found/i);

    const badNumber = await layerlab([
      'train',
      '--data',
      fixture('iris.csv'),
      '--target',
      'species',
      '--epochs',
      'many',
    ]);
    expect(badNumber.code).toBe(2);
    expect(badNumber.stderr).toContain('--epochs must be a number');

    const badModel = path.join(dir, 'bad-model.json');
    writeFileSync(
      badModel,
      JSON.stringify({ version: 1, layers: [{ className: 'Conv2D', config: { filters: 4, kernelSize: 3 } }] }),
    );
    const wrongShape = await layerlab([
      'train',
      '--data',
      fixture('iris.csv'),
      '--target',
      'species',
      '--model',
      badModel,
    ]);
    expect(wrongShape.code).toBe(2);
    expect(wrongShape.stderr).toMatch(/Conv2D \(layer 1\) needs a 3-D input/);

    const notExportable = path.join(dir, 'relu6-lstm.json');
    writeFileSync(
      notExportable,
      JSON.stringify({
        version: 1,
        layers: [
          { className: 'Reshape', config: { targetShape: [4, 1] } },
          { className: 'LSTM', config: { units: 4, activation: 'relu6' } },
          { className: 'Dense', config: { units: 3, activation: 'softmax' } },
        ],
      }),
    );
    const refused = await layerlab([
      'train',
      '--data',
      fixture('iris.csv'),
      '--target',
      'species',
      '--model',
      notExportable,
      '--onnx',
      path.join(dir, 'never.onnx'),
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/cannot be exported to ONNX:\n- LSTM \(layer 2\)/);
    expect(refused.stderr).not.toMatch(/Training on/);

    const help = await layerlab(['--help']);
    expect(help.stdout).toMatch(/layerlab runs +--project P\.layerlab\.json \[--json\]/);

    const unknown = await layerlab(['fly']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "fly"');
  });
});
