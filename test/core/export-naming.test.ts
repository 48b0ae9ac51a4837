import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src-main/contract/api.js';
import { createEngine } from '../../src-main/engine/engine.js';
import { createNodeHost } from '../../src-main/engine/node-host.js';
import { exportFileName, runNumberIn } from '../../src-main/engine/onnx-export.js';
import type { Engine } from '../../src-main/engine/types.js';

describe('export file names', () => {
  it('name the project and the run number', () => {
    expect(exportFileName('glass', 3)).toBe('glass-run-3.onnx');
    expect(exportFileName('Iris flowers.layerlab.json', 1)).toBe('Iris flowers-run-1.onnx');
    expect(exportFileName('a/b:c', 2)).toBe('b_c-run-2.onnx');
    expect(exportFileName('', 2)).toBe('model-run-2.onnx');
  });

  it('number a run by its place among the project runs', () => {
    expect(runNumberIn(['r1', 'r2', 'r3'], 'r2')).toBe(2);
    expect(runNumberIn(['r1'], 'r9')).toBe(2);
    expect(runNumberIn([], 'r1')).toBe(1);
  });
});

describe('exporting two runs of one project', () => {
  let engine: Engine;
  let workspaceDir: string;

  beforeAll(() => {
    workspaceDir = mkdtempSync(path.join(os.tmpdir(), 'layerlab-naming-'));
    engine = createEngine(
      createNodeHost({ mode: 'browser', workspaceDir, offerDownload: (_file, name) => `/download/${name}` }),
    );
  });

  afterAll(async () => {
    await engine?.dispose();
    rmSync(workspaceDir, { recursive: true, force: true });
  });

  async function train(projectId: string, request: Parameters<Engine['startTraining']>[1]): Promise<string> {
    let stop = (): void => {};
    const ended = new Promise<RunEvent>((resolve) => {
      stop = engine.onTrainingEvent((event) => {
        if (['finished', 'stopped', 'error'].includes(event.event.type)) resolve(event);
      });
    });
    const { runId } = await engine.startTraining(projectId, request);
    const end = await ended;
    stop();
    expect(end.runId).toBe(runId);
    expect(end.event.type).toBe('finished');
    return runId;
  }

  it('gives each run its own file, named after the project shown and the run number', async () => {
    const project = await engine.openSampleProject();
    const request = {
      datasetId: project.dataset!.id,
      dataSettings: project.document.dataSettings!,
      spec: project.document.model,
      settings: { ...project.document.training, epochs: 2, backend: 'cpu' as const },
    };
    const first = await train(project.projectId, request);
    const second = await train(project.projectId, request);

    const secondExport = await engine.exportOnnx(second, 'glass');
    expect(secondExport?.fileName).toBe('glass-run-2.onnx');
    expect(secondExport?.downloadUrl).toBe('/download/glass-run-2.onnx');
    const firstExport = await engine.exportOnnx(first);
    expect(firstExport?.fileName).toBe(`${project.document.name}-run-1.onnx`);
  }, 120_000);

  it('refuses to export a run that trained no epoch, and says why', async () => {
    const project = await engine.openSampleProject();
    let stop = (): void => {};
    const ended = new Promise<RunEvent>((resolve) => {
      stop = engine.onTrainingEvent((event) => {
        if (['finished', 'stopped', 'error'].includes(event.event.type)) resolve(event);
      });
    });
    // Stopped before the trainer process has even started its first epoch.
    const { runId } = await engine.startTraining(project.projectId, {
      datasetId: project.dataset!.id,
      dataSettings: project.document.dataSettings!,
      spec: project.document.model,
      settings: { ...project.document.training, epochs: 500, backend: 'cpu' as const },
    });
    await engine.controlTraining(runId, 'stop');
    await ended;
    stop();
    const run = await engine.getRun(runId);
    expect(run.history).toHaveLength(0);
    await expect(engine.exportOnnx(runId)).rejects.toThrow('This run trained no epoch, so it has no model to export');
  }, 120_000);
});
