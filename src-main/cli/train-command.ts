/** `layerlab train`: the whole path of the app, headless — read, prepare, build, train, record, export. */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { editColumn, inProcessTrainer, prepareRun, readDataset, recordRunInProjectFile } from '../app/index.js';
import { defaultDataSettings } from '../core/data/index.js';
import type { DataSettings, Dataset, Preprocessor } from '../core/data/types.js';
import {
  checkExportable,
  checkModelForTask,
  defaultModelSpec,
  modelSizeIssue,
  validateModelSpec,
} from '../core/model/index.js';
import { machineTrainingBudget } from '../node/training-budget.js';
import type { ModelSpec } from '../core/model/spec.js';
import { settingsProblems } from '../core/model/training-ranges.js';
import type { LayerEpochStats } from '../core/training/insight-types.js';
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
  type TrainingEvent,
  type TrainingResult,
  type TrainingSettings,
} from '../core/training/types.js';
import {
  dataSettingsSchema,
  datasetPathForSaving,
  describeIssues,
  loadProject,
  newRunId,
  resolveProjectPath,
  tidyProjectFolders,
  trainingSettingsSchema,
  unlistedWeightsWarning,
  type ProjectDocument,
} from '../core/project/index.js';
import { optionalNumber, parseFlags, UsageError } from './args.js';
import {
  applyDataFlags,
  DATA_FLAGS,
  DATA_FLAGS_USAGE,
  NON_FINITE_USAGE,
  nonFiniteFlag,
  settingsFromFile,
} from './data-flags.js';
import { createProgressPrinter, createReadProgress } from './progress.js';
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
  --report REPORT.json        write backend, task, labels, per-epoch metrics and layer statistics, final metrics, timing
  --onnx MODEL.onnx           export the trained model to ONNX (checked against tf.js)
  --skip-bad-rows             skip rows with the wrong number of fields instead of failing
${NON_FINITE_USAGE}

${DATA_FLAGS_USAGE}`;

export const TRAIN_FLAGS = {
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
  'non-finite': { type: 'string' },
  ...DATA_FLAGS,
  help: { type: 'boolean', short: 'h' },
} as const;

const OPTIMIZERS: readonly OptimizerName[] = OPTIMIZER_NAMES;
const BACKENDS = BACKEND_CHOICES;

export async function readModelFile(file: string): Promise<ModelSpec> {
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

/**
 * The model a run trains: --model's file, else the project's stack, else the default for the task; refused,
 * saying why, when it cannot train on this data.
 */
export async function modelForRun(
  values: Record<string, unknown>,
  project: { model: ModelSpec } | null | undefined,
  { task, inputShape }: Pick<Preprocessor, 'task' | 'inputShape'>,
): Promise<ModelSpec> {
  const shape = { kind: task.kind, classes: task.labels?.length };
  const spec =
    typeof values.model === 'string'
      ? await readModelFile(values.model)
      : project?.model.layers.length
        ? project.model
        : defaultModelSpec(shape, inputShape);
  const report = checkModelForTask(inputShape, spec, shape);
  if (!report.ok && report.issue) throw new UsageError(`The model cannot train on this data: ${report.issue.message}`);
  return spec;
}

export function applyTrainingFlags(base: TrainingSettings, values: Record<string, unknown>): TrainingSettings {
  const settings: TrainingSettings = structuredClone(base);
  const epochs = optionalNumber(values, 'epochs');
  const batchSize = optionalNumber(values, 'batch-size');
  const learningRate = optionalNumber(values, 'learning-rate');
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
  const problems = settingsProblems(settings).map(({ field, message }) => {
    const flag = FLAG_OF_SETTING[field];
    return `${flag ? `${flag} ${String(values[flag.slice(2)])}` : `training.${field}`}: ${message}`;
  });
  if (problems.length > 0) throw new UsageError(`${CANNOT_START}\n- ${problems.join('\n- ')}`);
  return settings;
}

const CANNOT_START = 'These settings cannot be used, so training did not start:';

/** The flag each training setting comes from, so a refusal names what the person typed. */
const FLAG_OF_SETTING: Record<string, string> = {
  epochs: '--epochs',
  batchSize: '--batch-size',
  'optimizer.learningRate': '--learning-rate',
  'optimizer.name': '--optimizer',
  seed: '--seed',
  backend: '--backend',
};

/**
 * The settings are checked against the project schema before training, not when the run is saved: a value the
 * project file cannot hold (batch size 1e9) would otherwise train for nothing and then fail to save.
 */
function checkAgainstProjectSchema(settings: TrainingSettings, dataSettings: DataSettings): void {
  const training = trainingSettingsSchema.safeParse(settings);
  const data = dataSettingsSchema.safeParse(dataSettings);
  const problems: string[] = [];
  if (!training.success) {
    for (const issue of training.error.issues) {
      const key = issue.path.map(String).join('.');
      const flag = FLAG_OF_SETTING[key];
      const given = issue.path.reduce<unknown>((at, part) => (at as Record<PropertyKey, unknown>)?.[part], settings);
      problems.push(
        `${flag ? `${flag} ${String(given)}` : `training.${key}`}: ${issue.message} (the project file cannot hold it)`,
      );
    }
  }
  if (!data.success) problems.push(...describeIssues(data.error, 'dataSettings'));
  if (problems.length > 0) throw new UsageError(`${CANNOT_START}\n- ${problems.join('\n- ')}`);
}

/** Finds out now, not after training, that the run could not be saved. */
async function checkWritable(folder: string, what: string): Promise<void> {
  const probe = path.join(folder, `.layerlab-write-check.${process.pid}.tmp`);
  try {
    await fs.writeFile(probe, '');
    await fs.rm(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    const why = code === 'ENOENT' || code === 'ENOTDIR' ? 'does not exist' : `cannot be written (${code})`;
    throw new UsageError(`${what}: the folder ${folder} ${why}, so the run could not be saved: choose another path.`);
  }
}

interface Inputs {
  dataset: Dataset;
  dataSettings: DataSettings;
  project: ProjectDocument | null;
  projectPath: string | null;
}

export async function loadInputs(values: Record<string, unknown>): Promise<Inputs> {
  const projectPath = typeof values.project === 'string' ? path.resolve(values.project) : null;
  const project = projectPath && existsSync(projectPath) ? await loadProject(projectPath) : null;
  if (project && projectPath) {
    const { unlistedWeights } = await tidyProjectFolders(projectPath, project);
    const warning = unlistedWeightsWarning(projectPath, unlistedWeights);
    if (warning) process.stderr.write(`Warning: ${warning}\n`);
  }
  const skipBadRows = values['skip-bad-rows'] === true;
  const nonFinite = nonFiniteFlag(values);
  const onProgress = progressReporter();

  let dataset: Dataset;
  if (typeof values.data !== 'string') {
    if (!project?.dataset) throw new UsageError(`--data is required (or a --project that has a dataset).\n\n${USAGE}`);
    dataset = await readDataset(resolveProjectPath(projectPath!, project.dataset.path), {
      skipBadRows,
      onProgress,
      nonFinite,
    });
  } else {
    dataset = await readDataset(path.resolve(values.data), { skipBadRows, onProgress, nonFinite });
    if (dataset.skippedRows > 0) process.stderr.write(`Skipped ${dataset.skippedRows} bad rows.\n`);
    if (project && projectPath) pointProjectAt(project, projectPath, dataset);
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

/**
 * `--data` on an existing project: its runs are recorded against this file, so the project must refer to it
 * too, or it could never export them (export reads the project's dataset).
 */
function pointProjectAt(project: ProjectDocument, projectPath: string, dataset: Dataset): void {
  if (!dataset.path) return;
  const stored = datasetPathForSaving(projectPath, dataset.path);
  const before = project.dataset ? resolveProjectPath(projectPath, project.dataset.path) : null;
  if (before === path.resolve(dataset.path)) return;
  process.stderr.write(
    `Warning: ${path.basename(projectPath)} used ${project.dataset ? project.dataset.path : 'no dataset'}; ` +
      `it now uses ${stored} (given with --data), so its runs export with the data they were trained on.\n`,
  );
  project.dataset = { path: stored, hash: dataset.hash, name: dataset.name };
}

function progressReporter(): (read: number, total: number) => void {
  return createReadProgress('CSV');
}

/**
 * What the report says of one layer at one epoch (the histogram and dead units are for the window's view). The
 * update ratio is always a number here: each epoch of a run has the one before it (the initial weights for the first).
 */
export type ReportedLayer = Pick<
  LayerEpochStats,
  'index' | 'className' | 'weightMean' | 'weightStd' | 'weightNorm' | 'gradientNorm' | 'updateRatio'
>;

function reportedLayer(stats: LayerEpochStats): ReportedLayer {
  const { index, className, weightMean, weightStd, weightNorm, gradientNorm, updateRatio } = stats;
  return { index, className, weightMean, weightStd, weightNorm, gradientNorm, updateRatio };
}

/** Collects each epoch's layer statistics from the run's events; they go into the report, never the project file. */
function layerStatsCollector() {
  const byEpoch = new Map<number, ReportedLayer[]>();
  return {
    byEpoch,
    onEvent(event: TrainingEvent): void {
      if (event.type === 'epoch' && event.insight?.layers)
        byEpoch.set(event.epoch, event.insight.layers.map(reportedLayer));
    },
  };
}

export function trainingReport(
  result: TrainingResult,
  extra: {
    task: unknown;
    labels: string[] | null;
    trainSamples: number;
    layersByEpoch?: ReadonlyMap<number, ReportedLayer[]>;
  },
) {
  const layers = extra.layersByEpoch;
  // Every epoch is computed for the report; should one still lack them, the report says which.
  const withoutLayers = layers ? result.history.filter((r) => !layers.has(r.epoch)).map((r) => r.epoch) : [];
  return {
    layerlabVersion: LAYERLAB_VERSION,
    backend: result.backend,
    task: extra.task,
    classLabels: extra.labels,
    outcome: result.outcome,
    bestEpoch: result.bestEpoch,
    keptEpoch: result.keptEpoch,
    epochs: layers ? result.history.map((r) => ({ ...r, layers: layers.get(r.epoch) ?? [] })) : result.history,
    ...(withoutLayers.length > 0 ? { epochsWithoutLayerStats: withoutLayers } : {}),
    finalValidation: result.finalValidation,
    finalTest: result.finalTest,
    seconds: result.seconds,
    trainingSamplesPerSecond: result.samplesPerSecond,
    trainSamples: extra.trainSamples,
  };
}

export async function trainCommand(argv: string[]): Promise<number> {
  const values = parseFlags(argv, TRAIN_FLAGS, USAGE);
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

  const spec = await modelForRun(values, project, prepared.preprocessor);
  const rows = { train: prepared.train.count, validation: prepared.validation.count };
  // A project's settings are the person's; only fresh defaults are fitted to the data, and the run says why.
  if (!project?.training && values.epochs === undefined) process.stderr.write(`${fitTrainingToRows(rows).reason}\n`);
  const settings = applyTrainingFlags(project?.training ?? defaultTrainingSettings(task, rows), values);
  checkAgainstProjectSchema(settings, dataSettings);
  if (projectPath) await checkWritable(path.dirname(projectPath), `--project ${values.project as string}`);
  if (typeof values.onnx === 'string')
    await checkWritable(path.dirname(path.resolve(values.onnx)), `--onnx ${values.onnx}`);
  if (typeof values.report === 'string')
    await checkWritable(path.dirname(path.resolve(values.report)), `--report ${values.report}`);
  const tooLarge = modelSizeIssue(inputShape, spec, settings.batchSize, machineTrainingBudget());
  if (tooLarge) throw new UsageError(tooLarge);
  const exportIssues = typeof values.onnx === 'string' ? checkExportable(spec) : [];
  if (exportIssues.length > 0) {
    // Said before training, not after: the person should not wait for a model that cannot be written.
    throw new UsageError(
      `--onnx: this model cannot be exported to ONNX:\n- ${exportIssues.map((i) => i.message).join('\n- ')}`,
    );
  }

  const controller = new AbortController();
  const onSigint = () => {
    process.stderr.write('\nStopping after the current batch…\n');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  const printer = createProgressPrinter();
  const wantsReport = typeof values.report === 'string';
  const layerStats = layerStatsCollector();
  const startedAt = new Date();
  let result: TrainingResult;
  try {
    const backendOverride = parseBackendOverride(process.env.LAYERLAB_BACKEND, 'LAYERLAB_BACKEND');
    const insight = wantsReport ? { layers: true, weights: false, boundary: null } : undefined;
    ({ result } = await inProcessTrainer(controller.signal, insight).train(
      { spec, prepared, settings: withBackendOverride(settings, backendOverride) },
      (e) => {
        printer.onEvent(e);
        layerStats.onEvent(e);
      },
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
      layersByEpoch: layerStats.byEpoch,
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
