/**
 * Durable sessions, through the real engine (real trainer process, real CSV files): a window's session comes
 * back from the engine with its draft, its runs and a run in progress; a saved project keeps its own copy of an
 * uploaded CSV, relative to the project file, and opens in a new engine on the same workspace with its runs
 * viewable and exportable; a data file whose content changed is named, and re-linking it clears the problem;
 * each run record lists the exports made from it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedProject, RunEvent, SessionDraft } from '../../src-main/contract/api.js';
import type { ModelSpec } from '../../src-main/core/model/spec.js';
import type { ProjectDocument } from '../../src-main/core/project/types.js';
import { createEngine } from '../../src-main/engine/engine.js';
import { createNodeHost } from '../../src-main/engine/node-host.js';
import type { Engine } from '../../src-main/engine/types.js';
import { repoRoot } from './cli-kit.js';

const irisBytes = readFileSync(path.join(repoRoot, 'test/fixtures/iris.csv'));
const SESSION = 's-0123456789abcdef01234567';

let workspaceDir: string;
const engines: Engine[] = [];

function newEngine(): Engine {
  const engine = createEngine(createNodeHost({ mode: 'browser', workspaceDir }));
  engines.push(engine);
  return engine;
}

beforeAll(() => {
  workspaceDir = mkdtempSync(path.join(os.tmpdir(), 'layerlab-durable-'));
});

afterAll(async () => {
  for (const engine of engines) await engine.dispose();
  rmSync(workspaceDir, { recursive: true, force: true });
});

/** The first layer's width, the one thing the two models of these tests differ in. */
function firstUnits(spec: ModelSpec | undefined): unknown {
  return (spec?.layers[0]?.config as { units?: number } | undefined)?.units;
}

/** Resolves when `runId` has ended; `onEpoch` sees each epoch event as it comes. */
function ended(engine: Engine, runId: () => string, onEpoch?: (event: RunEvent) => void): Promise<RunEvent> {
  return new Promise((resolve) => {
    const stop = engine.onTrainingEvent((event) => {
      if (event.runId !== runId()) return;
      if (event.event.type === 'epoch') onEpoch?.(event);
      if (['finished', 'stopped', 'error'].includes(event.event.type)) {
        stop();
        resolve(event);
      }
    });
  });
}

async function train(engine: Engine, project: OpenedProject, datasetId: string, epochs: number, units = 8) {
  const spec: ModelSpec = {
    version: 1,
    layers: [
      { className: 'Dense', config: { units, activation: 'relu' } },
      { className: 'Dense', config: { units: 3, activation: 'softmax' } },
    ],
  };
  let runId = '';
  const end = ended(engine, () => runId);
  ({ runId } = await engine.startTraining(project.projectId, {
    datasetId,
    dataSettings: project.document.dataSettings!,
    spec,
    settings: { ...project.document.training, epochs, backend: 'cpu', earlyStopping: noEarlyStop(project) },
  }));
  expect((await end).event.type).toBe('finished');
  return runId;
}

function noEarlyStop(project: OpenedProject) {
  return { ...project.document.training.earlyStopping, enabled: false };
}

function draftOf(project: OpenedProject, datasetId: string, name: string): SessionDraft {
  return {
    name,
    dataSettings: project.document.dataSettings,
    model: {
      version: 1,
      layers: [
        { className: 'Dense', config: { units: 24, activation: 'relu' } },
        { className: 'Dense', config: { units: 3, activation: 'softmax' } },
      ],
    },
    training: { ...project.document.training, epochs: 40 },
    datasetId,
  };
}

describe('a window session kept by the engine', () => {
  it('has nothing under a key it never heard of', async () => {
    expect(await newEngine().getSession(SESSION)).toBeNull();
  });

  it('gives back the draft, the runs so far, and a run in progress with its history', async () => {
    const engine = newEngine();
    const project = await engine.openSampleProject();
    const datasetId = project.dataset!.id;
    await engine.setSessionDraft(SESSION, project.projectId, draftOf(project, datasetId, 'Wider flowers'));

    let runId = '';
    let epochs = 0;
    let snapshotTaken: Promise<Awaited<ReturnType<Engine['getSession']>>> | null = null;
    const end = ended(
      engine,
      () => runId,
      () => {
        epochs += 1;
        if (epochs === 3) snapshotTaken = engine.getSession(SESSION);
      },
    );
    ({ runId } = await engine.startTraining(project.projectId, {
      datasetId,
      dataSettings: project.document.dataSettings!,
      spec: project.document.model,
      settings: { ...project.document.training, epochs: 30, backend: 'cpu', earlyStopping: noEarlyStop(project) },
    }));
    await end;
    const during = await snapshotTaken!;
    expect(during?.project.projectId).toBe(project.projectId);
    expect(during?.project.dataset?.id).toBe(datasetId);
    expect(during?.project.dataset?.rowCount).toBe(150);
    expect(during?.draft?.name).toBe('Wider flowers');
    expect(firstUnits(during?.draft?.model)).toBe(24);
    expect(during?.draft?.training.epochs).toBe(40);
    expect(during?.running?.runId).toBe(runId);
    expect(during?.running?.started?.epochs).toBe(30);
    expect(during?.running?.started?.parameters).toBeGreaterThan(0);
    // Taken at the third epoch event: the history already holds the epochs the trainer had reported.
    expect(during!.running!.summary.history.length).toBeGreaterThanOrEqual(3);
    expect(during!.running!.summary.history.length).toBeLessThan(30);
    expect(during?.runs.map((r) => r.id)).not.toContain(runId);

    const after = await engine.getSession(SESSION);
    expect(after?.running).toBeNull();
    const record = after?.runs.find((r) => r.id === runId);
    expect(record?.history).toHaveLength(30);
    expect(record?.outcome).toBe('finished');
  }, 120_000);

  it('refuses a draft it cannot keep, naming the argument', async () => {
    const engine = newEngine();
    const project = await engine.openSampleProject();
    const draft = draftOf(project, project.dataset!.id, 'x');
    await expect(engine.setSessionDraft(SESSION, project.projectId, { ...draft, name: 7 } as never)).rejects.toThrow(
      /setSessionDraft: draft\.name/,
    );
    await expect(engine.setSessionDraft('../etc', project.projectId, draft)).rejects.toThrow(
      /setSessionDraft: sessionKey/,
    );
    await expect(engine.setSessionDraft(SESSION, project.projectId, { ...draft, datasetId: 'd-gone' })).rejects.toThrow(
      /No dataset with id d-gone/,
    );
  });
});

describe('a saved project after the engine restarts', () => {
  const projectFile = () => path.join(workspaceDir, 'saved', 'flowers.layerlab.json');
  let firstRun = '';
  let secondRun = '';
  let firstExport = '';

  it('copies the uploaded CSV beside the project and lists each run’s exports', async () => {
    const engine = newEngine();
    const project = await engine.openSampleProject();
    const upload = await engine.uploadCsv('iris.csv', irisBytes);
    firstRun = await train(engine, project, upload.id, 4, 8);
    secondRun = await train(engine, project, upload.id, 4, 12);
    const exported = await engine.exportOnnx(firstRun, 'flowers');
    expect(exported?.ok).toBe(true);
    firstExport = exported!.fileName;

    // The window sends its own copies of the records, which know nothing of exports.
    const session = await engine.setSessionDraft(SESSION, project.projectId, draftOf(project, upload.id, 'flowers'));
    expect(session).toBeUndefined();
    const runs = (await engine.getSession(SESSION))!.runs.map(({ exports: _unknown, ...record }) => record);
    const document: ProjectDocument = { ...project.document, name: 'flowers', runs };
    const saved = await engine.saveProject(project.projectId, document, {
      saveAs: true,
      datasetId: upload.id,
      fileName: 'flowers.layerlab.json',
    });
    expect(saved?.fileName).toBe('flowers.layerlab.json');

    const onDisk = JSON.parse(readFileSync(projectFile(), 'utf8')) as ProjectDocument;
    expect(onDisk.dataset?.path).toBe('flowers.data/iris.csv');
    expect(readFileSync(path.join(workspaceDir, 'saved', 'flowers.data', 'iris.csv'))).toEqual(irisBytes);
    expect(onDisk.runs.map((r) => r.id)).toEqual([firstRun, secondRun]);
    const [exportRecord] = onDisk.runs[0]!.exports!;
    expect(exportRecord?.fileName).toBe(firstExport);
    expect(exportRecord?.rowsCompared).toBeGreaterThan(0);
    expect(exportRecord?.maxDifference).toBe(exported!.maxDifference);
    expect(Date.parse(exportRecord!.exportedAt)).toBeGreaterThan(Date.now() - 120_000);
    expect(onDisk.runs[1]!.exports).toBeUndefined();
  }, 120_000);

  it('opens in a new engine with its data, its runs’ results and exports of either run', async () => {
    // The first engine's uploads are gone: only the project's own copy is left to find.
    rmSync(path.join(workspaceDir, 'uploads'), { recursive: true, force: true });
    const engine = newEngine();
    const opened = await engine.uploadProject('flowers.layerlab.json', readFileSync(projectFile()));
    expect(opened.datasetProblem).toBeNull();
    expect(opened.dataset?.rowCount).toBe(150);
    expect(opened.document.runs).toHaveLength(2);

    const first = await engine.getRun(firstRun);
    const second = await engine.getRun(secondRun);
    expect(first.evaluation?.kind).toBe('classification');
    expect(firstUnits(first.spec)).toBe(8);
    expect(firstUnits(second.spec)).toBe(12);
    const exported = await engine.exportOnnx(firstRun, 'flowers');
    expect(exported?.ok).toBe(true);
    expect(exported?.rowsCompared).toBeGreaterThan(0);
    expect(exported?.fileName).toMatch(/^flowers-run-1(-\d+)?\.onnx$/);
  }, 120_000);

  it('names a data file whose content changed, and re-linking the original clears it', async () => {
    const copy = path.join(workspaceDir, 'saved', 'flowers.data', 'iris.csv');
    const lines = irisBytes.toString('utf8').trimEnd().split('\n');
    writeFileSync(copy, `${lines.slice(0, -1).join('\n')}\n`);
    const engine = newEngine();
    const opened = await engine.uploadProject('flowers.layerlab.json', readFileSync(projectFile()));
    expect(opened.datasetProblem?.reason).toBe('changed');
    expect(opened.datasetProblem?.name).toBe('iris.csv');
    expect(opened.datasetProblem?.message).toMatch(/^iris\.csv has changed since the project was saved/);
    expect(opened.dataset?.rowCount).toBe(149);

    const original = await engine.uploadCsv('iris.csv', irisBytes);
    const relinked = await engine.relinkDataset(opened.projectId, original.id);
    expect(relinked.problem).toBeNull();
    expect(relinked.dataset.rowCount).toBe(150);
    const exported = await engine.exportOnnx(firstRun, 'flowers');
    expect(exported?.ok).toBe(true);

    const other = await engine.uploadCsv('short.csv', readFileSync(copy));
    expect((await engine.relinkDataset(opened.projectId, other.id)).problem?.message).toMatch(
      /^short\.csv differs from iris\.csv, the file the runs were trained on/,
    );
  }, 120_000);

  it('names a data file that is missing', async () => {
    rmSync(path.join(workspaceDir, 'saved', 'flowers.data'), { recursive: true, force: true });
    const engine = newEngine();
    const opened = await engine.uploadProject('flowers.layerlab.json', readFileSync(projectFile()));
    expect(opened.dataset).toBeNull();
    expect(opened.datasetProblem?.reason).toBe('missing');
    expect(opened.datasetProblem?.message).toContain('iris.csv could not be read');
    expect(existsSync(projectFile())).toBe(true);
  });
});
