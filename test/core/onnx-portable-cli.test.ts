/** `layerlab export --onnx-profile portable` and `layerlab predict` on what it writes, run as a person would. */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifest } from '../../src-main/core/onnx/index.js';
import { loadProject } from '../../src-main/core/project/index.js';
import { layerlab } from './cli-kit.js';
import { fixturePath } from './training-kit.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'layerlab-portable-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const project = path.join(dir, 'cars.layerlab.json');
const cars = fixturePath('auto_mpg.csv');

const lines = (text: string) => text.trim().split('\n');

describe('layerlab export --onnx-profile', () => {
  beforeAll(async () => {
    const trained = await layerlab([
      'train',
      '--data',
      cars,
      '--target',
      'mpg',
      '--epochs',
      '15',
      '--seed',
      '3',
      '--project',
      project,
    ]);
    expect(trained.code).toBe(0);
  }, 240_000);

  it('portable writes the model and its manifest, checked against tf.js, and predict reads raw rows through it', async () => {
    const portable = path.join(dir, 'cars.onnx');
    const exported = await layerlab(['export', '--project', project, '--out', portable, '--onnx-profile', 'portable']);
    expect(exported.stderr).toMatch(/onnxruntime matches tf\.js within .* over \d+ validation rows/);
    expect(exported.stderr).toContain('Wrote cars.preprocess.json beside it');
    expect(exported.code).toBe(0);
    const manifest = parseManifest(
      readFileSync(path.join(dir, 'cars.preprocess.json'), 'utf8'),
      'cars.preprocess.json',
    );
    const saved = await loadProject(project);
    expect(manifest.preprocessor.task).toEqual({ kind: 'regression', target: 'mpg' });
    expect(manifest.preprocessor.features.map((f) => f.name)).toEqual(
      saved.runs[0]!.dataSettings.columns.filter((c) => c.role === 'feature').map((c) => c.name),
    );
    const inspected = await layerlab(['inspect', '--model', portable]);
    expect(inspected.stdout).toMatch(/features\s+float32\s+\[batch, \d+\]/);

    const full = path.join(dir, 'cars-full.onnx');
    expect((await layerlab(['export', '--project', project, '--out', full])).code).toBe(0);
    expect(existsSync(path.join(dir, 'cars-full.preprocess.json'))).toBe(false);

    const fromPortable = await layerlab(['predict', '--model', portable, '--data', cars]);
    const fromFull = await layerlab(['predict', '--model', full, '--data', cars]);
    expect(fromPortable.code).toBe(0);
    const a = lines(fromPortable.stdout);
    const b = lines(fromFull.stdout);
    expect(a[0]).toBe(b[0]);
    expect(a.length).toBe(399);
    const column = a[0]!.split(',').indexOf('prediction');
    a.slice(1).forEach((line, i) => {
      const got = Number(line.split(',')[column]);
      expect(Math.abs(got - Number(b[i + 1]!.split(',')[column]))).toBeLessThanOrEqual(1e-4);
    });

    // Moved away from its manifest, the model says what is missing; --manifest brings it back.
    mkdirSync(path.join(dir, 'moved'));
    const moved = path.join(dir, 'moved', 'cars.onnx');
    copyFileSync(portable, moved);
    const alone = await layerlab(['predict', '--model', moved, '--data', cars]);
    expect(alone.code).not.toBe(0);
    expect(alone.stderr).toMatch(/cars\.onnx is a portable model.*cars\.preprocess\.json is not beside it/);
    const given = await layerlab([
      'predict',
      '--model',
      moved,
      '--data',
      cars,
      '--manifest',
      path.join(dir, 'cars.preprocess.json'),
    ]);
    expect(given.code).toBe(0);
    expect(given.stdout).toBe(fromPortable.stdout);
  }, 240_000);

  it('refuses a profile it does not know, naming the choices', async () => {
    const result = await layerlab([
      'export',
      '--project',
      project,
      '--out',
      path.join(dir, 'x.onnx'),
      '--onnx-profile',
      'tiny',
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--onnx-profile must be full or portable (got "tiny").');
    expect(existsSync(path.join(dir, 'x.onnx'))).toBe(false);
  });
});
