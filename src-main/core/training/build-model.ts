/**
 * ModelSpec (plain JSON) -> tf.js model, and trained weights back and forth as plain arrays. Every
 * random initializer gets a seed derived from the run's seed and the layer's position, so the same
 * spec and seed always start from the same weights.
 */
import * as tf from '@tensorflow/tfjs';
import type {
  ActivationName,
  ConvConfig,
  DenseConfig,
  InitializerName,
  LayerSpec,
  ModelSpec,
  RegularizerSpec,
} from '../model/spec.js';
import type { TrainedModel, WeightTensor } from './types.js';
import { deriveSeed } from './prng.js';
import { quietTfjs } from './backend.js';
import { defaultRecurrentActivation } from '../model/exportability.js';
import { inferShapes } from '../model/infer-shapes.js';

type TfActivation = NonNullable<Parameters<typeof tf.layers.dense>[0]['activation']>;
type TfInitializer = ReturnType<typeof tf.initializers.zeros>;
type TfRegularizer = ReturnType<typeof tf.regularizers.l1l2>;

/** LayerLab's activation names are tf.js' own; the table keeps that promise checked by the compiler. */
const ACTIVATION_NAMES: Record<ActivationName, TfActivation> = {
  linear: 'linear',
  relu: 'relu',
  relu6: 'relu6',
  elu: 'elu',
  selu: 'selu',
  sigmoid: 'sigmoid',
  hardSigmoid: 'hardSigmoid',
  tanh: 'tanh',
  softmax: 'softmax',
  softplus: 'softplus',
  softsign: 'softsign',
  swish: 'swish',
};

const DEFAULT_SEED = 42;

export function buildModel(spec: ModelSpec, inputShape: number[], seed: number = DEFAULT_SEED): tf.Sequential {
  if (spec.layers.length === 0) throw new Error('The model has no layers: add at least one (for example Dense).');
  // Prediction paths (export checks, the CLI) may build a model before any backend was chosen.
  quietTfjs();
  const model = tf.sequential();
  const shapes = inferShapes(inputShape, spec);
  spec.layers.forEach((layer, index) => {
    const seeds = (role: number): number => deriveSeed(seed, index, role);
    const base: BaseArgs = index === 0 ? { inputShape } : {};
    try {
      // LayerLab treats Flatten on a flat input as doing nothing (as Keras does); tf.js refuses it, so an identity
      // layer stands in and the layer indices still match the spec.
      const flatAlready = layer.className === 'Flatten' && shapes.layers[index]?.inputShape.length === 1;
      // The first layer declares the input shape, as tf.js expects of a sequential model.
      model.add(flatAlready ? tf.layers.activation({ ...base, activation: 'linear' }) : makeLayer(layer, seeds, base));
    } catch (error) {
      model.dispose();
      throw new Error(`Layer ${index + 1} (${layer.className}) cannot be built: ${(error as Error).message}`);
    }
  });
  return model;
}

interface BaseArgs {
  inputShape?: number[];
}

/** What Dense and the convolutions share: a kernel and a bias, each with its initializer and penalty. */
function kernelAndBias(c: DenseConfig | ConvConfig, seeds: (role: number) => number) {
  return {
    useBias: c.useBias ?? true,
    kernelInitializer: initializer(c.kernelInitializer ?? 'glorotUniform', seeds(1)),
    biasInitializer: initializer(c.biasInitializer ?? 'zeros', seeds(2)),
    kernelRegularizer: regularizer(c.kernelRegularizer),
    biasRegularizer: regularizer(c.biasRegularizer),
  };
}

function makeLayer(layer: LayerSpec, seeds: (role: number) => number, base: BaseArgs): tf.layers.Layer {
  switch (layer.className) {
    case 'Dense': {
      const c = layer.config;
      return tf.layers.dense({
        ...base,
        units: c.units,
        activation: activation(c.activation),
        ...kernelAndBias(c, seeds),
      });
    }
    case 'Activation':
      return tf.layers.activation({ ...base, activation: activation(layer.config.activation) ?? 'linear' });
    case 'Dropout':
      return tf.layers.dropout({ ...base, rate: layer.config.rate, seed: layer.config.seed ?? seeds(1) });
    case 'BatchNormalization':
      return tf.layers.batchNormalization({ ...base, ...layer.config });
    case 'LayerNormalization':
      return tf.layers.layerNormalization({ ...base, ...layer.config });
    case 'Flatten':
      return tf.layers.flatten(base);
    case 'Reshape':
      return tf.layers.reshape({ ...base, targetShape: layer.config.targetShape });
    case 'Conv1D':
    case 'Conv2D': {
      const c = layer.config;
      const args = {
        ...base,
        filters: c.filters,
        kernelSize: c.kernelSize,
        strides: c.strides ?? 1,
        padding: c.padding ?? 'valid',
        activation: activation(c.activation),
        ...kernelAndBias(c, seeds),
      };
      return layer.className === 'Conv1D' ? tf.layers.conv1d(args) : tf.layers.conv2d(args);
    }
    case 'MaxPooling1D':
      return tf.layers.maxPooling1d({ ...base, ...pooling1d(layer.config) });
    case 'AveragePooling1D':
      return tf.layers.averagePooling1d({ ...base, ...pooling1d(layer.config) });
    case 'MaxPooling2D':
      return tf.layers.maxPooling2d({ ...base, ...pooling2d(layer.config) });
    case 'AveragePooling2D':
      return tf.layers.averagePooling2d({ ...base, ...pooling2d(layer.config) });
    case 'GlobalAveragePooling1D':
      return tf.layers.globalAveragePooling1d(base);
    case 'GlobalAveragePooling2D':
      return tf.layers.globalAveragePooling2d(base);
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU': {
      const c = layer.config;
      const common = {
        ...base,
        units: c.units,
        activation: activation(c.activation) ?? 'tanh',
        returnSequences: c.returnSequences ?? false,
        useBias: c.useBias ?? true,
        kernelInitializer: initializer(c.kernelInitializer ?? 'glorotUniform', seeds(1)),
        recurrentInitializer: initializer(c.recurrentInitializer ?? 'orthogonal', seeds(2)),
        biasInitializer: initializer(c.biasInitializer ?? 'zeros', seeds(3)),
        kernelRegularizer: regularizer(c.kernelRegularizer),
        recurrentRegularizer: regularizer(c.recurrentRegularizer),
        biasRegularizer: regularizer(c.biasRegularizer),
      };
      if (layer.className === 'SimpleRNN') return tf.layers.simpleRNN(common);
      if (c.resetAfter)
        throw new Error(
          'resetAfter: true is not supported; tf.js GRU applies the reset gate before the matrix product (resetAfter: false).',
        );
      const recurrentActivation = activation(c.recurrentActivation ?? defaultRecurrentActivation(layer.className));
      return layer.className === 'LSTM'
        ? tf.layers.lstm({ ...common, recurrentActivation })
        : tf.layers.gru({ ...common, recurrentActivation });
    }
  }
  throw new Error(`unknown layer class "${(layer as { className: string }).className}"`);
}

function activation(name: ActivationName | undefined): TfActivation | undefined {
  if (name === undefined) return undefined;
  const mapped = ACTIVATION_NAMES[name];
  if (!mapped) throw new Error(`unknown activation "${name}"; use one of ${Object.keys(ACTIVATION_NAMES).join(', ')}`);
  return mapped;
}

function initializer(name: InitializerName, seed: number): TfInitializer {
  const init = tf.initializers;
  switch (name) {
    case 'zeros':
      return init.zeros();
    case 'ones':
      return init.ones();
    case 'glorotUniform':
      return init.glorotUniform({ seed });
    case 'glorotNormal':
      return init.glorotNormal({ seed });
    case 'heUniform':
      return init.heUniform({ seed });
    case 'heNormal':
      return init.heNormal({ seed });
    case 'leCunUniform':
      return init.leCunUniform({ seed });
    case 'leCunNormal':
      return init.leCunNormal({ seed });
    case 'randomUniform':
      return init.randomUniform({ minval: -0.05, maxval: 0.05, seed });
    case 'randomNormal':
      return init.randomNormal({ mean: 0, stddev: 0.05, seed });
    case 'truncatedNormal':
      return init.truncatedNormal({ mean: 0, stddev: 0.05, seed });
    case 'orthogonal':
      return init.orthogonal({ gain: 1, seed });
  }
  throw new Error(`unknown initializer "${name as string}"`);
}

function regularizer(spec: RegularizerSpec | undefined): TfRegularizer | undefined {
  const l1 = spec?.l1 ?? 0;
  const l2 = spec?.l2 ?? 0;
  return l1 > 0 || l2 > 0 ? tf.regularizers.l1l2({ l1, l2 }) : undefined;
}

type Pool1d = Parameters<typeof tf.layers.maxPooling1d>[0];
type Pool2d = Parameters<typeof tf.layers.maxPooling2d>[0];

function pooling1d(c: {
  poolSize?: number | number[];
  strides?: number | number[];
  padding?: 'valid' | 'same';
}): Pool1d {
  const first = (v: number | number[] | undefined): number | undefined => (Array.isArray(v) ? v[0] : v);
  return { poolSize: first(c.poolSize) ?? 2, strides: first(c.strides), padding: c.padding ?? 'valid' };
}

function pooling2d(c: {
  poolSize?: number | number[];
  strides?: number | number[];
  padding?: 'valid' | 'same';
}): Pool2d {
  const pair = (v: number | number[] | undefined): number | [number, number] | undefined =>
    Array.isArray(v) ? [v[0]!, v[1] ?? v[0]!] : v;
  return { poolSize: pair(c.poolSize) ?? 2, strides: pair(c.strides), padding: c.padding ?? 'valid' };
}

/** All weights (trainable and not, e.g. BatchNormalization's moving statistics) as plain copies. */
export function extractWeights(model: tf.LayersModel): WeightTensor[] {
  const out: WeightTensor[] = [];
  model.layers.forEach((layer, layerIndex) => {
    for (const weight of layer.weights) {
      const values = weight.read().dataSync();
      out.push({
        layerIndex,
        name: weightName(weight.originalName),
        shape: [...weight.shape] as number[],
        values: Float32Array.from(values),
      });
    }
  });
  return out;
}

/** Writes plain weights into a model built from the same spec; names and shapes must match. */
export function applyWeights(model: tf.LayersModel, weights: WeightTensor[]): void {
  model.layers.forEach((layer, layerIndex) => {
    if (layer.weights.length === 0) return;
    const tensors = layer.weights.map((weight) => {
      const name = weightName(weight.originalName);
      const found = weights.find((w) => w.layerIndex === layerIndex && w.name === name);
      if (!found)
        throw new Error(`Layer ${layerIndex + 1} (${layer.getClassName()}): saved weights have no "${name}".`);
      const expected = weight.shape.join('x');
      if (found.shape.join('x') !== expected) {
        throw new Error(
          `Layer ${layerIndex + 1} (${layer.getClassName()}): weight "${name}" has shape [${found.shape.join(', ')}], the model needs [${weight.shape.join(', ')}].`,
        );
      }
      return tf.tensor(found.values, found.shape, 'float32');
    });
    layer.setWeights(tensors);
    tf.dispose(tensors);
  });
}

export function modelFromTrained(trained: TrainedModel): tf.Sequential {
  const model = buildModel(trained.spec, trained.preprocessor.inputShape);
  try {
    applyWeights(model, trained.weights);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

const PREDICT_CHUNK = 4096;

/**
 * Raw model outputs (probabilities, or the standardized regression value) for `count` rows of encoded
 * inputs laid out row-major. Builds and disposes a model when given a TrainedModel.
 */
export function predictRaw(source: TrainedModel | tf.LayersModel, x: Float32Array, count: number): Float32Array {
  const owned = !(source instanceof tf.LayersModel);
  const model = owned ? modelFromTrained(source as TrainedModel) : source;
  try {
    const inputShape = (model.inputs[0]!.shape as (number | null)[]).slice(1) as number[];
    const rowSize = inputShape.reduce((a, b) => a * b, 1);
    if (x.length < count * rowSize) {
      throw new Error(
        `predictRaw: ${count} rows of ${rowSize} values need ${count * rowSize} numbers, got ${x.length}.`,
      );
    }
    const outputWidth = (model.outputs[0]!.shape as (number | null)[])
      .slice(1)
      .reduce<number>((a, b) => a * (b ?? 1), 1);
    const out = new Float32Array(count * outputWidth);
    for (let start = 0; start < count; start += PREDICT_CHUNK) {
      const n = Math.min(PREDICT_CHUNK, count - start);
      const values = tf.tidy(() => {
        const input = tf.tensor(x.subarray(start * rowSize, (start + n) * rowSize), [n, ...inputShape], 'float32');
        return (model.predict(input) as tf.Tensor).dataSync();
      });
      out.set(values, start * outputWidth);
    }
    return out;
  } finally {
    if (owned) model.dispose();
  }
}

/** tf.js names weights "dense_Dense3/kernel"; the part after the slash is stable across builds. */
function weightName(originalName: string): string {
  const slash = originalName.lastIndexOf('/');
  return slash >= 0 ? originalName.slice(slash + 1) : originalName;
}
