/**
 * The step-through over the engine's API: a trace from the current model's initial weights, then from a
 * finished run's kept weights; "Next batch" on the engine's copy leaves the run's record as it was; a bad row
 * number, an unknown run and an unknown step-through each get a message a person can act on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetSummary, OpenedProject, StartTrainingRequest } from '../../src-main/contract/api.js';
import { createEngine } from '../../src-main/engine/engine.js';
import { createNodeHost } from '../../src-main/engine/node-host.js';
import type { Engine } from '../../src-main/engine/types.js';
import { defaultModelSpec } from '../../src-main/core/model/index.js';
import { defaultTrainingSettings } from '../../src-main/core/training/index.js';

let engine: Engine;
let workspaceDir: string;
let project: OpenedProject;
let dataset: DatasetSummary;
let model: Omit<StartTrainingRequest, 'insight'>;

beforeAll(async () => {
  workspaceDir = mkdtempSync(path.join(os.tmpdir(), 'layerlab-trace-'));
  engine = createEngine(createNodeHost({ mode: 'browser', workspaceDir, offerDownload: () => '/download' }));
  project = await engine.newProject();
  dataset = await engine.loadSampleDataset('moons');
  const task = { kind: 'binary' as const, target: 'moon', labels: ['lower', 'upper'] };
  model = {
    datasetId: dataset.id,
    dataSettings: dataset.defaults,
    spec: defaultModelSpec({ kind: 'binary', classes: 2 }, [2]),
    settings: { ...defaultTrainingSettings(task), epochs: 3, backend: 'cpu' },
  };
});

afterAll(async () => {
  await engine?.dispose();
  rmSync(workspaceDir, { recursive: true, force: true });
});

/** A training row: the data table's row number of the first row the trace accepts. */
async function firstTrainingRow(): Promise<number> {
  for (let row = 1; row <= 20; row++) {
    try {
      await engine.traceExample({ kind: 'model', model }, row);
      return row;
    } catch {
      // a validation or test row
    }
  }
  throw new Error('no training row among the first 20');
}

describe('the step-through through the engine', () => {
  it('traces the current model from its initial weights and steps its own copy', async () => {
    const row = await firstTrainingRow();
    const { stepperId, trace } = await engine.traceExample({ kind: 'model', model }, row);
    expect(trace.weights).toEqual({ kind: 'initial', runId: null });
    expect(trace.row).toBe(row);
    expect(Number.isFinite(trace.loss.value)).toBe(true);
    const step = await engine.stepExampleBatch(stepperId, row);
    expect(step.rowLoss.after).not.toBe(step.rowLoss.before);
    const again = await engine.traceExample({ kind: 'stepper', stepperId }, row);
    expect(again.trace.loss.value).toBeCloseTo(step.rowLoss.after, 6);
  });

  it('traces a finished run from its kept weights, and Next batch leaves the run as it was', async () => {
    const { runId } = await engine.startTraining(project.projectId, model);
    await new Promise<void>((resolve) => {
      const stop = engine.onTrainingEvent(({ runId: id, event }) => {
        if (id === runId && ['finished', 'stopped', 'error'].includes(event.type)) {
          stop();
          resolve();
        }
      });
    });
    const row = await firstTrainingRow();
    const first = await engine.traceExample({ kind: 'run', runId }, row);
    expect(first.trace.weights.kind).toBe('kept');
    await engine.stepExampleBatch(first.stepperId, row);
    const fresh = await engine.traceExample({ kind: 'run', runId }, row);
    expect(fresh.trace.loss.value).toBe(first.trace.loss.value);
  });

  it('says what is wrong with a bad row number, an unknown run or step-through', async () => {
    await expect(engine.traceExample({ kind: 'model', model }, 0)).rejects.toThrow(
      'traceExample: row: must be 1 or more (rows are numbered from 1)',
    );
    await expect(engine.traceExample({ kind: 'model', model }, 2.5)).rejects.toThrow('must be a whole row number');
    await expect(engine.traceExample({ kind: 'model', model }, 9999)).rejects.toThrow(
      'Row 9999 is not a row of the training split',
    );
    await expect(engine.traceExample({ kind: 'run', runId: 'r-000000000000' }, 1)).rejects.toThrow(
      'No training run with id r-000000000000 is open',
    );
    await expect(engine.stepExampleBatch('s-000000000000', 1)).rejects.toThrow(
      'No step-through with id s-000000000000 is open',
    );
  });
});
