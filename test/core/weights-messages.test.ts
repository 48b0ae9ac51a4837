/**
 * A run's weights file gone, or swapped for another model's: `layerlab export` says which run, which file and
 * what to do, instead of a raw ENOENT or a row-size arithmetic error from deep in prediction.
 */
import { copyFileSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject, resolveProjectPath } from '../../src-main/core/project/index.js';
import { layerlab, repoRoot } from './cli-kit.js';

const fixture = (name: string) => path.join(repoRoot, 'test/fixtures', name);
const dir = mkdtempSync(path.join(os.tmpdir(), 'layerlab-weights-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function trainProject(name: string, data: string, target: string): Promise<string> {
  const project = path.join(dir, `${name}.layerlab.json`);
  const trained = await layerlab([
    'train',
    '--data',
    fixture(data),
    '--target',
    target,
    '--epochs',
    '2',
    '--project',
    project,
  ]);
  expect(trained.code, trained.stderr).toBe(0);
  return project;
}

async function weightsOf(project: string): Promise<string> {
  const doc = await loadProject(project);
  return resolveProjectPath(project, doc.runs.at(-1)!.weightsFile!);
}

describe('weights files that do not belong to the run', () => {
  let iris: string;
  let wine: string;
  beforeAll(async () => {
    iris = await trainProject('iris', 'iris.csv', 'species');
    wine = await trainProject('wine', 'wine.csv', 'cultivar');
  }, 240_000);

  it('a weights file from another model is named as such, with the fix', async () => {
    copyFileSync(await weightsOf(wine), await weightsOf(iris));
    const exported = await layerlab(['export', '--project', iris, '--out', path.join(dir, 'iris.onnx')]);
    expect(exported.code).not.toBe(0);
    expect(exported.stderr).toMatch(/Run 1: .*\.llw was trained on 13 input values per row, but this data gives 4/);
    expect(exported.stderr).toContain('use the dataset the run was trained on, or train the run again');
    expect(exported.stderr).not.toContain('predictRaw');
  }, 120_000);

  it('a missing weights file names the file, where it was looked for and what to do', async () => {
    const file = await weightsOf(wine);
    unlinkSync(file);
    const exported = await layerlab(['export', '--project', wine, '--out', path.join(dir, 'wine.onnx')]);
    expect(exported.code).not.toBe(0);
    expect(exported.stderr).toContain(`Run 1: The weights file ${path.basename(file)} is missing`);
    expect(exported.stderr).toContain("put the project's .weights folder back beside the project file");
    expect(exported.stderr).not.toContain('ENOENT');
  }, 120_000);
});
