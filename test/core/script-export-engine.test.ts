/**
 * The window's script download: the engine writes a run's training script and weights where the host says,
 * offers both for download in browser mode, and refuses a format it does not know before acting.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src-main/contract/api.js';
import { createEngine } from '../../src-main/engine/engine.js';
import { createNodeHost } from '../../src-main/engine/node-host.js';
import type { Engine } from '../../src-main/engine/types.js';
import { ArgumentError, validateArgs } from '../../src-main/engine/validate-args.js';

let engine: Engine;
let workspaceDir: string;

beforeAll(() => {
  workspaceDir = mkdtempSync(path.join(os.tmpdir(), 'layerlab-script-engine-'));
  engine = createEngine(
    createNodeHost({ mode: 'browser', workspaceDir, offerDownload: (_file, name) => `/download/${name}` }),
  );
});

afterAll(async () => {
  await engine?.dispose();
  rmSync(workspaceDir, { recursive: true, force: true });
});

describe('exportTrainingScript', () => {
  it("writes a trained run's Keras script and weights, and offers both for download", async () => {
    const project = await engine.openSampleProject();
    const { runId } = await engine.startTraining(project.projectId, {
      datasetId: project.dataset!.id,
      dataSettings: project.document.dataSettings!,
      spec: project.document.model,
      settings: { ...project.document.training, epochs: 3, backend: 'cpu' },
    });
    await new Promise<void>((resolve) => {
      const stop = engine.onTrainingEvent((event: RunEvent) => {
        if (event.runId === runId && ['finished', 'stopped', 'error'].includes(event.event.type)) {
          stop();
          resolve();
        }
      });
    });
    const saved = await engine.exportTrainingScript(runId, 'keras', 'Flowers');
    expect(saved).not.toBeNull();
    expect(saved!.fileName).toMatch(/^Flowers-run-1-keras.*\.py$/);
    expect(saved!.weightsFileName).toBe(saved!.fileName.replace(/\.py$/, '.weights.bin'));
    expect(saved!.downloadUrl).toBe(`/download/${saved!.fileName}`);
    expect(saved!.weightsDownloadUrl).toBe(`/download/${saved!.weightsFileName}`);
    expect(saved!.message).toContain(`python ${saved!.fileName}`);
    const written = path.join(workspaceDir, 'saved');
    const script = readFileSync(path.join(written, saved!.fileName), 'utf8');
    expect(script).toContain('import keras');
    expect(script).toContain('"target": "species"');
    expect(existsSync(path.join(written, saved!.weightsFileName))).toBe(true);
  }, 120_000);

  it('refuses a format it does not know, naming the argument', () => {
    expect(() => validateArgs('exportTrainingScript', ['run-1', 'jax'])).toThrow(ArgumentError);
    expect(() => validateArgs('exportTrainingScript', ['run-1', 'jax'])).toThrow(/format/);
  });
});
