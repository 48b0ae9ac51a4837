/**
 * Weights and gradients of each layer at an epoch's end: how large the weights are, how they are spread, how far
 * the epoch moved them, the L2 norm of the loss gradient on a fixed probe batch, and the ReLU units that never
 * fire on it. One tf.js model, built once from the spec, takes each epoch's weights (setWeights), so an epoch
 * costs one forward and backward pass over the probe rows.
 */
import * as tf from '@tensorflow/tfjs';
import type { PreparedData } from '../data/types.js';
import type { ActivationName, LayerSpec, ModelSpec } from '../model/spec.js';
import { applyWeights, buildModel } from '../training/build-model.js';
import { resolveLoss } from '../training/defaults.js';
import type { LayerEpochStats } from '../training/insight-types.js';
import { sampleLoss, usesOneHotTargets } from '../training/losses.js';
import { buildSampleWeights, buildTargets } from '../training/train-data.js';
import type { TrainingSettings, WeightTensor } from '../training/types.js';

/** Rows the gradient is measured on: the first of the training split, the same every epoch so epochs compare. */
export const PROBE_ROWS = 256;
export const HISTOGRAM_BINS = 20;

/** Activations whose zero output means the unit did not fire (its gradient is zero too). */
const RELU_LIKE: ReadonlySet<ActivationName> = new Set(['relu', 'relu6']);

/** The probe rows as tensors the probe keeps until disposed. */
interface ProbeBatch {
  x: tf.Tensor;
  targets: tf.Tensor2D;
  sampleWeights: tf.Tensor1D | null;
  rows: number;
}

interface WeightedLayer {
  index: number;
  className: string;
  /** Names of the weights gradient descent changes (BatchNormalization's moving statistics are not among them). */
  trainable: Set<string>;
  /** The layer whose output tells which units fired: this one, or the ReLU Activation right after it; -1: none. */
  reluAt: number;
}

export class LayerStatsProbe {
  private readonly model: tf.Sequential;
  private readonly batch: ProbeBatch;
  private readonly layers: WeightedLayer[];
  private readonly lossOf: ReturnType<typeof sampleLoss>;

  constructor(spec: ModelSpec, prepared: PreparedData, settings: TrainingSettings) {
    this.model = buildModel(spec, prepared.preprocessor.inputShape, settings.seed);
    try {
      const outputWidth = this.model.outputs[0]!.shape[1] as number;
      const loss = resolveLoss(prepared.preprocessor.task, settings.loss, outputWidth);
      this.lossOf = sampleLoss(loss);
      this.batch = probeBatch(prepared, settings, usesOneHotTargets(loss) ? outputWidth : 1, usesOneHotTargets(loss));
      this.layers = weightedLayers(this.model, spec);
    } catch (error) {
      this.model.dispose();
      throw error;
    }
  }

  /**
   * Statistics of every layer with weights, for `weights` (the epoch's) against `previous` (the epoch before);
   * without `previous` (a run's kept weights alone) the update ratio is not known.
   */
  compute(weights: WeightTensor[], previous: WeightTensor[] | null): LayerEpochStats[] {
    applyWeights(this.model, weights);
    const { gradientSquares, deadShares } = this.gradientsAndDeadUnits();
    return this.layers.map((layer) => {
      const own = weights.filter((w) => w.layerIndex === layer.index && layer.trainable.has(w.name));
      const before = previous?.filter((w) => w.layerIndex === layer.index && layer.trainable.has(w.name));
      const spread = meanAndStd(own);
      const weightNorm = Math.sqrt(sumOfSquares(own));
      const kernel = own.find((w) => w.name === 'kernel') ?? own[0];
      return {
        index: layer.index,
        className: layer.className,
        weightMean: spread.mean,
        weightStd: spread.std,
        weightNorm,
        gradientNorm: Math.sqrt(gradientSquares.get(layer.index) ?? 0),
        updateRatio: !before ? null : weightNorm > 0 ? Math.sqrt(differenceSquares(own, before)) / weightNorm : 0,
        deadShare: deadShares.get(layer.index) ?? null,
        histogram: histogram(kernel?.values ?? new Float32Array(0), HISTOGRAM_BINS),
      };
    });
  }

  dispose(): void {
    tf.dispose([this.batch.x, this.batch.targets, ...(this.batch.sampleWeights ? [this.batch.sampleWeights] : [])]);
    this.model.dispose();
  }

  /** One forward pass (layer by layer, to see which units fire) and the gradient of the training objective. */
  private gradientsAndDeadUnits(): { gradientSquares: Map<number, number>; deadShares: Map<number, number> } {
    const deadShares = new Map<number, number>();
    const deadAt = new Map(this.layers.filter((l) => l.reluAt >= 0).map((l) => [l.reluAt, l.index]));
    const gradientSquares = new Map<number, number>();
    tf.tidy(() => {
      const variables = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { grads } = tf.variableGrads(() => {
        let h = this.batch.x;
        this.model.layers.forEach((layer, i) => {
          h = layer.apply(h, { training: false }) as tf.Tensor;
          const owner = deadAt.get(i);
          if (owner !== undefined) deadShares.set(owner, deadUnitShare(h));
        });
        return objective(this.model, this.lossOf(this.batch.targets, h), this.batch.sampleWeights);
      }, variables);
      this.model.layers.forEach((layer, index) => {
        for (const weight of layer.trainableWeights) {
          const grad = grads[(weight.read() as tf.Variable).name];
          if (!grad) continue;
          gradientSquares.set(index, (gradientSquares.get(index) ?? 0) + tf.sum(tf.square(grad)).dataSync()[0]!);
        }
      });
    });
    return { gradientSquares, deadShares };
  }
}

/** What training minimizes: the (sample-weighted) mean loss plus the layers' L1/L2 penalties. */
export function objective(model: tf.Sequential, perSample: tf.Tensor1D, sampleWeights: tf.Tensor1D | null): tf.Scalar {
  let total = (sampleWeights ? tf.mean(tf.mul(perSample, sampleWeights)) : tf.mean(perSample)) as tf.Scalar;
  for (const penalty of model.layers.flatMap((layer) => layer.calculateLosses())) total = tf.add(total, penalty);
  return total;
}

/** The first rows of the training split, with targets and sample weights as training builds them. */
function probeBatch(prepared: PreparedData, settings: TrainingSettings, targetWidth: number, oneHot: boolean) {
  const split = prepared.train;
  const rows = Math.min(PROBE_ROWS, split.count);
  const inputShape = prepared.preprocessor.inputShape;
  const rowSize = inputShape.reduce((a, b) => a * b, 1);
  const targets = buildTargets(split, targetWidth, oneHot).subarray(0, rows * targetWidth);
  const weights = buildSampleWeights(split, prepared.preprocessor.task, settings.classWeights);
  return {
    x: tf.tensor(split.x.slice(0, rows * rowSize), [rows, ...inputShape], 'float32'),
    targets: tf.tensor2d(targets.slice(), [rows, targetWidth]),
    sampleWeights: weights ? tf.tensor1d(weights.slice(0, rows)) : null,
    rows,
  } satisfies ProbeBatch;
}

function weightedLayers(model: tf.Sequential, spec: ModelSpec): WeightedLayer[] {
  const out: WeightedLayer[] = [];
  model.layers.forEach((layer, index) => {
    if (layer.trainableWeights.length === 0) return;
    const trainable = new Set(layer.trainableWeights.map((w) => baseName(w.originalName)));
    const next = spec.layers[index + 1];
    const reluAt = isRelu(spec.layers[index])
      ? index
      : next?.className === 'Activation' && isRelu(next)
        ? index + 1
        : -1;
    out.push({ index, className: layer.getClassName(), trainable, reluAt });
  });
  return out;
}

function isRelu(layer: LayerSpec | undefined): boolean {
  const activation = (layer?.config as { activation?: ActivationName } | undefined)?.activation;
  return activation !== undefined && RELU_LIKE.has(activation);
}

/** Share of units (the last axis) that gave 0 for every row and position of the probe batch. */
function deadUnitShare(output: tf.Tensor): number {
  const units = output.shape[output.shape.length - 1]!;
  if (units === 0) return 0;
  const peak = tf.max(tf.reshape(output, [-1, units]), 0).dataSync();
  let dead = 0;
  for (const value of peak) if (value <= 0) dead++;
  return dead / units;
}

function baseName(originalName: string): string {
  return originalName.slice(originalName.lastIndexOf('/') + 1);
}

function sumOfSquares(tensors: WeightTensor[]): number {
  let sum = 0;
  for (const t of tensors) for (const v of t.values) sum += v * v;
  return sum;
}

function differenceSquares(now: WeightTensor[], before: WeightTensor[]): number {
  let sum = 0;
  for (const t of now) {
    const old = before.find((b) => b.name === t.name);
    if (!old || old.values.length !== t.values.length) continue;
    for (let i = 0; i < t.values.length; i++) sum += (t.values[i]! - old.values[i]!) ** 2;
  }
  return sum;
}

function meanAndStd(tensors: WeightTensor[]): { mean: number; std: number } {
  let count = 0;
  let sum = 0;
  for (const t of tensors) {
    count += t.values.length;
    for (const v of t.values) sum += v;
  }
  if (count === 0) return { mean: 0, std: 0 };
  const mean = sum / count;
  let squares = 0;
  for (const t of tensors) for (const v of t.values) squares += (v - mean) ** 2;
  return { mean, std: Math.sqrt(squares / count) };
}

/** `bins` equal bins from the smallest value to the largest (one bin holds everything when they are equal). */
export function histogram(values: ArrayLike<number>, bins: number): LayerEpochStats['histogram'] {
  const counts = new Array<number>(bins).fill(0);
  if (values.length === 0) return { min: 0, max: 0, counts };
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const width = (max - min) / bins;
  for (let i = 0; i < values.length; i++) {
    const bin = width > 0 ? Math.min(bins - 1, Math.floor((values[i]! - min) / width)) : 0;
    counts[bin]!++;
  }
  return { min, max, counts };
}
