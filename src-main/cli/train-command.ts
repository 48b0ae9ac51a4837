/** `layerlab train`: the whole path of the app, headless — read, prepare, build, train, record, export. */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { editColumn, inProcessTrainer, prepareRun, readDataset, recordRunInProjectFile } from '../app/index.js';
import { defaultDataSettings } from '../core/data/index.js';
import type { DataSettings, Dataset } from '../core/data/types.js';
import { checkExportable, checkModelForTask, defaultModelSpec, validateModelSpec } from '../core/model/index.js';
import type { ModelSpec } from '../core/model/spec.js';
import {
  defaultTrainingSettings,
  fitTrainingToRows,
  parseBackendOverride,
  withBackendOverride,
} from '../core/training/index.js';
import {
  BACKEND_CHOICES,
  OPTIMIZER_NAMES,
  type OptimizerName,
  type TrainingResult,
  type TrainingSettings,
} from '../core/training/types.js';
import { loadProject, newRunId, resolveProjectPath, type ProjectDocument } from '../core/project/index.js';
import { optionalNumber, parseFlags, UsageError } from './args.js';
import { applyDataFlags, DATA_FLAGS, DATA_FLAGS_USAGE, settingsFromFile } from './data-flags.js';
import { createProgressPrinter } from './progress.js';
import { exportChecked } from './export-command.js';
import { LAYERLAB_VERSION } from './version.js';

const USAGE = `Usage: layerlab train --data FILE.csv --target COLUMN [options]
   or: layerlab train --data FILE.csv --data-settings S.json [options]
   or: layerlab train --project P.layerlab.json          (uses the project's data, model and settings)

Options:
  --project P.layerlab.json   record the run (and its weights) in this project; created when missing
  --model SPEC.json           the layer stack (a ModelSpec); default: a sensible network for the task
  --epochs N  --batch-size N  --optimizer sgd|adam|rmsprop|adagrad|adadelta|adamax  --learning-rate X
  --seed N                    same seed, same backend: same metrics
  --validation-split X        hold out this fraction for validation (no test split)
  --backend auto|tensorflow|wasm|cpu
  --report REPORT.json        write backend, task, labels, per-epoch metrics, final metrics, timing
  --onnx MODEL.onnx           export the trained model to ONNX (checked against tf.js)
  --skip-bad-rows             skip rows with the wrong number of fields instead of failing

${DATA_FLAGS_USAGE}`;

const FLAGS = {
  data: { type: 'string' },
  target: { type: 'string' },
  project: { type: 'string' },
  model: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  optimizer: { type: 'string' },
  'learning-rate': { type: 'string' },
  seed: { type: 'string' },
  'validation-split': { type: 'string' },
  backend: { type: 'string' },
  report: { type: 'string' },
  onnx: { type: 'string' },
  'skip-bad-rows': { type: 'boolean' },
  ...DATA_FLAGS,
  help: { type: 'boolean', short: 'h' },
} as const;

const OPTIMIZERS: readonly OptimizerName[] = OPTIMIZER_NAMES;
const BACKENDS = BACKEND_CHOICES;

async function readModelFile(file: string): Promise<ModelSpec> {
  let value: unknown;
  try {
    value = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--model ${file}: ${(error as Error).message}`);
  }
  const checked = validateModelSpec(value);
  if (!checked.ok) throw new UsageError(`--model ${file} is not a valid model:\n- ${checked.errors.join('\n- ')}`);
  return checked.spec;
}

function applyTrainingFlags(base: TrainingSettings, values: Record<string, unknown>): TrainingSettings {
  const settings: TrainingSettings = structuredClone(base);
  const epochs = optionalNumber(values, 'epochs', { integer: true, min: 1 });
  const batchSize = optionalNumber(values, 'batch-size', { integer: true, min: 1 });
  const learningRate = optionalNumber(values, 'learning-rate', { exclusiveMin: 0 });
  const seed = optionalNumber(values, 'seed', { integer: true });
  if (epochs !== undefined) settings.epochs = epochs;
  if (batchSize !== undefined) settings.batchSize = batchSize;
  if (seed !== undefined) settings.seed = seed;
  const optimizer = values.optimizer;
  if (typeof optimizer === 'string') {
    if (!OPTIMIZERS.includes(optimizer as OptimizerName)) {
      throw new UsageError(`--optimizer must be one of ${OPTIMIZERS.join(', ')} (got "${optimizer}").`);
    }
    settings.optimizer = { name: optimizer as OptimizerName, learningRate: settings.optimizer.learningRate };
  }
  if (learningRate !== undefined) settings.optimizer.learningRate = learningRate;
  const backend = values.backend;
  if (typeof backend === 'string') {
    if (!(BACKENDS as readonly string[]).includes(backend)) {
      throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')} (got "${backend}").`);
    }
    settings.backend = backend as TrainingSettings['backend'];
  }
  return settings;
}

interface Inputs {
  dataset: Dataset;
  dataSettings: DataSettings;
  project: ProjectDocument | null;
  projectPath: string | null;
}

async function loadInputs(values: Record<string, unknown>): Promise<Inputs> {
  const projectPath = typeof values.project === 'string' ? path.resolve(values.project) : null;
  const project = projectPath && existsSync(projectPath) ? await loadProject(projectPath) : null;
  const skipBadRows = values['skip-bad-rows'] === true;
  const onProgress = progressReporter();

  let dataset: Dataset;
  if (typeof values.data !== 'string') {
    if (!project?.dataset) throw new UsageError(`--data is required (or a --project that has a dataset).\n\n${USAGE}`);
    dataset = await readDataset(resolveProjectPath(projectPath!, project.dataset.path), { skipBadRows, onProgress });
  } else {
    dataset = await readDataset(path.resolve(values.data), { skipBadRows, onProgress });
    if (dataset.skippedRows > 0) process.stderr.write(`Skipped ${dataset.skippedRows} bad rows.\n`);
  }
  const fromFile = await settingsFromFile(values, dataset);
  const target = typeof values.target === 'string' ? values.target : undefined;
  if (typeof values.data === 'string' && target === undefined && !fromFile && !project?.dataSettings)
    throw new UsageError(`--target is required.\n\n${USAGE}`);
  if (target !== undefined && !dataset.columns.some((c) => c.name === target)) {
    throw new UsageError(
      `--target "${target}" is not a column of ${dataset.name}. Columns: ${dataset.columns.map((c) => c.name).join(', ')}`,
    );
  }
  let dataSettings: DataSettings;
  if (fromFile) dataSettings = target === undefined ? fromFile : editColumn(fromFile, target, { role: 'target' });
  else if (target === undefined && project?.dataSettings) dataSettings = project.dataSettings;
  else dataSettings = defaultDataSettings(dataset, target);
  const split = optionalNumber(values, 'validation-split', { exclusiveMin: 0, max: 0.9 });
  if (split !== undefined)
    dataSettings = { ...dataSettings, split: { ...dataSettings.split, train: 1 - split, validation: split, test: 0 } };
  return { dataset, dataSettings: applyDataFlags(dataSettings, dataset, values), project, projectPath };
}

function progressReporter(): ((read: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (read, total) => {
    if (total > 8 * 1024 * 1024) process.stderr.write(`\rReading CSV ${Math.round((100 * read) / total)}%`);
    if (read >= total && total > 8 * 1024 * 1024) process.stderr.write('\n');
  };
}

export function trainingReport(
  result: TrainingResult,
  extra: { task: unknown; labels: string[] | null; trainSamples: number },
) {
  return {
    layerlabVersion: LAYERLAB_VERSION,
    backend: result.backend,
    task: extra.task,
    classLabels: extra.labels,
    outcome: result.outcome,
    bestEpoch: result.bestEpoch,
    keptEpoch: result.keptEpoch,
    epochs: result.history,
    finalValidation: result.finalValidation,
    finalTest: result.finalTest,
    seconds: result.seconds,
    trainingSamplesPerSecond: result.samplesPerSecond,
    trainSamples: extra.trainSamples,
  };
}

export async function trainCommand(argv: string[]): Promise<number> {
  const values = parseFlags(argv, FLAGS, USAGE);
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { dataset, dataSettings, project, projectPath } = await loadInputs(values);
  const prepared = prepareRun(dataset, dataSettings);
  for (const warning of prepared.warnings) process.stderr.write(`Warning: ${warning.message}\n`);
  const { task, inputShape } = prepared.preprocessor;
  process.stderr.write(
    `${dataset.name}: ${dataset.rowCount} rows; task ${task.kind}${task.labels ? ` (${task.labels.join(', ')})` : ''}; ` +
      `input ${JSON.stringify(inputShape)}\n`,
  );

  const spec =
    typeof values.model === 'string'
      ? await readModelFile(values.model)
      : project?.model.layers.length
        ? project.model
        : defaultModelSpec({ kind: task.kind, classes: task.labels?.length }, inputShape);
  const report = checkModelForTask(inputShape, spec, { kind: task.kind, classes: task.labels?.length });
  if (!report.ok && report.issue) throw new UsageError(`The model cannot train on this data: ${report.issue.message}`);
  const exportIssues = typeof values.onnx === 'string' ? checkExportable(spec) : [];
  if (exportIssues.length > 0) {
    // Said before training, not after: the person should not wait for a model that cannot be written.
    throw new UsageError(
      `--onnx: this model cannot be exported to ONNX:\n- ${exportIssues.map((i) => i.message).join('\n- ')}`,
    );
  }

  const rows = { train: prepared.train.count, validation: prepared.validation.count };
  // A project's settings are the person's; only fresh defaults are fitted to the data, and the run says why.
  if (!project?.training && values.epochs === undefined) process.stderr.write(`${fitTrainingToRows(rows).reason}\n`);
  const settings = applyTrainingFlags(project?.training ?? defaultTrainingSettings(task, rows), values);
  const controller = new AbortController();
  const onSigint = () => {
    process.stderr.write('\nStopping after the current batch…\n');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  const printer = createProgressPrinter();
  const startedAt = new Date();
  let result: TrainingResult;
  try {
    const backendOverride = parseBackendOverride(process.env.LAYERLAB_BACKEND, 'LAYERLAB_BACKEND');
    ({ result } = await inProcessTrainer(controller.signal).train(
      { spec, prepared, settings: withBackendOverride(settings, backendOverride) },
      (e) => printer.onEvent(e),
    ));
  } finally {
    printer.done();
    process.off('SIGINT', onSigint);
  }

  if (projectPath) {
    const runId = newRunId(startedAt);
    const run = { id: runId, startedAt, spec, dataSettings, settings };
    await recordRunInProjectFile(projectPath, project, run, result, dataset);
    process.stderr.write(`Saved run ${runId} in ${projectPath}\n`);
  }

  if (typeof values.report === 'string') {
    const reportJson = trainingReport(result, {
      task: task.kind,
      labels: task.labels ?? null,
      trainSamples: prepared.train.count,
    });
    await fs.writeFile(values.report, `${JSON.stringify(reportJson, null, 2)}\n`);
  }
  const line = (metrics: TrainingResult['finalTest']) =>
    Object.entries(metrics)
      .map(([k, v]) => `${k} ${Number(v).toFixed(4)}`)
      .join('  ');
  process.stdout.write(`Validation: ${line(result.finalValidation)}\n`);
  if (Object.keys(result.finalTest).length > 0) process.stdout.write(`Test: ${line(result.finalTest)}\n`);

  if (typeof values.onnx === 'string') {
    await exportChecked(result.model, { dataset, prepared }, path.resolve(values.onnx), result);
  }
  return result.outcome === 'nan' ? 1 : 0;
}
