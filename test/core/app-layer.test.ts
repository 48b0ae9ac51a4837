/**
 * One application layer: the window's engine and the `layerlab` command run the same use cases, so they give the
 * same files and apply the same rules. Real engine, real training process, real CLI process, real files.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layerlab, repoRoot } from './cli-kit.js';
import type { OpenedProject, RunEvent, StartTrainingRequest } from '../../src-main/contract/api.js';
import { createEngine } from '../../src-main/engine/engine.js';
import { createNodeHost } from '../../src-main/engine/node-host.js';
import type { Engine } from '../../src-main/engine/types.js';
import type { ColumnSettings, DataSettings } from '../../src-main/core/data/types.js';
import { forkNodeTrainer, spawnTrainer, type ToTrainer } from '../../src-main/trainer/index.js';
import { switchTreatAs } from '../../src-renderer/src/lib/data/column-options.js';

const root = repoRoot;
const irisCsv = path.join(root, 'resources/samples/iris.csv');

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
async function trainInEngine(
  request: StartTrainingRequest,
  on: Engine = engine,
  projectId = project.projectId,
): Promise<{ runId: string; events: RunEvent[] }> {
  const events: RunEvent[] = [];
  let runId = '';
  const ended = new Promise<void>((resolve) => {
    const stop = on.onTrainingEvent((event) => {
      if (event.runId !== runId) return;
      events.push(event);
      if (['finished', 'stopped', 'error'].includes(event.event.type)) {
        stop();
        resolve();
      }
    });
  });
  ({ runId } = await on.startTraining(projectId, request));
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
    expect(table.columns.slice(0, 5)).toEqual([
      'sepal_length_cm',
      'sepal_width_cm',
      'petal_length_cm',
      'petal_width_cm',
      'species',
    ]);
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
    expect(lines[0]).toMatch(
      /^sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,species,probability_setosa,/,
    );
    expect(lines[1]).toMatch(/^5\.1,3\.5,1\.4,0\.2,setosa,/);
  });

  it('check an export with no validation rows on the training rows, in both paths', async () => {
    const dataSettings = {
      ...project.document.dataSettings!,
      split: { ...project.document.dataSettings!.split, train: 0.8, validation: 0, test: 0.2 },
    };
    const training = project.document.training;
    const { runId, events } = await trainInEngine({
      datasetId: project.dataset!.id,
      dataSettings,
      spec: project.document.model,
      settings: {
        ...training,
        epochs: 3,
        backend: 'cpu',
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
    const cli = await layerlab([
      'export',
      '--project',
      savedPath(savedProject!.fileName),
      '--run',
      runId,
      '--out',
      path.join(workspaceDir, 'cli.onnx'),
    ]);
    expect(cli.code).toBe(0);
    expect(cli.stderr).toMatch(
      new RegExp(`onnxruntime matches tf\\.js within \\S+ over ${started.trainSamples} training rows`),
    );
  });
});

describe('a run reads its CSV once', () => {
  it('hands the training process the prepared split, never the file to read again', async () => {
    const sent: ToTrainer[] = [];
    const host = createNodeHost({ mode: 'browser', workspaceDir });
    const watched = createEngine({
      ...host,
      spawnTrainer: () =>
        spawnTrainer(() => {
          const channel = forkNodeTrainer();
          return {
            ...channel,
            send: (message) => {
              sent.push(message);
              channel.send(message);
            },
          };
        }),
    });
    try {
      const opened = await watched.openSampleProject();
      const { runId, events } = await trainInEngine(
        {
          datasetId: opened.dataset!.id,
          dataSettings: opened.document.dataSettings!,
          spec: opened.document.model,
          settings: { ...opened.document.training, epochs: 2, backend: 'cpu' },
        },
        watched,
        opened.projectId,
      );
      expect(events.at(-1)?.event.type).toBe('finished');
      const start = sent.find((message) => message.type === 'start');
      if (start?.type !== 'start') throw new Error('no start message was sent');
      expect(Object.keys(start)).not.toContain('dataPath');
      expect(JSON.stringify(Object.keys(start))).not.toMatch(/path|csv/i);
      const { train, validation, test } = start.prepared;
      expect(train.x).toBeInstanceOf(Float32Array);
      expect(train.x.length).toBe(train.count * 4);
      expect(train.count + validation.count + test.count).toBe(150);
      // The split the trainer trained on is the one the engine evaluates: the confusion matrix counts its rows.
      const run = await watched.getRun(runId);
      if (run.evaluation?.kind !== 'classification') throw new Error('expected a classification evaluation');
      expect(run.evaluation.confusion.flat().reduce((a, b) => a + b, 0)).toBe(validation.count);
    } finally {
      await watched.dispose();
    }
  });
});

/** What the Data panel does with one edit (dataset-preview.svelte.ts setColumn), on plain settings. */
function windowEdit(settings: DataSettings, name: string, patch: Partial<ColumnSettings>): DataSettings {
  return { ...settings, columns: settings.columns.map((c) => (c.name === name ? { ...c, ...patch } : c)) };
}

describe('data settings from the command line', () => {
  const autoMpg = path.join(root, 'resources/samples/auto_mpg.csv');
  let windowSettings: DataSettings;

  beforeAll(async () => {
    // Built in the window: the sample's defaults, then the person's edits, saved in a project.
    const summary = await engine.loadSampleDataset('auto_mpg');
    let settings = summary.defaults;
    const cylinders = settings.columns.find((c) => c.name === 'cylinders')!;
    settings = windowEdit(settings, 'cylinders', switchTreatAs(cylinders, 'category'));
    settings = windowEdit(settings, 'year', { role: 'ignore' });
    settings = windowEdit(settings, 'weight_lbs', { encoding: 'minmax' });
    settings = windowEdit(settings, 'horsepower', { missing: 'median' });
    settings = { ...settings, split: { ...settings.split, train: 0.8, validation: 0.1, test: 0.1 } };
    const opened = await engine.newProject();
    const saved = await engine.saveProject(
      opened.projectId,
      { ...opened.document, dataSettings: settings },
      { saveAs: true, datasetId: summary.id },
    );
    windowSettings = JSON.parse(readFileSync(savedPath(saved!.fileName), 'utf8')).dataSettings;
    expect(windowSettings.columns.find((c) => c.name === 'cylinders')).toMatchObject({
      treatAs: 'category',
      encoding: 'onehot',
      missing: 'mostFrequent',
    });
  });

  async function recordedSettings(projectFile: string): Promise<{ document: DataSettings; run: DataSettings }> {
    const saved = JSON.parse(readFileSync(projectFile, 'utf8'));
    return { document: saved.dataSettings, run: saved.runs[0].dataSettings };
  }

  it('records what the window records when the same edits are given as flags', async () => {
    const projectFile = path.join(workspaceDir, 'flags.layerlab.json');
    const trained = await layerlab([
      'train',
      '--data',
      autoMpg,
      '--target',
      'mpg',
      '--kind',
      'cylinders=category',
      '--role',
      'year=ignore',
      '--encoding',
      'weight_lbs=minmax',
      '--missing',
      'horsepower=median',
      '--split',
      '0.8,0.1,0.1',
      '--epochs',
      '1',
      '--backend',
      'cpu',
      '--project',
      projectFile,
    ]);
    expect(trained.stderr).toMatch(/Saved run/);
    expect(trained.code).toBe(0);
    const recorded = await recordedSettings(projectFile);
    expect(recorded.document).toEqual(windowSettings);
    expect(recorded.run).toEqual(windowSettings);
  });

  it('records the settings of a --data-settings file, and names the file and field when one is wrong', async () => {
    const file = path.join(workspaceDir, 'settings.json');
    writeFileSync(file, JSON.stringify(windowSettings));
    const projectFile = path.join(workspaceDir, 'file.layerlab.json');
    const trained = await layerlab([
      'train',
      '--data',
      autoMpg,
      '--data-settings',
      file,
      '--epochs',
      '1',
      '--backend',
      'cpu',
      '--project',
      projectFile,
    ]);
    expect(trained.code).toBe(0);
    expect((await recordedSettings(projectFile)).run).toEqual(windowSettings);

    const bad = path.join(workspaceDir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        ...windowSettings,
        columns: [{ ...windowSettings.columns[0], role: 'label' }, ...windowSettings.columns.slice(1)],
      }),
    );
    const refused = await layerlab(['train', '--data', autoMpg, '--data-settings', bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/bad\.json: columns\.0\.role: /);

    const wrongWord = await layerlab(['train', '--data', autoMpg, '--target', 'mpg', '--kind', 'origin=text']);
    expect(wrongWord.code).toBe(2);
    expect(wrongWord.stderr).toContain('--kind origin=text: must be one of number, category');
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
