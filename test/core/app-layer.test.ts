/**
 * One application layer: the window's engine and the `layerlab` command run the same use cases, so they give the
 * same files and apply the same rules. Real engine, real training process, real CLI process, real files.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedProject, RunEvent, StartTrainingRequest } from '../../src-main/contract/api.js';
import { createEngine } from '../../src-main/engine/engine.js';
import { createNodeHost } from '../../src-main/engine/node-host.js';
import type { Engine } from '../../src-main/engine/types.js';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const launcher = path.join(root, 'src-main/cli/launcher.mjs');
const irisCsv = path.join(root, 'resources/samples/iris.csv');

async function layerlab(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [launcher, ...args], { cwd: root, maxBuffer: 32 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let engine: Engine;
let workspaceDir: string;
let project: OpenedProject;

beforeAll(async () => {
  workspaceDir = mkdtempSync(path.join(os.tmpdir(), 'layerlab-app-'));
  engine = createEngine(createNodeHost({ mode: 'browser', workspaceDir }));
  project = await engine.openSampleProject();
});

afterAll(async () => {
  await engine?.dispose();
  rmSync(workspaceDir, { recursive: true, force: true });
});

/** Trains through the engine and resolves with the events of the run, once it has ended. */
async function trainInEngine(request: StartTrainingRequest): Promise<{ runId: string; events: RunEvent[] }> {
  const events: RunEvent[] = [];
  let runId = '';
  const ended = new Promise<void>((resolve) => {
    const stop = engine.onTrainingEvent((event) => {
      if (event.runId !== runId) return;
      events.push(event);
      if (['finished', 'stopped', 'error'].includes(event.event.type)) {
        stop();
        resolve();
      }
    });
  });
  ({ runId } = await engine.startTraining(project.projectId, request));
  await ended;
  return { runId, events };
}

const savedPath = (fileName: string) => path.join(workspaceDir, 'saved', fileName);

describe('the window and the CLI share the application layer', () => {
  it('give byte-identical predictions CSVs for the same model and CSV, inputs first', async () => {
    const { runId } = await trainInEngine({
      datasetId: project.dataset!.id,
      dataSettings: project.document.dataSettings!,
      spec: project.document.model,
      settings: { ...project.document.training, epochs: 5, backend: 'cpu' },
    });
    const exported = await engine.exportOnnx(runId);
    expect(exported?.ok).toBe(true);

    // The window: predict the dataset with the exported model, then save the table it shows.
    const table = await engine.predictDataset(exported!.model.modelId, project.dataset!.id);
    expect(table.columns.slice(0, 5)).toEqual(['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm', 'species']);
    expect(table.columns).toContain('label');
    const saved = await engine.savePredictions(table);
    const windowCsv = readFileSync(savedPath(saved!.fileName));

    // The CLI: the same model file on the same CSV.
    const out = path.join(workspaceDir, 'cli-predictions.csv');
    const cli = await layerlab(['predict', '--model', savedPath(exported!.fileName), '--data', irisCsv, '--out', out]);
    expect(cli.code).toBe(0);
    const cliCsv = readFileSync(out);

    expect(cliCsv.equals(windowCsv)).toBe(true);
    const lines = cliCsv.toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(151);
    expect(lines[0]).toMatch(/^sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,species,probability_setosa,/);
    expect(lines[1]).toMatch(/^5\.1,3\.5,1\.4,0\.2,setosa,/);
  });

  it('check an export with no validation rows on the training rows, in both paths', async () => {
    const dataSettings = { ...project.document.dataSettings!, split: { ...project.document.dataSettings!.split, train: 0.8, validation: 0, test: 0.2 } };
    const training = project.document.training;
    const { runId, events } = await trainInEngine({
      datasetId: project.dataset!.id,
      dataSettings,
      spec: project.document.model,
      settings: {
        ...training, epochs: 3, backend: 'cpu',
        earlyStopping: { ...training.earlyStopping, enabled: false },
        reduceLrOnPlateau: { ...training.reduceLrOnPlateau, enabled: false },
      },
    });
    const started = events.find((e) => e.event.type === 'started')?.event;
    if (started?.type !== 'started') throw new Error(`the run did not start: ${JSON.stringify(events.at(-1))}`);
    expect(started.validationSamples).toBe(0);

    const exported = await engine.exportOnnx(runId);
    expect(exported?.ok).toBe(true);
    expect(exported!.rowsCompared).toBe(started.trainSamples);
    expect(exported!.maxDifference).toBeLessThanOrEqual(1e-4);
    expect(exported!.message).toContain(`${started.trainSamples} training rows`);

    // The same run, saved in a project, exported by the CLI: the same rows are compared.
    const savedProject = await engine.saveProject(project.projectId, project.document, { saveAs: true });
    const cli = await layerlab(['export', '--project', savedPath(savedProject!.fileName), '--run', runId, '--out', path.join(workspaceDir, 'cli.onnx')]);
    expect(cli.code).toBe(0);
    expect(cli.stderr).toMatch(new RegExp(`onnxruntime matches tf\\.js within \\S+ over ${started.trainSamples} training rows`));
  });
});

describe('the application layer imports only core and Node', () => {
  it('names no adapter folder in any import', () => {
    const dir = path.join(root, 'src-main/app');
    const offenders: string[] = [];
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts'))) {
      const source = readFileSync(path.join(dir, file), 'utf8');
      for (const [, target] of source.matchAll(/from '([^']+)'/g)) {
        const allowed = target!.startsWith('./') || target!.startsWith('../core/') || target!.startsWith('node:');
        if (!allowed) offenders.push(`${file}: ${target}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
