/**
 * The training loop. A hand-written loop (optimizer.minimize per batch) rather than model.fit: it is
 * faster on wasm, and it lets a stop or pause land between any two batches, read the batch loss only
 * as often as needed, and compute every validation metric LayerLab reports at each epoch's end.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../model/spec.js';
import { inferShapes } from '../model/infer-shapes.js';
import type { PreparedData, SplitData } from '../data/types.js';
import type {
  EpochRecord,
  MetricName,
  TrainedModel,
  TrainingEvent,
  TrainingResult,
  TrainingSettings,
  WeightTensor,
} from './types.js';
import { selectBackend, type BackendSelection } from './backend.js';
import type { ConcreteLoss } from './defaults.js';
import { usesOneHotTargets } from './losses.js';
import { trainingMetrics, validationMetrics } from './metrics.js';
import { createPrng, deriveSeed } from './prng.js';
import { RunControl } from './run-control.js';
import { bridgedKernelsFor, describeBridged } from './wasm-kernel-bridge.js';
import { keptEpochOf, restoresBestEpoch } from './kept-weights.js';
import { buildSampleWeights, buildTargets, epochArrays, type EpochArrays } from './train-data.js';
import type { BatchInput, TrainStep } from './train-step.js';
import { setUpStep } from './step-setup.js';
import { chooseBackendByTrial } from './backend-trial.js';
import type { EpochObserver } from './insight-types.js';

export interface TrainHooks {
  onEvent?: (event: TrainingEvent) => void;
  signal?: AbortSignal;
  control?: RunControl;
  /** Computes what the open insight views show at each epoch's end (core/insight/); absent: nothing is computed. */
  observer?: EpochObserver;
  /** Least time between two batch events (default 100 ms): they feed a live chart, and more only costs time. */
  batchEventIntervalMs?: number;
}

const BATCH_EVENT_INTERVAL_MS = 100;
const HIGHER_IS_BETTER = new Set<string>([
  'valAccuracy',
  'valPrecision',
  'valRecall',
  'valF1',
  'valR2',
  'accuracy',
  'precision',
  'recall',
  'f1',
  'r2',
]);

export async function train(
  spec: ModelSpec,
  prepared: PreparedData,
  settings: TrainingSettings,
  hooks: TrainHooks = {},
): Promise<TrainingResult> {
  checkInputs(prepared, settings);
  const shapes = inferShapes(prepared.preprocessor.inputShape, spec);
  if (!shapes.ok && shapes.issue) throw new Error(shapes.issue.message);
  const selection =
    settings.backend === 'auto'
      ? await chooseBackendByTrial(spec, prepared, settings)
      : await selectBackend(settings.backend);

  const emit = (event: TrainingEvent): void => hooks.onEvent?.(event);
  const control = hooks.control ?? new RunControl();
  const batchEventIntervalMs = hooks.batchEventIntervalMs ?? BATCH_EVENT_INTERVAL_MS;
  const onAbort = (): void => control.stop();
  if (hooks.signal?.aborted) control.stop();
  hooks.signal?.addEventListener('abort', onAbort, { once: true });
  let model: tf.Sequential | null = null;
  let step: TrainStep | null = null;
  let loss: ConcreteLoss;
  let outputWidth: number;
  try {
    ({ model, step, loss, outputWidth } = setUpStep(spec, prepared, settings));
    return await runLoop({
      spec,
      step,
      parameters: model.countParams(),
      prepared,
      settings,
      loss,
      outputWidth,
      control,
      emit,
      batchEventIntervalMs,
      observer: hooks.observer ?? null,
      backend: selection.backend,
      backendNote: `${noteForModel(selection, spec)}; ${step.description}`,
    });
  } finally {
    hooks.signal?.removeEventListener('abort', onAbort);
    step?.dispose();
    model?.dispose();
  }
}

interface LoopContext {
  spec: ModelSpec;
  step: TrainStep;
  parameters: number;
  prepared: PreparedData;
  settings: TrainingSettings;
  loss: ConcreteLoss;
  outputWidth: number;
  control: RunControl;
  emit: (event: TrainingEvent) => void;
  batchEventIntervalMs: number;
  observer: EpochObserver | null;
  backend: TrainingResult['backend'];
  backendNote: string;
}

type Outcome = TrainingResult['outcome'];

async function runLoop(ctx: LoopContext): Promise<TrainingResult> {
  const { step, prepared, settings, control, emit, batchEventIntervalMs } = ctx;
  const runStart = performance.now();
  const trainSplit = prepared.train;
  const validation = prepared.validation;
  const inputShape = prepared.preprocessor.inputShape;
  const rowSize = inputShape.reduce((a, b) => a * b, 1);
  const oneHot = usesOneHotTargets(ctx.loss);
  const targetWidth = oneHot ? ctx.outputWidth : 1;
  const count = trainSplit.count;
  const batchSize = Math.min(settings.batchSize, Math.max(count, 1));
  const batchesPerEpoch = Math.ceil(count / batchSize);
  const base: EpochArrays = {
    x: trainSplit.x.subarray(0, count * rowSize),
    targets: buildTargets(trainSplit, targetWidth, oneHot),
    weights: buildSampleWeights(trainSplit, prepared.preprocessor.task, settings.classWeights),
  };
  const validationTargets = buildTargets(validation, targetWidth, oneHot);
  /** Loss and metrics on a split training never learns from; the same names for validation and test. */
  const heldOutMetrics = (split: SplitData, targets: Float32Array): Partial<Record<MetricName, number>> => {
    if (split.count === 0) return {};
    const { outputs, loss } = step.evaluate(split.x, targets, split.count);
    const { task, targetScale } = prepared.preprocessor;
    return { valLoss: loss, ...validationMetrics(task, outputs, split.y, split.count, ctx.outputWidth, targetScale) };
  };
  const shufflePrng = settings.shuffle ? createPrng(deriveSeed(settings.seed, 1)) : null;
  // The epoch's batch outputs, in batch order, when the step can hand them back: the training metrics.
  const epochOutputs = step.stepWithOutputs ? new Float32Array(count * ctx.outputWidth) : null;
  const trainStep = (batch: BatchInput, start: number): number =>
    epochOutputs && step.stepWithOutputs
      ? step.stepWithOutputs(
          batch,
          epochOutputs.subarray(start * ctx.outputWidth, (start + batch.rows) * ctx.outputWidth),
        )
      : step.step(batch);

  emit({
    type: 'started',
    backend: ctx.backend,
    backendNote: ctx.backendNote,
    trainSamples: count,
    validationSamples: validation.count,
    epochs: settings.epochs,
    batchesPerEpoch,
    parameters: ctx.parameters,
  });

  const history: EpochRecord[] = [];
  let lastComplete: WeightTensor[] = step.weights();
  const monitor = new BestTracker(settings);
  const lrWatch = new PlateauWatch(settings.reduceLrOnPlateau.monitor, settings.reduceLrOnPlateau.patience, 0);
  const stopWatch = new PlateauWatch(
    settings.earlyStopping.monitor,
    settings.earlyStopping.patience,
    settings.earlyStopping.minDelta,
  );
  let outcome: Outcome = 'finished';
  let reason = `completed ${settings.epochs} epoch${settings.epochs === 1 ? '' : 's'}`;
  let trainSeconds = 0;
  let samplesSeen = 0;
  let lastBatchEvent = -Infinity;

  epochs: for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    const epochStart = performance.now();
    let pausedMs = 0;
    const data = epochArrays(base, count, rowSize, targetWidth, shufflePrng);
    let lossSum = 0;

    for (let batch = 0; batch < batchesPerEpoch; batch++) {
      // Let pause/stop requests (messages, timers) arrive between batches.
      await yieldToEventLoop();
      if (control.isPaused) {
        const pausedAt = performance.now();
        emit({ type: 'paused', epoch });
        await control.waitWhilePaused();
        pausedMs += performance.now() - pausedAt;
        if (!control.isStopRequested) emit({ type: 'resumed', epoch });
      }
      if (control.isStopRequested) {
        outcome = 'stopped';
        reason = `stopped by request during epoch ${epoch}`;
        break epochs;
      }

      const start = batch * batchSize;
      const size = Math.min(batchSize, count - start);
      const batchLoss = trainStep(
        {
          x: data.x.subarray(start * rowSize, (start + size) * rowSize),
          targets: data.targets.subarray(start * targetWidth, (start + size) * targetWidth),
          weights: data.weights ? data.weights.subarray(start, start + size) : null,
          rows: size,
        },
        start,
      );
      samplesSeen += size;

      if (!Number.isFinite(batchLoss)) {
        outcome = 'nan';
        const message =
          `The loss became ${Number.isNaN(batchLoss) ? 'NaN' : 'infinite'} at epoch ${epoch}, batch ${batch + 1} of ${batchesPerEpoch}, ` +
          `so training stopped and kept the weights of the last complete epoch. Try: lower the learning rate ` +
          `(now ${step.learningRate}), standardize the inputs, or add BatchNormalization.`;
        reason = 'the loss stopped being a finite number';
        emit({ type: 'error', message, epoch, batch: batch + 1 });
        break epochs;
      }
      lossSum += batchLoss * size;

      const now = performance.now();
      if (now - lastBatchEvent >= batchEventIntervalMs) {
        lastBatchEvent = now;
        const elapsed = (now - epochStart - pausedMs) / 1000;
        emit({
          type: 'batch',
          epoch,
          batch: batch + 1,
          batchesPerEpoch,
          loss: batchLoss,
          samplesPerSecond: elapsed > 0 ? (start + size) / elapsed : 0,
        });
      }
    }

    const epochTrainSeconds = (performance.now() - epochStart - pausedMs) / 1000;
    trainSeconds += epochTrainSeconds;
    const metrics: Partial<Record<MetricName, number>> = { loss: count ? lossSum / count : 0 };
    if (epochOutputs) {
      const { task, targetScale } = prepared.preprocessor;
      const y = targetsAsLabels(data.targets, count, targetWidth, oneHot);
      Object.assign(metrics, trainingMetrics(task, epochOutputs, y, count, ctx.outputWidth, targetScale));
    }
    Object.assign(metrics, heldOutMetrics(validation, validationTargets));
    const learningRate = step.learningRate;
    const seconds = (performance.now() - epochStart - pausedMs) / 1000;
    const record: EpochRecord = { epoch, metrics, learningRate, seconds };
    history.push(record);
    const previousWeights = lastComplete;
    lastComplete = step.weights();
    monitor.observe(record, lastComplete);
    const insight = ctx.observer?.observe(
      {
        epoch,
        weights: lastComplete,
        previousWeights,
        learningRate,
        runSeconds: (performance.now() - runStart) / 1000,
      },
      control.insight,
    );
    emit({
      type: 'epoch',
      epoch,
      metrics,
      learningRate,
      seconds,
      samplesPerSecond: epochTrainSeconds > 0 ? count / epochTrainSeconds : 0,
      ...(insight ? { insight } : {}),
    });

    const lrSettings = settings.reduceLrOnPlateau;
    if (lrSettings.enabled && lrWatch.observe(metrics)) {
      const lowered = Math.max(learningRate * lrSettings.factor, lrSettings.minLearningRate);
      if (lowered < learningRate) step.learningRate = lowered;
      lrWatch.reset();
    }
    const stopSettings = settings.earlyStopping;
    if (stopSettings.enabled && stopWatch.observe(metrics)) {
      outcome = 'early-stopped';
      reason = `early stopping: ${stopWatch.name} did not improve for ${stopSettings.patience} epoch${stopSettings.patience === 1 ? '' : 's'}`;
      break;
    }
  }

  const restoreBest = restoresBestEpoch(settings, outcome, monitor.bestEpoch) && monitor.bestWeights !== null;
  const weights = restoreBest ? (monitor.bestWeights as WeightTensor[]) : lastComplete;
  const keptEpoch = keptEpochOf({ settings, outcome, bestEpoch: monitor.bestEpoch, history });
  if (restoreBest && keptEpoch !== history.length) reason += `; restored the weights of epoch ${keptEpoch}`;
  const keptRecord = history.find((r) => r.epoch === keptEpoch);
  const finalValidation: Partial<Record<MetricName, number>> = {};
  for (const [name, value] of Object.entries(keptRecord?.metrics ?? {})) {
    if (name.startsWith('val')) finalValidation[name as MetricName] = value;
  }
  // The test split is looked at once, here, with the kept weights (a stop may have left a half-trained epoch in
  // the model), so no choice made during training ever saw it.
  let finalTest: Partial<Record<MetricName, number>> = {};
  if (keptRecord && prepared.test.count > 0) {
    step.restore(weights);
    finalTest = heldOutMetrics(prepared.test, buildTargets(prepared.test, targetWidth, oneHot));
  }

  const terminal = { reason, bestEpoch: monitor.bestEpoch, epochsCompleted: history.length };
  emit(
    outcome === 'finished' || outcome === 'early-stopped'
      ? { type: 'finished', outcome, ...terminal }
      : { type: 'stopped', outcome, ...terminal },
  );

  const trained: TrainedModel = {
    spec: ctx.spec,
    preprocessor: prepared.preprocessor,
    weights,
  };
  return {
    model: trained,
    backend: ctx.backend,
    history,
    bestEpoch: monitor.bestEpoch,
    keptEpoch,
    outcome,
    finalValidation,
    finalTest,
    seconds: (performance.now() - runStart) / 1000,
    samplesPerSecond: trainSeconds > 0 ? samplesSeen / trainSeconds : 0,
  };
}

/** Tracks the best epoch by the early-stopping monitor (valLoss unless set), keeping its weights. */
class BestTracker {
  bestEpoch: number | null = null;
  bestWeights: WeightTensor[] | null = null;
  private best = NaN;
  private readonly name: string;
  private readonly minDelta: number;

  constructor(settings: TrainingSettings) {
    const es = settings.earlyStopping;
    this.name = es.enabled ? es.monitor || 'valLoss' : 'valLoss';
    this.minDelta = es.enabled ? Math.abs(es.minDelta) : 0;
  }

  observe(record: EpochRecord, weights: WeightTensor[]): void {
    const value = monitored(record.metrics, this.name);
    if (value === undefined) return;
    if (Number.isNaN(this.best) || improved(this.name, value, this.best, this.minDelta)) {
      this.best = value;
      this.bestEpoch = record.epoch;
      this.bestWeights = weights;
    }
  }
}

/** Counts epochs without improvement of one metric; says when patience has run out. */
class PlateauWatch {
  private best = NaN;
  private wait = 0;
  readonly name: string;

  constructor(
    monitor: string,
    private readonly patience: number,
    private readonly minDelta: number,
  ) {
    this.name = monitor || 'valLoss';
  }

  observe(metrics: Partial<Record<MetricName, number>>): boolean {
    const value = monitored(metrics, this.name);
    if (value === undefined) return false;
    if (Number.isNaN(this.best) || improved(this.name, value, this.best, Math.abs(this.minDelta))) {
      this.best = value;
      this.wait = 0;
      return false;
    }
    this.wait++;
    return this.wait >= this.patience;
  }

  reset(): void {
    this.wait = 0;
  }
}

/** The monitored metric, falling back from a validation metric to the training loss when there is no validation split. */
function monitored(metrics: Partial<Record<MetricName, number>>, name: string): number | undefined {
  const value = metrics[name as MetricName];
  if (value !== undefined) return value;
  return name.startsWith('val') && metrics.valLoss === undefined ? metrics.loss : undefined;
}

function improved(name: string, value: number, best: number, minDelta: number): boolean {
  return HIGHER_IS_BETTER.has(name) ? value > best + minDelta : value < best - minDelta;
}

/** The loss' targets back as SplitData's y (class index or standardized value): one-hot rows give their index. */
function targetsAsLabels(targets: Float32Array, count: number, width: number, oneHot: boolean): Float32Array {
  if (!oneHot) return targets.subarray(0, count);
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const row = targets.subarray(i * width, (i + 1) * width);
    y[i] = row.indexOf(1);
  }
  return y;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function checkInputs(prepared: PreparedData, settings: TrainingSettings): void {
  if (prepared.train.count === 0) {
    throw new Error(
      'The training split has no rows: give the training split a larger share, or check that rows are not all dropped for missing values.',
    );
  }
  if (!Number.isInteger(settings.epochs) || settings.epochs < 1) {
    throw new Error(`Epochs must be a whole number of at least 1 (it is ${settings.epochs}).`);
  }
  if (!Number.isInteger(settings.batchSize) || settings.batchSize < 1) {
    throw new Error(`Batch size must be a whole number of at least 1 (it is ${settings.batchSize}).`);
  }
}

/** Adds what this particular model costs on the chosen backend. */
function noteForModel(selection: BackendSelection, spec: ModelSpec): string {
  if (selection.backend !== 'wasm') return selection.note;
  const bridged = bridgedKernelsFor(spec.layers.map((layer) => layer.className));
  return bridged.length === 0 ? selection.note : `${selection.note}; ${describeBridged(bridged)}`;
}
