/**
 * One training step, three ways: the fast Dense step (dense-step.ts) for the flat stacks it covers, the
 * fast convolution step (conv-step.ts) for the small image models it covers, and tf.js' general autodiff
 * path (optimizer.minimize over the layers model) for everything else. The loop talks to each through
 * TrainStep and reports which one trained.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../model/spec.js';
import { applyWeights, extractWeights } from './build-model.js';
import type { ConcreteLoss } from './defaults.js';
import { getLearningRate, makeOptimizer, setLearningRate } from './tf-optimizers.js';
import { planDenseStack } from './dense-plan.js';
import { DenseStep } from './dense-step.js';
import { NO_IMAGE_LAYER, planConvStack } from './conv-plan.js';
import { ConvStep } from './conv-step.js';
import { sampleLoss, type SampleLoss } from './losses.js';
import type { Prng } from './prng.js';
import type { OptimizerSettings, WeightTensor } from './types.js';
import type { BatchInput, Evaluation, TrainStep } from './step-types.js';

export type { BatchInput, Evaluation, TrainStep } from './step-types.js';

export interface StepChoice {
  spec: ModelSpec;
  model: tf.Sequential;
  inputShape: number[];
  loss: ConcreteLoss;
  optimizer: OptimizerSettings;
  dropoutPrng: Prng;
}

/** The fast step when it covers the model, else the autodiff step; the description says which and why. */
export function chooseTrainStep(choice: StepChoice): TrainStep {
  // Built once either way, so a bad learning rate or optimizer name gets the same message on both paths.
  makeOptimizer(choice.optimizer).dispose();
  const plan = planDenseStack(choice.spec, choice.inputShape);
  const common = {
    loss: choice.loss,
    optimizer: choice.optimizer,
    dropoutPrng: choice.dropoutPrng,
  };
  if (plan.ok) return new DenseStep({ ...common, plan: plan.plan, initialWeights: extractWeights(choice.model) });
  const image = planConvStack(choice.spec, choice.inputShape);
  if (image.ok) return new ConvStep({ ...common, plan: image.plan, initialWeights: extractWeights(choice.model) });
  // For a model with an image layer the convolution step's reason names the layer that stopped it; for a flat
  // model the Dense step's does (it covers the normalization layers, which the convolution step does not).
  const imageModel = choice.spec.layers.some((l) => l.className === 'Conv2D' || l.className === 'MaxPooling2D');
  const reason = imageModel && image.reason !== NO_IMAGE_LAYER ? image.reason : plan.reason;
  return new AutodiffStep(choice, `tf.js autodiff step (the fast step does not cover ${reason})`);
}

const EVAL_CHUNK = 2048;

/** tf.js' own path: the layers model's forward pass, taped and differentiated, and a tf.js optimizer. */
export class AutodiffStep implements TrainStep {
  private readonly model: tf.Sequential;
  private readonly optimizer: tf.Optimizer;
  private readonly lossOf: SampleLoss;
  private readonly inputShape: number[];
  private readonly variables: tf.Variable[];
  private readonly hasRegularizers: boolean;
  private readonly dropoutLayers: { seed: number }[];
  private readonly dropoutPrng: Prng;

  constructor(
    choice: StepChoice,
    readonly description = 'tf.js autodiff step',
  ) {
    this.model = choice.model;
    this.optimizer = makeOptimizer(choice.optimizer);
    this.lossOf = sampleLoss(choice.loss);
    this.inputShape = choice.inputShape;
    this.dropoutPrng = choice.dropoutPrng;
    this.variables = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
    const penalties = layerPenalties(this.model);
    this.hasRegularizers = penalties.length > 0;
    tf.dispose(penalties);
    this.dropoutLayers = this.model.layers.filter((layer) => layer.getClassName() === 'Dropout') as unknown as {
      seed: number;
    }[];
  }

  get learningRate(): number {
    return getLearningRate(this.optimizer);
  }

  set learningRate(value: number) {
    setLearningRate(this.optimizer, value);
  }

  step(batch: BatchInput): number {
    return this.stepWithOutputs(batch, null);
  }

  stepWithOutputs(batch: BatchInput, outputs: Float32Array | null): number {
    for (const layer of this.dropoutLayers) layer.seed = this.dropoutPrng.nextSeed();
    return tf.tidy(() => {
      const cost = this.optimizer.minimize(() => this.objective(batch, outputs), true, this.variables);
      return cost ? cost.dataSync()[0]! : NaN; // a scalar has exactly one value
    });
  }

  /** The batch's objective as a tensor: what minimize differentiates (the tests differentiate it too). */
  objective(batch: BatchInput, keepOutputs: Float32Array | null = null): tf.Scalar {
    const { rows } = batch;
    const rowSize = this.inputShape.reduce((a, b) => a * b, 1);
    const xs = tf.tensor(batch.x.subarray(0, rows * rowSize), [rows, ...this.inputShape], 'float32');
    const targetWidth = batch.targets.length / rows;
    const ts = tf.tensor2d(batch.targets.subarray(0, rows * targetWidth), [rows, targetWidth]);
    const output = this.model.apply(xs, { training: true }) as tf.Tensor;
    // Read while the tape records: the values are the ones the gradient is taken at, before the update.
    if (keepOutputs) keepOutputs.set(output.dataSync());
    const perSample = this.lossOf(ts, output);
    let total = (
      batch.weights ? tf.mean(tf.mul(perSample, tf.tensor1d(batch.weights.subarray(0, rows)))) : tf.mean(perSample)
    ) as tf.Scalar;
    if (this.hasRegularizers) {
      for (const penalty of layerPenalties(this.model)) total = tf.add(total, penalty);
    }
    return total;
  }

  evaluate(x: Float32Array, targets: Float32Array, count: number): Evaluation {
    const rowSize = this.inputShape.reduce((a, b) => a * b, 1);
    const width = (this.model.outputs[0]!.shape[1] as number) ?? 1;
    const targetWidth = count ? targets.length / count : 1;
    const outputs = new Float32Array(count * width);
    let lossSum = 0;
    for (let start = 0; start < count; start += EVAL_CHUNK) {
      const n = Math.min(EVAL_CHUNK, count - start);
      const [values, chunkLoss] = tf.tidy(() => {
        const xs = tf.tensor(x.subarray(start * rowSize, (start + n) * rowSize), [n, ...this.inputShape], 'float32');
        const ts = tf.tensor2d(targets.subarray(start * targetWidth, (start + n) * targetWidth), [n, targetWidth]);
        const out = this.model.predict(xs) as tf.Tensor;
        return [out.dataSync(), tf.sum(this.lossOf(ts, out)).dataSync()[0]!] as const;
      });
      outputs.set(values, start * width);
      lossSum += chunkLoss;
    }
    return { outputs, loss: count ? lossSum / count : 0 };
  }

  weights(): WeightTensor[] {
    return extractWeights(this.model);
  }

  restore(weights: WeightTensor[]): void {
    applyWeights(this.model, weights);
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

/**
 * The weight penalties (L1/L2) of every layer. Asked of each layer: a Sequential's own
 * calculateLosses() only sees them once compiled, and this loop never compiles.
 */
function layerPenalties(model: tf.Sequential): tf.Scalar[] {
  return model.layers.flatMap((layer) => layer.calculateLosses());
}
