/**
 * The engine behind `LayerLabApi`, shared by the Electron host and browser mode. It holds datasets, projects,
 * runs and ONNX models by id; paths stay here. Every call is validated (validate-args.ts) before it acts.
 */
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type {
  ApiMethod, AppInfo, CsvLoadOptions, DataCheck, DatasetSummary, Evaluation, ExportResult, LayerLabApi, MenuCommand, OnnxModelSummary,
  OpenedProject, PredictionTable, RawRecord, RunEvent, RunSummary, SavedProject, StartTrainingRequest,
} from '../contract/api.js';
import type { DataSettings, Dataset, PreparedData } from '../core/data/types.js';
import type { ProjectDocument, RunRecord } from '../core/project/types.js';
import type { EpochRecord, TrainedModel, TrainingEvent, TrainingResult } from '../core/training/types.js';
import {
  DataError, PARITY_TOLERANCE, checkExportable, createProject, datasetPathForSaving, datasetRecords, defaultDataSettings,
  defaultTrainingSettings, evaluate, exportOnnx, checkParity, loadProject, newRunId, openOnnxModel, parseProjectText,
  predictRaw, prepareData, readCsv, readTrainedModel, resolveProjectPath, rowsAsText, runRecordFrom, saveProject,
  selectBackend, weightsPathFor, writeTrainedModel, type OnnxModel,
} from './core.js';
import { validateModelSpec } from '../core/model/schema.js';
import { toContractEvaluation } from './evaluation.js';
import { IdStore } from './id-store.js';
import { predictionsToCsv } from './prediction-csv.js';
import { SAMPLE_PROJECT_FILE, SAMPLES, findSample } from './samples.js';
import type { TrainerHandle } from '../trainer/trainer-client.js';
import type { RunEvaluation } from '../trainer/protocol.js';
import type { Engine, EngineHost } from './types.js';
import { ArgumentError, validateArgs } from './validate-args.js';
import { freshPath, safeFileName } from './workspace.js';

const PREVIEW_ROWS = 20;
const PROJECT_SUFFIX = '.layerlab.json';

interface DatasetEntry {
  dataset: Dataset;
  /** Where the CSV is on disk (uploads are written to the workspace first): the trainer reads it from here. */
  path: string;
  defaults: DataSettings;
  /** How the file was read, so the training process reads it the same way. */
  skipBadRows: boolean;
}

interface ProjectEntry {
  /** null until saved (new projects, uploads, the sample project, which is never overwritten). */
  path: string | null;
  fileName: string;
  name: string;
  datasetId: string | null;
  /** Runs made or opened with this project, by run id; merged into the document on save. */
  runs: Map<string, RunRecord>;
}

interface RunEntry {
  projectId: string;
  datasetId: string | null;
  startedAt: Date;
  request: Omit<StartTrainingRequest, 'datasetId'>;
  trainer: TrainerHandle | null;
  backend: RunSummary['backend'];
  history: EpochRecord[];
  outcome: RunSummary['outcome'] | null;
  bestEpoch: number | null;
  seconds: number;
  finalValidation: RunSummary['finalValidation'];
  trained: TrainedModel | null;
  prepared: PreparedData | null;
  evaluation: Evaluation | null;
  /** Absolute path of the weights file, once written. */
  weightsPath: string | null;
}

interface ModelEntry {
  fileName: string;
  model: OnnxModel;
  summary: OnnxModelSummary;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function stripSuffix(fileName: string): string {
  return fileName.replace(/\.layerlab\.json$/i, '').replace(/\.json$/i, '');
}

function emptyModel(): ProjectDocument['model'] {
  return { version: 1, layers: [] };
}

export function createEngine(host: EngineHost): Engine {
  const datasets = new IdStore<DatasetEntry>('d', 'dataset', 'load the CSV file again.');
  const projects = new IdStore<ProjectEntry>('p', 'project', 'open the project again.');
  const runs = new IdStore<RunEntry>('r', 'training run', 'train the model again.');
  const models = new IdStore<ModelEntry>('m', 'ONNX model', 'open or export the model again.');
  const trainingListeners = new Set<(event: RunEvent) => void>();
  let backendReady: Promise<unknown> | null = null;

  /** tf.js in this process only predicts (evaluation, parity), so the plain cpu backend is enough. */
  function ensureTf(): Promise<unknown> {
    backendReady ??= selectBackend('cpu');
    return backendReady;
  }

  function emit(runId: string, event: TrainingEvent): void {
    for (const listener of trainingListeners) {
      try {
        listener({ runId, event });
      } catch {
        // A listener that throws (a closed socket) must not stop the others.
      }
    }
  }

  // ---- datasets -----------------------------------------------------------------------------------------

  async function registerDataset(filePath: string, options: CsvLoadOptions = {}): Promise<string> {
    const skipBadRows = options.skipBadRows === true;
    const dataset = await readCsv(filePath, { previewRows: PREVIEW_ROWS, skipBadRows });
    return datasets.add({ dataset, path: filePath, defaults: defaultDataSettings(dataset), skipBadRows });
  }

  function summarize(id: string): DatasetSummary {
    const { dataset, defaults } = datasets.get(id);
    return {
      id,
      name: dataset.name,
      bytes: dataset.bytes,
      rowCount: dataset.rowCount,
      delimiter: dataset.delimiter,
      hasHeader: dataset.hasHeader,
      columns: dataset.columns.map((c) => ({ name: c.name, kind: c.kind, stats: c.stats })),
      preview: dataset.preview,
      skippedRows: dataset.skippedRows,
      warnings: dataset.warnings,
      defaults,
    };
  }

  function findDatasetByHash(hash: string): string | null {
    for (const [id, entry] of datasets.entries()) if (entry.dataset.hash === hash) return id;
    return null;
  }

  // ---- projects -----------------------------------------------------------------------------------------

  function opened(projectId: string, document: ProjectDocument, warnings: string[]): OpenedProject {
    const project = projects.get(projectId);
    return {
      projectId,
      fileName: project.fileName,
      document,
      dataset: project.datasetId ? summarize(project.datasetId) : null,
      warnings,
    };
  }

  /** Loads the project's dataset and remembers its runs; problems become warnings, not failures. */
  async function openDocument(document: ProjectDocument, where: { path: string | null; fileName: string; datasetBase: string | null }): Promise<OpenedProject> {
    const warnings: string[] = [];
    let datasetId: string | null = null;
    if (document.dataset) {
      const ref = document.dataset;
      datasetId = findDatasetByHash(ref.hash);
      if (!datasetId && where.datasetBase) {
        const csvPath = resolveProjectPath(where.datasetBase, ref.path);
        try {
          datasetId = await registerDataset(csvPath);
          if (datasets.get(datasetId).dataset.hash !== ref.hash) {
            warnings.push(`${ref.name} has changed since the project was saved: results may differ from the recorded runs.`);
          }
        } catch (error) {
          warnings.push(`The project's data file ${ref.path} could not be read (${message(error)}): load the CSV again.`);
        }
      } else if (!datasetId) {
        warnings.push(`This project uses ${ref.name}: load or upload that CSV file to train.`);
      }
    }
    const runsById = new Map<string, RunRecord>();
    for (const record of document.runs) runsById.set(record.id, record);
    const projectId = projects.add({
      path: where.path,
      fileName: where.fileName,
      name: document.name,
      datasetId,
      runs: runsById,
    });
    for (const record of document.runs) {
      if (record.weightsFile && where.datasetBase) {
        weightsOfOldRuns.set(record.id, { projectId, path: resolveProjectPath(where.datasetBase, record.weightsFile), record });
      }
    }
    return opened(projectId, document, warnings);
  }

  /** Runs recorded in opened projects, trained in an earlier session: restored on demand. */
  const weightsOfOldRuns = new Map<string, { projectId: string; path: string; record: RunRecord }>();

  async function openProjectFile(filePath: string, asTemplate: boolean): Promise<OpenedProject> {
    const document = await loadProject(filePath);
    return openDocument(document, {
      path: asTemplate ? null : filePath,
      fileName: path.basename(filePath),
      datasetBase: filePath,
    });
  }

  function relativeOrAbsolute(projectPath: string, filePath: string): string {
    return datasetPathForSaving(projectPath, filePath);
  }

  async function placeWeights(projectPath: string, record: RunRecord, known: string | null): Promise<RunRecord> {
    if (!known) return record;
    const target = weightsPathFor(projectPath, record.id);
    if (path.resolve(known) !== path.resolve(target)) {
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.copyFile(known, target);
    }
    return { ...record, weightsFile: relativeOrAbsolute(projectPath, target) };
  }

  // ---- training -----------------------------------------------------------------------------------------

  function summaryOf(runId: string, run: RunEntry): RunSummary {
    return {
      runId,
      startedAt: run.startedAt.toISOString(),
      backend: run.backend,
      outcome: run.outcome ?? 'finished',
      seconds: run.seconds,
      bestEpoch: run.bestEpoch,
      history: run.history,
      finalValidation: run.finalValidation,
      settings: run.request.settings,
      spec: run.request.spec,
      evaluation: run.evaluation,
    };
  }

  async function finishRun(runId: string, run: RunEntry, result: TrainingResult, evaluation: RunEvaluation | null): Promise<void> {
    run.trained = result.model;
    run.backend = result.backend;
    run.history = result.history;
    run.bestEpoch = result.bestEpoch;
    run.outcome = result.outcome;
    run.seconds = result.seconds;
    run.finalValidation = result.finalValidation;
    if (evaluation?.validation) {
      run.evaluation = toContractEvaluation(evaluation.validation);
    } else if (run.prepared && run.prepared.validation.count > 0) {
      await ensureTf();
      run.evaluation = toContractEvaluation(evaluate(result.model, run.prepared.validation));
    }
    const project = projects.get(run.projectId);
    run.weightsPath = project.path
      ? weightsPathFor(project.path, runId)
      : path.join(host.workspaceDir, 'runs', `${runId}.llw`);
    await writeTrainedModel(run.weightsPath, result.model);
    const record = runRecordFrom({
      id: runId,
      startedAt: run.startedAt,
      spec: run.request.spec,
      dataSettings: run.request.dataSettings,
      settings: run.request.settings,
      result,
      weightsFile: project.path ? relativeOrAbsolute(project.path, run.weightsPath) : run.weightsPath,
    });
    project.runs.set(runId, record);
  }

  function recordFailedRun(runId: string, run: RunEntry): void {
    const project = projects.find(run.projectId);
    if (!project) return;
    project.runs.set(runId, {
      id: runId,
      startedAt: run.startedAt.toISOString(),
      spec: run.request.spec,
      dataSettings: run.request.dataSettings,
      settings: run.request.settings,
      backend: run.backend,
      seconds: run.seconds,
      outcome: 'error',
      bestEpoch: null,
      history: run.history,
      finalValidation: {},
      weightsFile: null,
    });
  }

  /** A run from an earlier session: weights from disk, data prepared again with the recorded settings. */
  async function restoreRun(runId: string): Promise<RunEntry> {
    const live = runs.find(runId);
    if (live) return live;
    const old = weightsOfOldRuns.get(runId);
    if (!old) return runs.get(runId);
    const { record } = old;
    const trained = await readTrainedModel(old.path);
    const project = projects.find(old.projectId);
    const datasetId = project?.datasetId ?? null;
    let prepared: PreparedData | null = null;
    if (datasetId) {
      try {
        prepared = prepareData(datasets.get(datasetId).dataset, record.dataSettings);
      } catch {
        prepared = null;
      }
    }
    const run: RunEntry = {
      projectId: old.projectId,
      datasetId,
      startedAt: new Date(record.startedAt),
      request: { dataSettings: record.dataSettings, spec: record.spec, settings: record.settings },
      trainer: null,
      backend: record.backend,
      history: record.history,
      outcome: record.outcome,
      bestEpoch: record.bestEpoch,
      seconds: record.seconds,
      finalValidation: record.finalValidation,
      trained,
      prepared,
      evaluation: null,
      weightsPath: old.path,
    };
    if (prepared && prepared.validation.count > 0) {
      await ensureTf();
      run.evaluation = toContractEvaluation(evaluate(trained, prepared.validation));
    }
    runs.add(run, runId);
    return run;
  }

  // ---- ONNX -------------------------------------------------------------------------------------------

  async function registerModel(source: string | Uint8Array, fileName: string): Promise<OnnxModelSummary> {
    const model = await openOnnxModel(source);
    const modelId = models.mint();
    const { inputs, outputs, producer, opset, metadata } = model.info;
    const summary: OnnxModelSummary = { modelId, fileName, inputs, outputs, producer, opset, metadata };
    models.add({ fileName, model, summary }, modelId);
    return summary;
  }

  async function offerSaved(filePath: string): Promise<string | undefined> {
    return host.offerDownload?.(filePath, path.basename(filePath));
  }

  // ---- the API ----------------------------------------------------------------------------------------

  const impl = {
    async appInfo(): Promise<AppInfo> {
      const require = createRequire(import.meta.url);
      const installed = (name: string) => {
        try {
          require.resolve(name);
          return true;
        } catch {
          return false;
        }
      };
      const native = installed('@tensorflow/tfjs-node');
      return {
        version: host.version,
        mode: host.mode,
        platform: `${process.platform}-${process.arch}`,
        backends: [
          { name: 'tensorflow', available: native, note: native ? 'native TensorFlow (fastest)' : 'not installed: the optional package @tensorflow/tfjs-node needs a download at install time' },
          { name: 'wasm', available: installed('@tensorflow/tfjs-backend-wasm'), note: 'WebAssembly with SIMD; a few layers fall back to the cpu kernels' },
          { name: 'cpu', available: true, note: 'plain JavaScript: always works, slowest' },
        ],
        samples: SAMPLES.map(({ id, name, description }) => ({ id, name, description })),
      };
    },

    async openCsvDialog(options?: CsvLoadOptions): Promise<DatasetSummary | null> {
      const filePath = await host.chooseOpenFile('csv');
      if (!filePath) return null;
      return summarize(await registerDataset(filePath, options));
    },

    async uploadCsv(fileName: string, bytes: Uint8Array, options?: CsvLoadOptions): Promise<DatasetSummary> {
      const filePath = await freshPath(host.workspaceDir, 'uploads', safeFileName(fileName, 'data.csv'));
      await fs.writeFile(filePath, bytes);
      const id = await registerDataset(filePath, options);
      // Keep the name the person gave, not the workspace copy's.
      datasets.get(id).dataset.name = fileName;
      return summarize(id);
    },

    async loadSampleDataset(sampleId: string): Promise<DatasetSummary> {
      const sample = findSample(sampleId);
      if (!sample) throw new ArgumentError(`loadSampleDataset: there is no sample "${sampleId}"; use one of ${SAMPLES.map((s) => s.id).join(', ')}`);
      return summarize(await registerDataset(path.join(host.samplesDir, sample.fileName)));
    },

    async datasetRows(datasetId: string, start: number, count: number): Promise<string[][]> {
      return rowsAsText(datasets.get(datasetId).dataset, start, count);
    },

    async checkData(datasetId: string, settings: DataSettings): Promise<DataCheck> {
      const { dataset } = datasets.get(datasetId);
      try {
        const prepared = prepareData(dataset, settings);
        return {
          ok: true,
          task: prepared.task,
          inputShape: prepared.inputShape,
          counts: {
            train: prepared.train.count,
            validation: prepared.validation.count,
            test: prepared.test.count,
            dropped: prepared.droppedRows,
          },
          warnings: prepared.warnings,
        };
      } catch (error) {
        if (error instanceof DataError) return { ok: false, error: error.message, warnings: [] };
        throw error;
      }
    },

    async newProject(): Promise<OpenedProject> {
      const document = createProject({
        name: 'Untitled',
        model: emptyModel(),
        training: defaultTrainingSettings({ kind: 'multiclass', target: '' }),
      });
      return openDocument(document, { path: null, fileName: `Untitled${PROJECT_SUFFIX}`, datasetBase: null });
    },

    async openSampleProject(): Promise<OpenedProject> {
      return openProjectFile(path.join(host.samplesDir, SAMPLE_PROJECT_FILE), true);
    },

    async openProjectDialog(): Promise<OpenedProject | null> {
      const filePath = await host.chooseOpenFile('project');
      if (!filePath) return null;
      return openProjectFile(filePath, false);
    },

    async uploadProject(fileName: string, bytes: Uint8Array): Promise<OpenedProject> {
      const document = parseProjectText(new TextDecoder().decode(bytes), fileName);
      // An uploaded file has no folder: its dataset can only be one already loaded, or a sample of the same name.
      const sample = SAMPLES.find((s) => s.fileName === path.basename(document.dataset?.path ?? ''));
      if (document.dataset && sample && !findDatasetByHash(document.dataset.hash)) {
        await registerDataset(path.join(host.samplesDir, sample.fileName)).catch(() => null);
      }
      return openDocument(document, { path: null, fileName, datasetBase: null });
    },

    async saveProject(projectId: string, document: ProjectDocument, options: { saveAs: boolean; datasetId?: string }): Promise<SavedProject | null> {
      const project = projects.get(projectId);
      const model = validateModelSpec(document.model);
      if (!model.ok) {
        throw new Error(`The project cannot be saved while its model has problems: ${model.errors.slice(0, 3).join('; ')}. Fix the layer, then save again.`);
      }
      if (options.datasetId) {
        datasets.get(options.datasetId);
        project.datasetId = options.datasetId;
      }
      let target = !options.saveAs && project.path ? project.path : await host.chooseSaveFile('project', project.fileName);
      if (!target) return null;
      if (!/\.json$/i.test(target)) target += PROJECT_SUFFIX;

      const saved: ProjectDocument = { ...document, runs: [] };
      const dataset = project.datasetId ? datasets.find(project.datasetId) : undefined;
      if (dataset) {
        saved.dataset = { path: relativeOrAbsolute(target, dataset.path), hash: dataset.dataset.hash, name: dataset.dataset.name };
      } else if (document.dataset && project.path) {
        // Keep pointing at the same file from the new place.
        saved.dataset = { ...document.dataset, path: relativeOrAbsolute(target, resolveProjectPath(project.path, document.dataset.path)) };
      }
      const records = new Map<string, RunRecord>();
      for (const record of document.runs) records.set(record.id, record);
      for (const [id, record] of project.runs) if (!records.has(id)) records.set(id, record);
      for (const record of records.values()) {
        const live = runs.find(record.id);
        const known = live?.weightsPath ?? weightsOfOldRuns.get(record.id)?.path ?? null;
        saved.runs.push(await placeWeights(target, record, known));
      }
      await saveProject(target, saved);
      project.path = target;
      project.fileName = path.basename(target);
      project.name = saved.name;
      for (const record of saved.runs) project.runs.set(record.id, record);
      return { projectId, fileName: project.fileName, downloadUrl: await offerSaved(target) };
    },

    async startTraining(projectId: string, request: StartTrainingRequest): Promise<{ runId: string }> {
      projects.get(projectId);
      const datasetEntry = datasets.get(request.datasetId);
      // Prepare here too: bad settings fail now with the data side's message, and evaluation needs the split.
      const prepared = prepareData(datasetEntry.dataset, request.dataSettings);
      const runId = newRunId();
      const trainer = host.spawnTrainer();
      const run: RunEntry = {
        projectId,
        datasetId: request.datasetId,
        startedAt: new Date(),
        request: { dataSettings: request.dataSettings, spec: request.spec, settings: request.settings },
        trainer,
        backend: 'cpu',
        history: [],
        outcome: null,
        bestEpoch: null,
        seconds: 0,
        finalValidation: {},
        trained: null,
        prepared,
        evaluation: null,
        weightsPath: null,
      };
      runs.add(run, runId);
      projects.get(projectId).datasetId = request.datasetId;
      const began = Date.now();
      let ending: TrainingEvent | null = null;
      let settled = false;

      const onEvent = (event: TrainingEvent) => {
        if (event.type === 'started') run.backend = event.backend;
        if (event.type === 'epoch') {
          run.history.push({ epoch: event.epoch, metrics: event.metrics, learningRate: event.learningRate, seconds: event.seconds });
          run.finalValidation = event.metrics;
        }
        // The end is announced once the result is stored, so getRun right after it sees the evaluation.
        if (event.type === 'finished' || event.type === 'stopped' || event.type === 'error') {
          ending ??= event;
          return;
        }
        emit(runId, event);
      };
      const fail = (why: string) => {
        if (settled) return;
        settled = true;
        run.trainer = null;
        run.outcome = 'error';
        run.seconds = (Date.now() - began) / 1000;
        trainer.dispose();
        recordFailedRun(runId, run);
        emit(runId, ending?.type === 'error' ? ending : { type: 'error', message: why });
      };
      const succeed = (result: TrainingResult, evaluation: RunEvaluation) => {
        if (settled) return;
        settled = true;
        run.trainer = null;
        trainer.dispose();
        finishRun(runId, run, result, evaluation).then(
          () => emit(runId, ending ?? { type: 'finished', reason: result.outcome, bestEpoch: result.bestEpoch, epochsCompleted: result.history.length }),
          (failure: unknown) => {
            run.outcome = 'error';
            emit(runId, { type: 'error', message: `Training finished but its result could not be kept: ${message(failure)}` });
          },
        );
      };

      trainer.onMessage((reply) => {
        if (reply.type === 'event') onEvent(reply.event);
        else if (reply.type === 'result') succeed(reply.result, reply.evaluation);
        else fail(reply.message);
      });
      trainer.onExit((code) => fail(`The training process stopped unexpectedly (exit code ${code ?? 'none'}); try again, or choose the cpu backend.`));
      trainer.start({
        runId,
        dataPath: datasetEntry.path,
        skipBadRows: datasetEntry.skipBadRows,
        dataSettings: request.dataSettings,
        spec: request.spec,
        trainingSettings: request.settings,
      });
      return { runId };
    },

    async controlTraining(runId: string, action: 'pause' | 'resume' | 'stop'): Promise<void> {
      const run = runs.get(runId);
      if (!run.trainer || run.trainer.exited) return;
      if (action === 'pause') run.trainer.pause();
      else if (action === 'resume') run.trainer.resume();
      else run.trainer.stop();
    },

    onTrainingEvent(listener: (event: RunEvent) => void): () => void {
      trainingListeners.add(listener);
      return () => {
        trainingListeners.delete(listener);
      };
    },

    async getRun(runId: string): Promise<RunSummary> {
      return summaryOf(runId, await restoreRun(runId));
    },

    async exportOnnx(runId: string): Promise<ExportResult | null> {
      const run = await restoreRun(runId);
      if (!run.trained) {
        throw new Error(run.trainer ? 'This run is still training: export once it has finished.' : 'This run left no trained model to export: train again.');
      }
      const trained = run.trained;
      const issues = checkExportable(trained.spec);
      if (issues.length) throw new Error(`This model cannot be exported to ONNX: ${issues.map((i) => i.message).join('; ')}`);
      const project = projects.find(run.projectId);
      const datasetEntryForMeta = run.datasetId ? datasets.find(run.datasetId) : undefined;
      const bytes = exportOnnx(trained, {
        layerlabVersion: host.version,
        datasetHash: datasetEntryForMeta?.dataset.hash,
        validationMetrics: run.finalValidation as Record<string, number>,
      });

      let maxDifference = 0;
      let rowsCompared = 0;
      const validation = run.prepared?.validation;
      const datasetEntry = datasetEntryForMeta;
      if (validation && validation.count > 0 && datasetEntry) {
        await ensureTf();
        const records = datasetRecords(datasetEntry.dataset, Array.from(validation.rows));
        const tfOutputs = predictRaw(trained, validation.x, validation.count);
        const parity = await checkParity(trained, bytes, records, tfOutputs);
        maxDifference = parity.maxDifference;
        rowsCompared = parity.rowsCompared;
      }
      const baseName = `${safeFileName(stripSuffix(project?.name ?? 'model'), 'model')}.onnx`;
      if (!(maxDifference <= PARITY_TOLERANCE)) {
        return {
          fileName: baseName,
          bytes: bytes.length,
          maxDifference,
          rowsCompared,
          ok: false,
          message: `The exported model differs from the trained one by up to ${maxDifference.toExponential(2)} (allowed ${PARITY_TOLERANCE}) on ${rowsCompared} validation rows, so it was not saved. Please report this model.`,
          model: await registerModel(bytes, baseName),
        };
      }
      const target = await host.chooseSaveFile('onnx', baseName);
      if (!target) return null;
      await fs.writeFile(target, bytes);
      const fileName = path.basename(target);
      return {
        fileName,
        bytes: bytes.length,
        maxDifference,
        rowsCompared,
        ok: true,
        message: rowsCompared > 0
          ? `Saved ${fileName}; onnxruntime matches tf.js on ${rowsCompared} validation rows (largest difference ${maxDifference.toExponential(2)}).`
          : `Saved ${fileName}; there were no validation rows to compare against tf.js.`,
        downloadUrl: await offerSaved(target),
        model: await registerModel(target, fileName),
      };
    },

    async openOnnxDialog(): Promise<OnnxModelSummary | null> {
      const filePath = await host.chooseOpenFile('onnx');
      if (!filePath) return null;
      return registerModel(filePath, path.basename(filePath));
    },

    async uploadOnnx(fileName: string, bytes: Uint8Array): Promise<OnnxModelSummary> {
      return registerModel(bytes, fileName);
    },

    async predictRecords(modelId: string, records: RawRecord[]): Promise<PredictionTable> {
      return models.get(modelId).model.runRecords(records);
    },

    async predictDataset(modelId: string, datasetId: string): Promise<PredictionTable> {
      const { dataset } = datasets.get(datasetId);
      return models.get(modelId).model.runRecords(datasetRecords(dataset));
    },

    async savePredictions(table: PredictionTable): Promise<{ fileName: string; downloadUrl?: string } | null> {
      const target = await host.chooseSaveFile('predictions', 'predictions.csv');
      if (!target) return null;
      await fs.writeFile(target, predictionsToCsv(table));
      return { fileName: path.basename(target), downloadUrl: await offerSaved(target) };
    },

    async setDirty(dirty: boolean): Promise<void> {
      host.setDirty?.(dirty);
    },

    onMenuCommand(_listener: (command: MenuCommand) => void): () => void {
      // Menu commands go from the host straight to the UI; the engine has none to give.
      return () => {};
    },
  } satisfies LayerLabApi;

  const invokable = impl as unknown as Record<ApiMethod, (...args: unknown[]) => Promise<unknown>>;

  async function invoke(method: ApiMethod, args: unknown[]): Promise<unknown> {
    const parsed = validateArgs(method, args);
    return invokable[method](...parsed);
  }

  const engine = {
    invoke,
    onTrainingEvent: impl.onTrainingEvent,
    onMenuCommand: impl.onMenuCommand,
    async dispose() {
      for (const run of runs.values()) run.trainer?.dispose();
      for (const entry of models.values()) await entry.model.close?.();
      datasets.clear();
      projects.clear();
      runs.clear();
      models.clear();
      trainingListeners.clear();
    },
  } as Record<string, unknown>;
  for (const method of Object.keys(invokable) as ApiMethod[]) {
    if (method === ('onTrainingEvent' as string) || method === ('onMenuCommand' as string)) continue;
    engine[method] = (...args: unknown[]) => invoke(method, args);
  }
  return engine as unknown as Engine;
}
