import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataProgress, Evaluation, OpenedProject, RunEvent } from '../../src-main/contract/api.js';
import { throttledProgress } from '../../src-main/engine/data-progress.js';
import { createEngine } from '../../src-main/engine/engine.js';
import { createNodeHost } from '../../src-main/engine/node-host.js';
import type { Engine } from '../../src-main/engine/types.js';
import { generateNumericCsv } from '../fixtures/generate-csv.js';

const SPECIES = ['setosa', 'versicolor', 'virginica'];

let engine: Engine;
let workspaceDir: string;
let project: OpenedProject;
let savedProjectPath: string;
let trainedRunId: string;
let testEvaluation: Evaluation | null;

beforeAll(() => {
  workspaceDir = mkdtempSync(path.join(os.tmpdir(), 'layerlab-engine-'));
  engine = createEngine(
    createNodeHost({ mode: 'browser', workspaceDir, offerDownload: (_file, name) => `/download/test-${name}` }),
  );
});

afterAll(async () => {
  await engine?.dispose();
  rmSync(workspaceDir, { recursive: true, force: true });
});

function waitForEnd(runId: string, seen: RunEvent[]): Promise<RunEvent> {
  return new Promise((resolve) => {
    const stop = engine.onTrainingEvent((event) => {
      if (event.runId !== runId) return;
      seen.push(event);
      if (['finished', 'stopped', 'error'].includes(event.event.type)) {
        stop();
        resolve(event);
      }
    });
  });
}

describe('the engine, end to end on the iris sample', () => {
  it('opens the sample project ready to train', async () => {
    project = await engine.openSampleProject();
    expect(project.warnings).toEqual([]);
    expect(project.dataset?.rowCount).toBe(150);
    expect(project.dataset?.columns.map((c) => c.name)).toContain('species');
    expect(project.document.model.layers.map((l) => l.className)).toEqual(['Dense', 'Dense', 'Dense']);
    expect(project.document.dataSettings).not.toBeNull();
  });

  it('checks the data: a 3-class task on 4 inputs', async () => {
    const check = await engine.checkData(project.dataset!.id, project.document.dataSettings!);
    expect(check.ok).toBe(true);
    expect(check.task?.kind).toBe('multiclass');
    expect(check.task?.labels).toEqual(SPECIES);
    expect(check.inputShape).toEqual([4]);
    expect(check.counts!.train + check.counts!.validation + check.counts!.test).toBe(150);
  });

  it('trains in a child process, exports to ONNX with parity, and predicts', async () => {
    const epochs = 8;
    const seen: RunEvent[] = [];
    const { runId } = await engine.startTraining(project.projectId, {
      datasetId: project.dataset!.id,
      dataSettings: project.document.dataSettings!,
      spec: project.document.model,
      settings: { ...project.document.training, epochs, backend: 'cpu' },
    });
    const end = await waitForEnd(runId, seen);
    expect(end.event.type).toBe('finished');
    const types = seen.map((e) => e.event.type);
    expect(types[0]).toBe('started');
    expect(types.filter((t) => t === 'epoch')).toHaveLength(epochs);

    const run = await engine.getRun(runId);
    expect(run.outcome).toBe('finished');
    expect(run.history).toHaveLength(epochs);
    expect(run.evaluation?.kind).toBe('classification');
    if (run.evaluation?.kind !== 'classification') throw new Error('expected a classification evaluation');
    expect(run.evaluation.labels).toEqual(SPECIES);
    expect(run.evaluation.confusion).toHaveLength(3);
    for (const row of run.evaluation.confusion) expect(row).toHaveLength(3);
    const validationRows = run.evaluation.confusion.flat().reduce((a, b) => a + b, 0);
    expect(validationRows).toBeGreaterThan(0);
    // The held-out test split is evaluated too, on exactly the rows checkData counted for it.
    const counts = (await engine.checkData(project.dataset!.id, project.document.dataSettings!)).counts!;
    if (run.testEvaluation?.kind !== 'classification') throw new Error('expected a classification test evaluation');
    expect(run.testEvaluation.confusion.flat().reduce((a, b) => a + b, 0)).toBe(counts.test);
    expect(validationRows).toBe(counts.validation);
    testEvaluation = run.testEvaluation;

    const exported = await engine.exportOnnx(runId);
    expect(exported).not.toBeNull();
    expect(exported!.ok).toBe(true);
    expect(exported!.rowsCompared).toBe(validationRows);
    expect(exported!.maxDifference).toBeLessThanOrEqual(1e-4);
    expect(exported!.fileName).toMatch(/\.onnx$/);
    expect(exported!.downloadUrl).toBe(`/download/test-${exported!.fileName}`);
    expect(exported!.model.inputs.map((i) => i.name)).toEqual([
      'sepal_length_cm',
      'sepal_width_cm',
      'petal_length_cm',
      'petal_width_cm',
    ]);
    expect(exported!.model.opset).toBe(17);
    // One set of final metrics: the kept weights' own, in the run and in the file's metadata alike.
    expect(Object.keys(run.finalTest).length).toBeGreaterThan(0);
    expect(JSON.parse(exported!.model.metadata.validation_metrics ?? '{}')).toEqual(run.finalValidation);
    expect(JSON.parse(exported!.model.metadata.test_metrics ?? '{}')).toEqual(run.finalTest);

    const table = await engine.predictRecords(exported!.model.modelId, [
      { sepal_length_cm: 6.3, sepal_width_cm: 3.3, petal_length_cm: 6.0, petal_width_cm: 2.5 },
    ]);
    const labelColumn = table.columns.indexOf('label');
    expect(labelColumn).toBeGreaterThanOrEqual(0);
    expect(table.rows).toHaveLength(1);
    expect(SPECIES).toContain(table.rows[0]?.[labelColumn]);

    // Saving the project writes the run and its weights beside it, relative to the project file.
    const saved = await engine.saveProject(project.projectId, project.document, { saveAs: true });
    expect(saved?.fileName).toMatch(/\.layerlab\.json$/);
    const savedPath = path.join(workspaceDir, 'saved', saved!.fileName);
    const document = JSON.parse(readFileSync(savedPath, 'utf8')) as {
      runs: Array<{ id: string; weightsFile: string }>;
      dataset: { path: string };
    };
    expect(document.runs.map((r) => r.id)).toEqual([runId]);
    expect(path.isAbsolute(document.runs[0]!.weightsFile)).toBe(false);
    expect(existsSync(path.resolve(path.dirname(savedPath), document.runs[0]!.weightsFile))).toBe(true);
    savedProjectPath = savedPath;
    trainedRunId = runId;
  });

  it('reopens the saved project in a new session and exports its recorded run again', async () => {
    const host = createNodeHost({ mode: 'electron', workspaceDir });
    const later = createEngine({
      ...host,
      chooseOpenFile: async (kind) => (kind === 'project' ? savedProjectPath : null),
    });
    try {
      const reopened = await later.openProjectDialog();
      expect(reopened?.warnings).toEqual([]);
      expect(reopened?.dataset?.rowCount).toBe(150);
      const run = await later.getRun(trainedRunId);
      expect(run.outcome).toBe('finished');
      if (run.evaluation?.kind !== 'classification') throw new Error('expected a classification evaluation');
      expect(run.evaluation.confusion.flat().reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      // Restored from the weights file, the run scores the same on its test split as when it was trained.
      expect(run.testEvaluation).toEqual(testEvaluation);
      const exported = await later.exportOnnx(trainedRunId);
      expect(exported?.ok).toBe(true);
      expect(exported!.maxDifference).toBeLessThanOrEqual(1e-4);
      const table = await later.predictDataset(exported!.model.modelId, reopened!.dataset!.id);
      expect(table.rows).toHaveLength(150);
    } finally {
      await later.dispose();
    }
  });

  it('stops a run on request and keeps what it learned so far', async () => {
    const seen: RunEvent[] = [];
    const { runId } = await engine.startTraining(project.projectId, {
      datasetId: project.dataset!.id,
      dataSettings: project.document.dataSettings!,
      spec: project.document.model,
      settings: { ...project.document.training, epochs: 5000, backend: 'cpu' },
    });
    const stopAfterFirstEpoch = engine.onTrainingEvent((event) => {
      if (event.runId === runId && event.event.type === 'epoch') {
        stopAfterFirstEpoch();
        void engine.controlTraining(runId, 'stop');
      }
    });
    const end = await waitForEnd(runId, seen);
    expect(end.event.type).toBe('stopped');
    const run = await engine.getRun(runId);
    expect(run.outcome).toBe('stopped');
    expect(run.history.length).toBeGreaterThan(0);
    expect(run.history.length).toBeLessThan(5000);
  });

  it('reads inf/NaN cells as missing by default, and refuses them when the window asks to', async () => {
    const text = `x,y\n${Array.from({ length: 30 }, (_, i) => `${i === 4 ? 'NaN' : i},${i % 2}`).join('\n')}\n`;
    const bytes = new TextEncoder().encode(text);
    const read = await engine.uploadCsv('nan.csv', bytes);
    expect(read.rowCount).toBe(30);
    expect(read.columns.find((c) => c.name === 'x')?.stats?.nonFinite?.words).toBe(1);
    await expect(engine.uploadCsv('nan.csv', bytes, { nonFinite: 'refuse' })).rejects.toThrow(
      /nan(-\d+)?\.csv line 6, column 1 \('x'\): 'NaN' is not a number/,
    );
    await expect(
      engine.uploadCsv('nan.csv', bytes, { nonFinite: 'skip' } as unknown as { nonFinite: 'refuse' }),
    ).rejects.toThrow(/nonFinite/);
  });

  it('refuses a CSV with a bad row unless asked to skip it, then trains on the rest', async () => {
    const lines = readFileSync(path.resolve(__dirname, '../fixtures/iris.csv'), 'utf8').trimEnd().split('\n');
    lines[10] = `${lines[10]},oops`;
    const bytes = new TextEncoder().encode(`${lines.join('\n')}\n`);
    await expect(engine.uploadCsv('ragged.csv', bytes)).rejects.toThrow(
      /ragged\.csv line 11: expected 5 fields, found 6/,
    );
    const summary = await engine.uploadCsv('ragged.csv', bytes, { skipBadRows: true });
    expect(summary.rowCount).toBe(149);
    expect(summary.skippedRows).toBe(1);
    // The training process must read the file the same way, or it would refuse it.
    const seen: RunEvent[] = [];
    const { runId } = await engine.startTraining(project.projectId, {
      datasetId: summary.id,
      dataSettings: summary.defaults,
      spec: project.document.model,
      settings: { ...project.document.training, epochs: 2 },
    });
    const end = await waitForEnd(runId, seen);
    expect(end.event.type).toBe('finished');
    const started = seen.find((e) => e.event.type === 'started')!.event;
    expect(started.type === 'started' && started.trainSamples + started.validationSamples).toBeLessThanOrEqual(149);
  });

  it('reports a data problem as a failed check with the column named', async () => {
    const settings = structuredClone(project.document.dataSettings!);
    for (const column of settings.columns) column.role = column.name === 'species' ? 'target' : 'ignore';
    const check = await engine.checkData(project.dataset!.id, settings);
    expect(check.ok).toBe(false);
    expect(check.error).toMatch(/feature/i);
  });

  it('refuses bad arguments through the same API, naming the method and argument', async () => {
    await expect(engine.datasetRows('x', -1, 'a' as unknown as number)).rejects.toThrow(
      /^datasetRows: start: must be 0 or more/,
    );
    await expect(engine.controlTraining('r-1', 'explode' as 'stop')).rejects.toThrow(/controlTraining: action/);
  });
});

describe('the engine reports how far it has read a CSV', () => {
  /** Collects the progress events of every read that happens while `action` runs. */
  async function progressDuring<T>(action: () => Promise<T>): Promise<{ result: T; events: DataProgress[] }> {
    const events: DataProgress[] = [];
    const stop = engine.onDataProgress((progress) => events.push(progress));
    try {
      return { result: await action(), events };
    } finally {
      stop();
    }
  }

  it('sends increasing byte counts for an upload of a few MB, ending at the file size, under the name given', async () => {
    const csv = await generateNumericCsv(path.join(workspaceDir, 'generated.csv'), 25_000, 20, 7);
    expect(csv.bytes).toBeGreaterThan(3 * 1024 * 1024);
    const bytes = readFileSync(csv.path);
    const { result: summary, events } = await progressDuring(() => engine.uploadCsv('sensor log.csv', bytes));

    expect(summary.rowCount).toBe(25_000);
    expect(summary.bytes).toBe(csv.bytes);
    // The reader works in 1 MB chunks: at least the first and the last reach listeners, never more than one a chunk.
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.length).toBeLessThanOrEqual(Math.ceil(csv.bytes / (1024 * 1024)));
    for (const event of events) {
      expect(event.fileName).toBe('sensor log.csv');
      expect(event.totalBytes).toBe(csv.bytes);
    }
    const counts = events.map((event) => event.bytesRead);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThan(counts[i - 1]!);
    expect(counts[0]).toBeLessThan(csv.bytes);
    expect(counts.at(-1)).toBe(csv.bytes);
  });

  it('reports a sample read too, and stops reporting to a listener that unsubscribed', async () => {
    const { result: summary, events } = await progressDuring(() => engine.loadSampleDataset('wine'));
    expect(events.at(-1)).toEqual({ fileName: 'wine.csv', bytesRead: summary.bytes, totalBytes: summary.bytes });

    const late: DataProgress[] = [];
    engine.onDataProgress((progress) => late.push(progress))();
    await engine.loadSampleDataset('iris');
    expect(late).toEqual([]);
  });

  it('thins reports to one per interval but always sends the last, and a held one on flush', () => {
    let clock = 0;
    const sent: number[] = [];
    const reporter = throttledProgress(
      'f.csv',
      (progress) => sent.push(progress.bytesRead),
      50,
      () => clock,
    );
    reporter.report(10, 100);
    clock = 20;
    reporter.report(20, 100);
    clock = 49;
    reporter.report(30, 100);
    clock = 60;
    reporter.report(40, 100);
    clock = 70;
    reporter.report(100, 100);
    expect(sent).toEqual([10, 40, 100]);

    const short: number[] = [];
    const shrunk = throttledProgress(
      'g.csv',
      (progress) => short.push(progress.bytesRead),
      50,
      () => 0,
    );
    shrunk.report(10, 100);
    shrunk.report(90, 100);
    shrunk.flush();
    shrunk.flush();
    expect(short).toEqual([10, 90]);
  });
});
