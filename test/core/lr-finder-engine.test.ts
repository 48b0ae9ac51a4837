/**
 * The learning-rate finder through the engine's API, as the window calls it: the sweep's answer, and its
 * `lrFinderProgress` events on the way (the window's bar), which name the project and end their subscription.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LrFinderProgress } from '../../src-main/contract/api.js';
import { createEngine } from '../../src-main/engine/engine.js';
import { createNodeHost } from '../../src-main/engine/node-host.js';
import type { Engine } from '../../src-main/engine/types.js';
import { LR_FINDER_DEFAULTS } from '../../src-main/core/insight/lr-finder.js';
import { defaultModelSpec } from '../../src-main/core/model/index.js';
import { defaultTrainingSettings } from '../../src-main/core/training/index.js';

let engine: Engine;
let workspaceDir: string;

beforeAll(() => {
  workspaceDir = mkdtempSync(path.join(os.tmpdir(), 'layerlab-lr-engine-'));
  engine = createEngine(createNodeHost({ mode: 'browser', workspaceDir, offerDownload: () => '/download' }));
});

afterAll(async () => {
  await engine?.dispose();
  rmSync(workspaceDir, { recursive: true, force: true });
});

describe('the learning-rate finder through the engine', () => {
  it('reports its progress by project while it sweeps, then answers with the sweep', async () => {
    const project = await engine.newProject();
    const dataset = await engine.loadSampleDataset('moons');
    const task = { kind: 'binary' as const, target: 'moon', labels: ['lower', 'upper'] };
    const seen: LrFinderProgress[] = [];
    const stop = engine.onLrFinderProgress((p) => seen.push(p));
    const sweep = await engine.findLearningRate(project.projectId, {
      datasetId: dataset.id,
      dataSettings: dataset.defaults,
      spec: defaultModelSpec({ kind: 'binary', classes: 2 }, [2]),
      settings: { ...defaultTrainingSettings(task), batchSize: 16, backend: 'cpu' },
    });
    stop();
    expect(sweep.rates.length).toBeGreaterThan(20);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every((p) => p.projectId === project.projectId && p.total === LR_FINDER_DEFAULTS.steps)).toBe(true);
    const done = seen.map((p) => p.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(done.at(-1)!).toBeLessThanOrEqual(sweep.rates.length);
    // Unsubscribed: a second sweep reaches no one.
    const before = seen.length;
    await engine.findLearningRate(project.projectId, {
      datasetId: dataset.id,
      dataSettings: dataset.defaults,
      spec: defaultModelSpec({ kind: 'binary', classes: 2 }, [2]),
      settings: { ...defaultTrainingSettings(task), batchSize: 16, backend: 'cpu' },
    });
    expect(seen).toHaveLength(before);
  });
});
