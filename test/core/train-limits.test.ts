/**
 * Limits before work: a model too large or too deep is refused before anything is built, and `layerlab train
 * --project` checks everything that could lose the run (settings the project cannot hold, a folder it cannot
 * write) before training. Each refusal is asserted by its text: it names the layer or flag and the fix.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LAYERS, modelSizeIssue, validateModelSpec, type ModelSpec } from '../../src-main/core/model/index.js';
import { layerlab, repoRoot } from './cli-kit.js';

const iris = path.join(repoRoot, 'test', 'fixtures', 'iris.csv');
const dense = (units: number, activation = 'relu') => ({ className: 'Dense', config: { units, activation } });
const spec = (...layers: ReturnType<typeof dense>[]) => ({ version: 1, layers }) as unknown as ModelSpec;
const BUDGET = { bytes: 8 * 1024 ** 3, source: "half of this machine's 16.0 GB" };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'layerlab-limits-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeJson(name: string, value: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

describe('model limits, before anything is allocated', () => {
  it('refuses Dense(units: 1e9) naming the layer, its weights and the limit', () => {
    expect(modelSizeIssue([4], spec(dense(1e9), dense(3, 'softmax')), 32, BUDGET)).toBe(
      'The model is too large: layer 1 (Dense) has 5,000,000,000 weights (18.6 GB); one layer may have up to ' +
        '268,435,456. Make layer 1 (Dense) smaller (fewer units or filters).',
    );
  });

  it('refuses two Dense(20000) naming the second layer', () => {
    expect(modelSizeIssue([4], spec(dense(20000), dense(20000)), 32, BUDGET)).toMatch(
      /^The model is too large: layer 2 \(Dense\) has 400,020,000 weights \(1\.5 GB\)/,
    );
  });

  it('refuses a model over the machine budget with the estimate, the budget and its source', () => {
    const issue = modelSizeIssue([4], spec(dense(10000), dense(10000), dense(3)), 32, {
      bytes: 1024 ** 3,
      source: "half of this machine's 2.0 GB",
    });
    expect(issue).toBe(
      'The model is too large for this machine: training its 100,090,003 weights on batches of 32 needs about ' +
        "1.5 GB, and LayerLab may use 1.0 GB (half of this machine's 2.0 GB). The largest layer is layer 2 (Dense) " +
        'with 100,010,000 weights: make it smaller, or lower the batch size.',
    );
    expect(modelSizeIssue([4], spec(dense(64), dense(3)), 32, BUDGET)).toBeNull();
  });

  it('refuses a 10,000-layer spec by its length, without walking it', () => {
    const layers = Array.from({ length: 10_000 }, () => dense(4));
    const checked = validateModelSpec({ version: 1, layers });
    expect(checked).toEqual({
      ok: false,
      errors: [
        `The model has 10,000 layers; LayerLab builds models of up to ${MAX_LAYERS.toLocaleString('en-US')} layers: ` +
          'remove layers (a few wide layers learn tabular data better than thousands of narrow ones).',
      ],
    });
  });

  it('layerlab train refuses both before training', async () => {
    const big = await layerlab([
      'train',
      '--data',
      iris,
      '--target',
      'species',
      '--model',
      writeJson('big.json', spec(dense(1e9), dense(3, 'softmax'))),
    ]);
    expect(big.code).toBe(2);
    expect(big.stderr).toContain('The model is too large: layer 1 (Dense) has 5,000,000,000 weights');
    expect(big.stderr).not.toMatch(/Epoch/);
    const deep = await layerlab([
      'train',
      '--data',
      iris,
      '--target',
      'species',
      '--model',
      writeJson('deep.json', spec(...Array.from({ length: 10_000 }, () => dense(4)))),
    ]);
    expect(deep.code).toBe(2);
    expect(deep.stderr).toContain('The model has 10,000 layers; LayerLab builds models of up to 1,000 layers');
    expect(deep.stderr).not.toMatch(/call stack/);
  }, 60_000);
});

describe('layerlab train --project never loses a run', () => {
  it('refuses flags the project schema cannot hold, naming flag, value and range, before training', async () => {
    const project = path.join(dir, 'flags.layerlab.json');
    const result = await layerlab([
      'train',
      '--data',
      iris,
      '--target',
      'species',
      '--project',
      project,
      '--batch-size',
      '1000000000',
      '--learning-rate',
      '1000',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('These settings cannot be used, so training did not start:');
    expect(result.stderr).toContain(
      '- --batch-size 1000000000: Batch size must be a whole number from 1 to 1,000,000; 1,000,000,000 is not. Try 32.',
    );
    expect(result.stderr).toContain(
      '- --learning-rate 1000: Learning rate must be above 0 and at most 100; 1,000 is not. Try 0.001.',
    );
    expect(result.stderr).not.toMatch(/damaged and cannot be opened/);
    expect(existsSync(project)).toBe(false);
  }, 60_000);

  it('refuses a project folder it cannot write before training', async () => {
    const notAFolder = path.join(dir, 'plain-file');
    writeFileSync(notAFolder, 'a file where a folder should be');
    const project = path.join(notAFolder, 'p.layerlab.json');
    const result = await layerlab([
      'train',
      '--data',
      iris,
      '--target',
      'species',
      '--project',
      project,
      '--epochs',
      '1',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `--project ${project}: the folder ${notAFolder} does not exist, so the run could not be saved: choose another path.`,
    );
    expect(result.stderr).not.toMatch(/Epoch/);
  }, 60_000);

  it('--data on an existing project points it at the new file, removes leftover temps and reports unlisted weights', async () => {
    const folder = path.join(dir, 'moved');
    mkdirSync(folder);
    const project = path.join(folder, 'p.layerlab.json');
    const first = await layerlab([
      'train',
      '--data',
      iris,
      '--target',
      'species',
      '--project',
      project,
      '--epochs',
      '1',
    ]);
    expect(first.code).toBe(0);
    // What a save killed before its rename leaves behind, from a process long gone.
    const oldTemp = `.p.layerlab.json.${2 ** 22 + 7}.1000.tmp`;
    writeFileSync(path.join(folder, oldTemp), '{"half": ');
    const weights = path.join(folder, 'p.weights');
    writeFileSync(path.join(weights, `.r-lost.llw.${2 ** 22 + 7}.1000.tmp`), 'LLW1');
    writeFileSync(path.join(weights, 'r-orphan.llw'), 'LLW1');
    const other = path.join(folder, 'other.csv');
    copyFileSync(iris, other);

    const second = await layerlab(['train', '--data', other, '--project', project, '--epochs', '1']);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain(
      'Warning: p.layerlab.json: 1 weights file in p.weights belongs to no run of the project (r-orphan.llw), ' +
        'probably from a save that was interrupted: delete it if no run is missing.',
    );
    expect(second.stderr).toContain(`Warning: p.layerlab.json used ${iris}; it now uses other.csv (given with --data)`);
    expect(readdirSync(folder).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(weights).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    const saved = JSON.parse(readFileSync(project, 'utf8')) as { dataset: { path: string }; runs: unknown[] };
    expect(saved.dataset.path).toBe('other.csv');
    expect(saved.runs).toHaveLength(2);
    const exported = await layerlab(['export', '--project', project, '--out', path.join(folder, 'm.onnx')]);
    expect(exported.stderr + exported.stdout).not.toMatch(/error/i);
    expect(exported.code).toBe(0);
  }, 120_000);
});
