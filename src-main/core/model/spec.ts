/**
 * ModelSpec: the layer stack as a plain JSON document. It crosses every boundary (UI, IPC, disk, CLI),
 * so it holds only data. Class names are Keras'; config keys are tf.js camelCase. The input shape is
 * not part of the spec: it comes from the dataset.
 */
export const MODEL_SPEC_VERSION = 1 as const;

export const ACTIVATIONS = [
  'linear',
  'relu',
  'relu6',
  'elu',
  'selu',
  'sigmoid',
  'hardSigmoid',
  'tanh',
  'softmax',
  'softplus',
  'softsign',
  'swish',
] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

export const INITIALIZERS = [
  'glorotUniform',
  'glorotNormal',
  'heUniform',
  'heNormal',
  'leCunUniform',
  'leCunNormal',
  'zeros',
  'ones',
  'randomUniform',
  'randomNormal',
  'truncatedNormal',
  'orthogonal',
] as const;
export type InitializerName = (typeof INITIALIZERS)[number];

/** L1/L2 penalty on a weight tensor; both zero (or absent) means none. */
export interface RegularizerSpec {
  l1?: number;
  l2?: number;
}

export type Padding = 'valid' | 'same';

export interface DenseConfig {
  units: number;
  activation?: ActivationName;
  useBias?: boolean;
  kernelInitializer?: InitializerName;
  biasInitializer?: InitializerName;
  kernelRegularizer?: RegularizerSpec;
  biasRegularizer?: RegularizerSpec;
}
export interface ActivationConfig {
  activation: ActivationName;
}
export interface DropoutConfig {
  rate: number;
  seed?: number;
}
export interface BatchNormalizationConfig {
  momentum?: number;
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
}
export interface LayerNormalizationConfig {
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
}
export type FlattenConfig = Record<string, never>;
export interface ReshapeConfig {
  targetShape: number[];
}
export interface ConvConfig {
  filters: number;
  kernelSize: number | number[];
  strides?: number | number[];
  padding?: Padding;
  activation?: ActivationName;
  useBias?: boolean;
  kernelInitializer?: InitializerName;
  biasInitializer?: InitializerName;
  kernelRegularizer?: RegularizerSpec;
  biasRegularizer?: RegularizerSpec;
}
export interface PoolingConfig {
  poolSize?: number | number[];
  strides?: number | number[];
  padding?: Padding;
}
export type GlobalPoolingConfig = Record<string, never>;
export interface RecurrentConfig {
  units: number;
  activation?: ActivationName;
  /** LSTM and GRU only. */
  recurrentActivation?: ActivationName;
  returnSequences?: boolean;
  useBias?: boolean;
  kernelInitializer?: InitializerName;
  recurrentInitializer?: InitializerName;
  biasInitializer?: InitializerName;
  kernelRegularizer?: RegularizerSpec;
  recurrentRegularizer?: RegularizerSpec;
  biasRegularizer?: RegularizerSpec;
  /** GRU only; LayerLab always uses tf.js' default (false), which matches ONNX linear_before_reset=0. */
  resetAfter?: boolean;
}

export interface LayerConfigs {
  Dense: DenseConfig;
  Activation: ActivationConfig;
  Dropout: DropoutConfig;
  BatchNormalization: BatchNormalizationConfig;
  LayerNormalization: LayerNormalizationConfig;
  Flatten: FlattenConfig;
  Reshape: ReshapeConfig;
  Conv1D: ConvConfig;
  Conv2D: ConvConfig;
  MaxPooling1D: PoolingConfig;
  MaxPooling2D: PoolingConfig;
  AveragePooling1D: PoolingConfig;
  AveragePooling2D: PoolingConfig;
  GlobalAveragePooling1D: GlobalPoolingConfig;
  GlobalAveragePooling2D: GlobalPoolingConfig;
  SimpleRNN: RecurrentConfig;
  LSTM: RecurrentConfig;
  GRU: RecurrentConfig;
}
export type LayerClassName = keyof LayerConfigs;

export const LAYER_CLASS_NAMES = [
  'Dense',
  'Activation',
  'Dropout',
  'BatchNormalization',
  'LayerNormalization',
  'Flatten',
  'Reshape',
  'Conv1D',
  'Conv2D',
  'MaxPooling1D',
  'MaxPooling2D',
  'AveragePooling1D',
  'AveragePooling2D',
  'GlobalAveragePooling1D',
  'GlobalAveragePooling2D',
  'SimpleRNN',
  'LSTM',
  'GRU',
] as const satisfies readonly LayerClassName[];

/** One layer: `id` is a stable handle for the editor (drag, select, undo); it never affects the model. */
export type LayerSpec = {
  [K in LayerClassName]: { className: K; config: LayerConfigs[K]; id?: string };
}[LayerClassName];

export interface ModelSpec {
  version: typeof MODEL_SPEC_VERSION;
  layers: LayerSpec[];
}
