/**
 * `layerlab export --format pytorch|keras` as a person runs it: the script and the run's weights are written,
 * the script started from those weights scores what the project recorded, and a bad --format is named.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pythonWith } from '../python/python-env.js';
import { layerlab } from './cli-kit.js';
import { readReport, runPython } from './script-export-kit.js';
import { fixturePath } from './training-kit.js';

const torchEnv = pythonWith(['torch']);

describe('layerlab export --format', () => {
  let dir = '';
  let project = '';

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'layerlab-script-cli-'));
    project = path.join(dir, 'iris.layerlab.json');
    const trained = await layerlab([
      'train',
      '--data',
      fixturePath('iris.csv'),
      '--target',
      'species',
      '--epochs',
      '8',
      '--project',
      project,
    ]);
    expect(trained.code, trained.stderr).toBe(0);
  }, 180_000);

  afterAll(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes a PyTorch script and the run weights beside it', async () => {
    const out = path.join(dir, 'train.py');
    const result = await layerlab(['export', '--project', project, '--format', 'pytorch', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`Wrote ${out} (pytorch) and ${path.join(dir, 'train.weights.bin')}`);
    const script = await fs.readFile(out, 'utf8');
    expect(script).toContain('import torch');
    expect(script).toContain('DistributedDataParallel');
    expect(script).toContain('"target": "species"');
    const weights = await fs.readFile(path.join(dir, 'train.weights.bin'));
    expect(weights.subarray(0, 4).toString('latin1')).toBe('LLW1');
  });

  it.skipIf(!torchEnv.python)(
    "the script started from the run's weights scores what the project recorded",
    async () => {
      const out = path.join(dir, 'again.py');
      expect(
        (await layerlab(['export', '--project', project, '--format', 'pytorch', '--use-fitted', '--out', out])).code,
      ).toBe(0);
      const reportFile = path.join(dir, 'again.json');
      await runPython(torchEnv.python!, [
        out,
        '--epochs',
        '0',
        '--weights',
        path.join(dir, 'again.weights.bin'),
        '--report',
        reportFile,
      ]);
      const recorded = JSON.parse(await fs.readFile(project, 'utf8')).runs[0].finalValidation as Record<string, number>;
      const report = await readReport(reportFile);
      expect(report.finalValidation.valAccuracy).toBeCloseTo(recorded.valAccuracy!, 6);
      expect(report.finalValidation.valLoss).toBeCloseTo(recorded.valLoss!, 4);
    },
    120_000,
  );

  it('writes a Keras script', async () => {
    const out = path.join(dir, 'train_keras.py');
    const result = await layerlab(['export', '--project', project, '--format', 'keras', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(await fs.readFile(out, 'utf8')).toContain('tf.distribute.MirroredStrategy()');
  });

  it('names the formats when --format is not one of them', async () => {
    const result = await layerlab(['export', '--project', project, '--format', 'jax', '--out', path.join(dir, 'x.py')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--format must be one of onnx, pytorch, keras (got "jax").');
  });
});
