/**
 * The step-through's engine: a copy of a model (its own weights and optimizer) that traces one training row
 * with tf.js' own arithmetic — forward layer by layer, the row's loss, and tf.js gradients of that loss — and
 * takes real training steps on the batches of the training split without touching the run it came from.
 */
import * as tf from '@tensorflow/tfjs';
import { decodeOutputs, featureWidth, unscaleTarget } from '../data/encode.js';
import type { PreparedData, Preprocessor } from '../data/types.js';
import type { ModelSpec } from '../model/spec.js';
import { applyWeights } from '../training/build-model.js';
import type { ConcreteLoss } from '../training/defaults.js';
import { flatOptimizer } from '../training/flat-optimizers.js';
import { sampleLoss, usesOneHotTargets, type SampleLoss } from '../training/losses.js';
import { createPrng, deriveSeed } from '../training/prng.js';
import { setUpStep } from '../training/step-setup.js';
import { buildSampleWeights, buildTargets } from '../training/train-data.js';
import { AutodiffStep } from '../training/train-step.js';
import type { BatchInput } from '../training/step-types.js';
import type { TrainingSettings, WeightTensor } from '../training/types.js';
import type { BatchStep, ExampleTrace, LayerTrace, TraceWeights, TracedParam } from './example-trace-types.js';

export interface StepperSource {
  spec: ModelSpec;
  prepared: PreparedData;
  settings: TrainingSettings;
  /** The weights to start from; null: the model's initial weights for the run's seed. */
  weights: WeightTensor[] | null;
  /** Said on screen: whose weights these are. */
  origin: TraceWeights;
}

/** The file's row number (1 for the first data row) → its place in the training split, or a message why not. */
export function trainIndexOf(prepared: PreparedData, row: number): number {
  const split = prepared.train;
  for (let i = 0; i < split.count; i++) if (split.rows[i]! + 1 === row) return i;
  const place = (['validation', 'test'] as const).find((name) => {
    const other = prepared[name];
    for (let i = 0; i < other.count; i++) if (other.rows[i]! + 1 === row) return true;
    return false;
  });
  const first = split.count > 0 ? ` (the first training row is row ${split.rows[0]! + 1})` : '';
  if (place)
    throw new Error(`Row ${row} is in the ${place} split, not the training split: pick a training row${first}.`);
  throw new Error(`Row ${row} is not a row of the training split${first}.`);
}

export class ExampleStepper {
  private readonly model: tf.Sequential;
  private readonly step: AutodiffStep;
  private readonly loss: ConcreteLoss;
  private readonly lossOf: SampleLoss;
  private readonly targets: Float32Array;
  private readonly targetWidth: number;
  private readonly sampleWeights: Float32Array | null;
  private readonly rowSize: number;
  private origin: TraceWeights;
  private nextBatch = 0;
  private batchesTaken = 0;

  constructor(private readonly source: StepperSource) {
    const { spec, prepared, settings } = source;
    // The run's own set-up, so the loss, its checks and the initial weights are exactly the run's.
    const setup = setUpStep(spec, prepared, settings);
    setup.step.dispose();
    this.model = setup.model;
    try {
      if (source.weights) applyWeights(this.model, source.weights);
      this.loss = setup.loss;
      this.lossOf = sampleLoss(setup.loss);
      const inputShape = prepared.preprocessor.inputShape;
      this.rowSize = inputShape.reduce((a, b) => a * b, 1);
      // The real training step (tf.js optimizer over the layers model), on this copy only.
      this.step = new AutodiffStep({
        spec,
        model: this.model,
        inputShape,
        loss: setup.loss,
        optimizer: settings.optimizer,
        dropoutPrng: createPrng(deriveSeed(settings.seed, 2)),
      });
      const oneHot = usesOneHotTargets(setup.loss);
      this.targetWidth = oneHot ? setup.outputWidth : 1;
      this.targets = buildTargets(prepared.train, this.targetWidth, oneHot);
      this.sampleWeights = buildSampleWeights(prepared.train, prepared.preprocessor.task, settings.classWeights);
    } catch (error) {
      this.model.dispose();
      throw error;
    }
    this.origin = source.origin;
  }

  get batchesPerEpoch(): number {
    return Math.max(1, Math.ceil(this.source.prepared.train.count / this.batchSize));
  }

  private get batchSize(): number {
    return Math.max(1, Math.min(this.source.settings.batchSize, this.source.prepared.train.count));
  }

  /** The row (file row number; null: the training split's first row) followed through the network. */
  trace(requested: number | null): ExampleTrace {
    const { prepared, settings } = this.source;
    const row = requested ?? this.firstRow();
    const trainIndex = trainIndexOf(prepared, row);
    const pre = prepared.preprocessor;
    const x = prepared.train.x.slice(trainIndex * this.rowSize, (trainIndex + 1) * this.rowSize);
    const target = this.targets.slice(trainIndex * this.targetWidth, (trainIndex + 1) * this.targetWidth);
    // Plain numbers come out, so every tensor of the trace goes when the scope ends.
    tf.engine().startScope();
    let traced: { layers: LayerTrace[]; loss: number };
    try {
      traced = this.traceTensors(x, target, pre.inputShape);
    } finally {
      tf.engine().endScope();
    }
    const output = traced.layers.at(-1)?.output ?? Array.from(x);
    const decoded = decodeOutputs(pre, Float32Array.from(output), 1)[0]!;
    return {
      row,
      trainIndex,
      trainRows: prepared.train.count,
      weights: this.origin,
      features: encodedNames(pre).map((name, i) => ({ name, value: x[i]! })),
      target: { label: targetLabel(pre, prepared.train.y[trainIndex]!), encoded: Array.from(target) },
      prediction: {
        label: decoded.label ?? String(decoded.prediction ?? ''),
        output,
      },
      loss: { name: this.loss, value: traced.loss },
      layers: traced.layers,
      optimizer: { ...settings.optimizer, learningRate: this.step.learningRate },
      batchSize: this.batchSize,
      batchesPerEpoch: this.batchesPerEpoch,
    };
  }

  /** One real training step on the next batch (in split order, wrapping at the epoch's end), then the row again. */
  stepBatch(requested: number | null): BatchStep {
    const row = requested ?? this.firstRow();
    trainIndexOf(this.source.prepared, row);
    const batchIndex = this.nextBatch;
    const batch = this.batchAt(batchIndex);
    const rowBefore = this.trace(row).loss.value;
    const before = this.batchLoss(batch);
    const objective = this.step.step(batch);
    if (!Number.isFinite(objective)) throw new Error('The batch loss became NaN or infinite: lower the learning rate.');
    const after = this.batchLoss(batch);
    this.nextBatch = (batchIndex + 1) % this.batchesPerEpoch;
    this.batchesTaken++;
    this.origin = { kind: 'stepped', batches: this.batchesTaken };
    const trace = this.trace(row);
    const from = batchIndex * this.batchSize;
    return {
      batch: batchIndex,
      batchesPerEpoch: this.batchesPerEpoch,
      rows: { from, to: from + batch.rows - 1 },
      batchLoss: { before, after },
      rowLoss: { before: rowBefore, after: trace.loss.value },
      trace,
    };
  }

  private firstRow(): number {
    const split = this.source.prepared.train;
    if (split.count === 0) throw new Error('The training split has no rows: there is no row to follow.');
    return split.rows[0]! + 1;
  }

  dispose(): void {
    this.step.dispose();
    this.model.dispose();
  }

  private batchAt(index: number): BatchInput {
    const count = this.source.prepared.train.count;
    const from = index * this.batchSize;
    const rows = Math.min(this.batchSize, count - from);
    return {
      x: this.source.prepared.train.x.subarray(from * this.rowSize, (from + rows) * this.rowSize),
      targets: this.targets.subarray(from * this.targetWidth, (from + rows) * this.targetWidth),
      weights: this.sampleWeights ? this.sampleWeights.subarray(from, from + rows) : null,
      rows,
    };
  }

  private batchLoss(batch: BatchInput): number {
    return this.step.evaluate(batch.x, batch.targets, batch.rows).loss;
  }

  /** Inside a scope: every number the trace shows, read back from tf.js. */
  private traceTensors(
    x: Float32Array,
    target: Float32Array,
    inputShape: number[],
  ): { layers: LayerTrace[]; loss: number } {
    const layers = this.model.layers;
    const t = tf.tensor2d(target, [1, this.targetWidth]);
    const lossAfter = (from: number, h: tf.Tensor): tf.Scalar => {
      let out = h;
      for (let i = from; i < layers.length; i++) out = layers[i]!.apply(out, { training: false }) as tf.Tensor;
      return tf.sum(this.lossOf(t, out)) as tf.Scalar;
    };
    const inputs: tf.Tensor[] = [tf.tensor(x, [1, ...inputShape], 'float32')];
    for (const layer of layers) inputs.push(layer.apply(inputs.at(-1)!, { training: false }) as tf.Tensor);
    const loss = lossAfter(layers.length, inputs.at(-1)!).dataSync()[0]!;

    // ∂loss/∂(what enters layer i), for every i, and for the final output.
    const inputGrads = inputs.map((h, i) => tf.grad((v: tf.Tensor) => lossAfter(i, v))(h));

    const variables = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(() => lossAfter(0, inputs[0]!), variables);
    const gradientOf = new Map(this.model.trainableWeights.map((w, i) => [w, grads[variables[i]!.name]!]));
    const updates = this.freshUpdates(
      variables,
      variables.map((v) => grads[v.name]!),
    );
    const updateOf = new Map(this.model.trainableWeights.map((w, i) => [w, updates[i]!]));

    const traced = layers.map((layer, i): LayerTrace => {
      const input = inputs[i]!;
      const activation = activationName(layer);
      const pre = denseSum(layer, input);
      const zGrad =
        pre && activation ? tf.grad((z: tf.Tensor) => lossAfter(i + 1, applyActivation(activation, z)))(pre) : null;
      const params: TracedParam[] = layer.weights.map((weight) => {
        const gradient = gradientOf.get(weight);
        return {
          name: shortName(weight.originalName),
          shape: [...weight.shape] as number[],
          values: Array.from(weight.read().dataSync()),
          gradient: gradient ? Array.from(gradient.dataSync()) : null,
          update: updateOf.get(weight) ?? null,
        };
      });
      return {
        index: i,
        className: layer.getClassName(),
        activation,
        inputShape: input.shape.slice(1),
        outputShape: inputs[i + 1]!.shape.slice(1),
        input: Array.from(input.dataSync()),
        z: pre ? Array.from(pre.dataSync()) : null,
        output: Array.from(inputs[i + 1]!.dataSync()),
        params,
        gradients: {
          input: Array.from(inputGrads[i]!.dataSync()),
          z: zGrad ? Array.from(zGrad.dataSync()) : null,
          output: Array.from(inputGrads[i + 1]!.dataSync()),
        },
      };
    });
    return { layers: traced, loss };
  }

  /**
   * What the chosen optimizer changes each weight by for this row alone, from a fresh state: the flat
   * optimizers follow tf.js' rules step for step, and a copy leaves the stepper's own state as it is.
   */
  private freshUpdates(variables: tf.Variable[], grads: tf.Tensor[]): number[][] {
    const sizes = variables.map((v) => v.size);
    const total = sizes.reduce((a, b) => a + b, 0);
    const params = new Float32Array(total);
    const flatGrads = new Float32Array(total);
    let offset = 0;
    variables.forEach((v, i) => {
      params.set(v.dataSync(), offset);
      flatGrads.set(grads[i]!.dataSync(), offset);
      offset += sizes[i]!;
    });
    const before = params.slice();
    const settings = { ...this.source.settings.optimizer, learningRate: this.step.learningRate };
    flatOptimizer(settings, total, tf.backend().epsilon()).apply(params, flatGrads);
    const out: number[][] = [];
    offset = 0;
    for (const size of sizes) {
      const delta: number[] = [];
      for (let j = offset; j < offset + size; j++) delta.push(params[j]! - before[j]!);
      out.push(delta);
      offset += size;
    }
    return out;
  }
}

const ACTIVATED = new Set(['Dense', 'Conv1D', 'Conv2D', 'Activation', 'SimpleRNN', 'LSTM', 'GRU']);

function activationName(layer: tf.layers.Layer): string | null {
  if (!ACTIVATED.has(layer.getClassName())) return null;
  const name = (layer.getConfig() as { activation?: unknown }).activation;
  return typeof name === 'string' ? name : 'linear';
}

/** Dense on a flat input: z = xW + b with tf.js' own ops and the layer's own weights. */
function denseSum(layer: tf.layers.Layer, input: tf.Tensor): tf.Tensor | null {
  if (layer.getClassName() !== 'Dense' || input.rank !== 2) return null;
  const [kernel, bias] = layer.weights.map((w) => w.read());
  const product = tf.matMul(input as tf.Tensor2D, kernel as tf.Tensor2D);
  return bias ? tf.add(product, bias) : product;
}

function applyActivation(name: string, z: tf.Tensor): tf.Tensor {
  const layer = tf.layers.activation({ activation: name as 'linear' });
  return layer.apply(z) as tf.Tensor;
}

function shortName(originalName: string): string {
  const slash = originalName.lastIndexOf('/');
  return slash >= 0 ? originalName.slice(slash + 1) : originalName;
}

/** One name per model input: the column, or column=category for a one-hot column. */
function encodedNames(pre: Preprocessor): string[] {
  const names: string[] = [];
  for (const feature of pre.features) {
    if (feature.type === 'category' && featureWidth(feature) > 1) {
      for (const category of feature.categories) names.push(`${feature.name}=${category}`);
    } else names.push(feature.name);
  }
  // Image inputs have no column per value: number them.
  const width = pre.inputShape.reduce((a, b) => a * b, 1);
  while (names.length < width) names.push(`input ${names.length + 1}`);
  return names.slice(0, width);
}

function targetLabel(pre: Preprocessor, y: number): string {
  if (pre.task.kind !== 'regression') return pre.task.labels?.[y] ?? String(y);
  return String(unscaleTarget(pre.targetScale ?? { mean: 0, std: 1 }, y));
}
