/**
 * What the palette and the inspector know about each layer class: where it sits, what it does in one
 * sentence, a config that works when dropped in, and how to edit each setting. Defaults shown for
 * absent settings are tf.js' own, so the inspector never shows a value the trainer would not use.
 */
import {
  ACTIVATIONS,
  INITIALIZERS,
  type ActivationName,
  type LayerClassName,
  type LayerConfigs,
  type LayerSpec,
} from './spec.js';

export type LayerGroup =
  'Core' | 'Convolution' | 'Pooling' | 'Recurrent' | 'Normalization' | 'Regularization' | 'Activation';

export const LAYER_GROUPS: readonly LayerGroup[] = [
  'Core',
  'Convolution',
  'Pooling',
  'Recurrent',
  'Normalization',
  'Regularization',
  'Activation',
];

export type FieldKind = 'int' | 'float' | 'bool' | 'select' | 'intList' | 'activation' | 'initializer' | 'regularizer';

export interface FieldOption {
  value: string;
  label: string;
}

export interface FieldDescriptor {
  key: string;
  label: string;
  kind: FieldKind;
  help: string;
  min?: number;
  max?: number;
  step?: number;
  options?: readonly FieldOption[];
  /** intList only: how many numbers (absent = any count). A single number is also accepted for every axis. */
  length?: number;
  /** The value tf.js uses when the setting is absent; absent here means "required" or "derived" (see help). */
  default?: unknown;
  /** Rarely changed; the inspector may fold it away. */
  advanced?: boolean;
}

export interface LayerInfo<K extends LayerClassName = LayerClassName> {
  className: K;
  group: LayerGroup;
  label: string;
  description: string;
  defaultConfig: LayerConfigs[K];
  fields: readonly FieldDescriptor[];
}

// ---- shared field descriptors -------------------------------------------------------------------------

const activationField = (help: string, fallback: ActivationName = 'linear'): FieldDescriptor => ({
  key: 'activation',
  label: 'Activation',
  kind: 'activation',
  default: fallback,
  help,
});
const useBiasField: FieldDescriptor = {
  key: 'useBias',
  label: 'Use bias',
  kind: 'bool',
  default: true,
  advanced: true,
  help: 'Adds a learned offset to each output. Almost always on.',
};
const weightFields = (kernelWhat: string): FieldDescriptor[] => [
  useBiasField,
  {
    key: 'kernelInitializer',
    label: 'Weight initializer',
    kind: 'initializer',
    default: 'glorotUniform',
    advanced: true,
    help: `How the ${kernelWhat} start before training.`,
  },
  {
    key: 'biasInitializer',
    label: 'Bias initializer',
    kind: 'initializer',
    default: 'zeros',
    advanced: true,
    help: 'How the biases start before training.',
  },
  {
    key: 'kernelRegularizer',
    label: 'Weight penalty',
    kind: 'regularizer',
    advanced: true,
    help: 'L1/L2 penalty on the weights; pushes them to stay small, which can reduce overfitting.',
  },
  {
    key: 'biasRegularizer',
    label: 'Bias penalty',
    kind: 'regularizer',
    advanced: true,
    help: 'L1/L2 penalty on the biases; rarely needed.',
  },
];
const paddingField: FieldDescriptor = {
  key: 'padding',
  label: 'Padding',
  kind: 'select',
  default: 'valid',
  options: [
    { value: 'valid', label: 'valid (no padding, output shrinks)' },
    { value: 'same', label: 'same (pad edges, output = input / stride)' },
  ],
  help: "'valid' only places the window where it fits, so the output shrinks; 'same' pads the edges with zeros.",
};

function convFields(axes: 1 | 2): FieldDescriptor[] {
  const size = axes === 1 ? { kind: 'int' as const } : { kind: 'intList' as const, length: 2 };
  return [
    {
      key: 'filters',
      label: 'Filters',
      kind: 'int',
      min: 1,
      step: 1,
      help: 'How many different patterns the layer learns to detect; each one gives an output channel.',
    },
    {
      key: 'kernelSize',
      label: 'Kernel size',
      ...size,
      min: 1,
      step: 1,
      help:
        axes === 1
          ? 'Length of the window slid along the sequence.'
          : 'Height and width of the window slid over the image.',
    },
    {
      key: 'strides',
      label: 'Strides',
      ...size,
      min: 1,
      step: 1,
      default: axes === 1 ? 1 : [1, 1],
      help: 'How far the window moves each step; 2 halves the output size.',
    },
    paddingField,
    activationField('Applied to each output value; relu is a good start.'),
    ...weightFields('filter weights'),
  ];
}

function poolingFields(axes: 1 | 2, what: 'largest' | 'average'): FieldDescriptor[] {
  const size = axes === 1 ? { kind: 'int' as const } : { kind: 'intList' as const, length: 2 };
  return [
    {
      key: 'poolSize',
      label: 'Pool size',
      ...size,
      min: 1,
      step: 1,
      default: axes === 1 ? 2 : [2, 2],
      help: `Size of the window whose ${what} value is kept.`,
    },
    {
      key: 'strides',
      label: 'Strides',
      ...size,
      min: 1,
      step: 1,
      help: 'How far the window moves each step; when empty it equals the pool size (windows do not overlap).',
    },
    paddingField,
  ];
}

function recurrentFields(gated: boolean): FieldDescriptor[] {
  const fields: FieldDescriptor[] = [
    {
      key: 'units',
      label: 'Units',
      kind: 'int',
      min: 1,
      step: 1,
      help: 'Size of the memory carried from one step to the next, and of the output.',
    },
    activationField('Squashes the new memory; tanh is standard.', 'tanh'),
  ];
  if (gated) {
    fields.push({
      key: 'recurrentActivation',
      label: 'Gate activation',
      kind: 'activation',
      default: 'sigmoid',
      advanced: true,
      help: 'Used by the gates that decide what to keep and what to forget.',
    });
  }
  fields.push(
    {
      key: 'returnSequences',
      label: 'Return sequences',
      kind: 'bool',
      default: false,
      help: 'On: output every step (needed before another recurrent layer). Off: output only the last step.',
    },
    useBiasField,
    {
      key: 'kernelInitializer',
      label: 'Input weight initializer',
      kind: 'initializer',
      default: 'glorotUniform',
      advanced: true,
      help: 'How the weights on the inputs start before training.',
    },
    {
      key: 'recurrentInitializer',
      label: 'Recurrent weight initializer',
      kind: 'initializer',
      default: 'orthogonal',
      advanced: true,
      help: 'How the weights from one step to the next start before training.',
    },
    {
      key: 'biasInitializer',
      label: 'Bias initializer',
      kind: 'initializer',
      default: 'zeros',
      advanced: true,
      help: 'How the biases start before training.',
    },
    {
      key: 'kernelRegularizer',
      label: 'Input weight penalty',
      kind: 'regularizer',
      advanced: true,
      help: 'L1/L2 penalty on the input weights.',
    },
    {
      key: 'recurrentRegularizer',
      label: 'Recurrent weight penalty',
      kind: 'regularizer',
      advanced: true,
      help: 'L1/L2 penalty on the step-to-step weights.',
    },
    {
      key: 'biasRegularizer',
      label: 'Bias penalty',
      kind: 'regularizer',
      advanced: true,
      help: 'L1/L2 penalty on the biases; rarely needed.',
    },
  );
  return fields;
}

const normalizationFields = (withMomentum: boolean): FieldDescriptor[] => [
  ...(withMomentum
    ? [
        {
          key: 'momentum',
          label: 'Momentum',
          kind: 'float' as const,
          min: 0,
          max: 1,
          step: 0.01,
          default: 0.99,
          advanced: true,
          help: 'How slowly the running mean and variance (used at prediction time) follow each batch.',
        },
      ]
    : []),
  {
    key: 'epsilon',
    label: 'Epsilon',
    kind: 'float',
    min: 1e-7,
    step: 0.001,
    default: 0.001,
    advanced: true,
    help: 'Small number added to the variance so the layer never divides by zero.',
  },
  {
    key: 'center',
    label: 'Learn offset (beta)',
    kind: 'bool',
    default: true,
    advanced: true,
    help: 'Learn a shift added after normalising.',
  },
  {
    key: 'scale',
    label: 'Learn scale (gamma)',
    kind: 'bool',
    default: true,
    advanced: true,
    help: 'Learn a factor multiplied after normalising.',
  },
];

// ---- the catalogue ----------------------------------------------------------------------------------------

export const LAYER_CATALOG: { readonly [K in LayerClassName]: LayerInfo<K> } = {
  Dense: {
    className: 'Dense',
    group: 'Core',
    label: 'Dense',
    description: 'Every output is a weighted sum of all inputs plus a bias: the basic building block.',
    defaultConfig: { units: 32, activation: 'relu' },
    fields: [
      {
        key: 'units',
        label: 'Units',
        kind: 'int',
        min: 1,
        step: 1,
        help: 'Number of outputs (neurons). The last layer needs one per class, or 1 for a number.',
      },
      activationField('Applied to each output; relu inside the network, softmax/sigmoid/linear at the end.'),
      ...weightFields('weights'),
    ],
  },
  Activation: {
    className: 'Activation',
    group: 'Activation',
    label: 'Activation',
    description: 'Applies a function such as relu or softmax to every value; learns nothing.',
    defaultConfig: { activation: 'relu' },
    fields: [{ key: 'activation', label: 'Function', kind: 'activation', help: 'The function applied to each value.' }],
  },
  Dropout: {
    className: 'Dropout',
    group: 'Regularization',
    label: 'Dropout',
    description:
      'While training, randomly zeroes a share of the values so the network cannot rely on any one; off at prediction time.',
    defaultConfig: { rate: 0.2 },
    fields: [
      {
        key: 'rate',
        label: 'Rate',
        kind: 'float',
        min: 0,
        max: 0.95,
        step: 0.05,
        help: 'Share of values dropped in each training step, e.g. 0.2 = 20%.',
      },
      {
        key: 'seed',
        label: 'Seed',
        kind: 'int',
        step: 1,
        advanced: true,
        help: 'Fixes the random choice of dropped values, for repeatable runs.',
      },
    ],
  },
  BatchNormalization: {
    className: 'BatchNormalization',
    group: 'Normalization',
    label: 'Batch normalization',
    description:
      'Rescales each feature to mean 0 and spread 1 across the batch, which often makes training faster and steadier.',
    defaultConfig: {},
    fields: normalizationFields(true),
  },
  LayerNormalization: {
    className: 'LayerNormalization',
    group: 'Normalization',
    label: 'Layer normalization',
    description: 'Rescales the values of each sample to mean 0 and spread 1; does not depend on the batch.',
    defaultConfig: {},
    fields: normalizationFields(false),
  },
  Flatten: {
    className: 'Flatten',
    group: 'Core',
    label: 'Flatten',
    description:
      'Lays a grid of values out as one long list, e.g. [6, 6, 16] becomes [576]; needed before Dense at the end.',
    defaultConfig: {},
    fields: [],
  },
  Reshape: {
    className: 'Reshape',
    group: 'Core',
    label: 'Reshape',
    description: 'Rearranges the same values into a new shape, e.g. 64 numbers into an 8 × 8 × 1 image.',
    defaultConfig: { targetShape: [-1, 1] },
    fields: [
      {
        key: 'targetShape',
        label: 'Target shape',
        kind: 'intList',
        min: -1,
        step: 1,
        help: 'The new shape without the batch size. Its sizes must multiply to the input size; one -1 means "whatever is left".',
      },
    ],
  },
  Conv1D: {
    className: 'Conv1D',
    group: 'Convolution',
    label: 'Conv 1D',
    description: 'Slides small learned filters along a sequence to find local patterns wherever they occur.',
    defaultConfig: { filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' },
    fields: convFields(1),
  },
  Conv2D: {
    className: 'Conv2D',
    group: 'Convolution',
    label: 'Conv 2D',
    description: 'Slides small learned filters over an image to find local patterns such as edges and corners.',
    defaultConfig: { filters: 16, kernelSize: [3, 3], padding: 'same', activation: 'relu' },
    fields: convFields(2),
  },
  MaxPooling1D: {
    className: 'MaxPooling1D',
    group: 'Pooling',
    label: 'Max pooling 1D',
    description: 'Shrinks a sequence by keeping only the largest value in each window.',
    defaultConfig: { poolSize: 2 },
    fields: poolingFields(1, 'largest'),
  },
  MaxPooling2D: {
    className: 'MaxPooling2D',
    group: 'Pooling',
    label: 'Max pooling 2D',
    description: 'Shrinks an image by keeping only the largest value in each window.',
    defaultConfig: { poolSize: [2, 2] },
    fields: poolingFields(2, 'largest'),
  },
  AveragePooling1D: {
    className: 'AveragePooling1D',
    group: 'Pooling',
    label: 'Average pooling 1D',
    description: 'Shrinks a sequence by averaging the values in each window.',
    defaultConfig: { poolSize: 2 },
    fields: poolingFields(1, 'average'),
  },
  AveragePooling2D: {
    className: 'AveragePooling2D',
    group: 'Pooling',
    label: 'Average pooling 2D',
    description: 'Shrinks an image by averaging the values in each window.',
    defaultConfig: { poolSize: [2, 2] },
    fields: poolingFields(2, 'average'),
  },
  GlobalAveragePooling1D: {
    className: 'GlobalAveragePooling1D',
    group: 'Pooling',
    label: 'Global average pooling 1D',
    description: 'Averages each channel over the whole sequence, leaving one number per channel.',
    defaultConfig: {},
    fields: [],
  },
  GlobalAveragePooling2D: {
    className: 'GlobalAveragePooling2D',
    group: 'Pooling',
    label: 'Global average pooling 2D',
    description: 'Averages each channel over the whole image, leaving one number per channel.',
    defaultConfig: {},
    fields: [],
  },
  SimpleRNN: {
    className: 'SimpleRNN',
    group: 'Recurrent',
    label: 'Simple RNN',
    description: 'Reads a sequence step by step, carrying a memory forward; simple but forgets quickly.',
    defaultConfig: { units: 32 },
    fields: recurrentFields(false),
  },
  LSTM: {
    className: 'LSTM',
    group: 'Recurrent',
    label: 'LSTM',
    description:
      'Reads a sequence step by step with gates that decide what to remember, so it keeps information longer.',
    defaultConfig: { units: 32 },
    fields: recurrentFields(true),
  },
  GRU: {
    className: 'GRU',
    group: 'Recurrent',
    label: 'GRU',
    description: 'Like LSTM, with fewer gates: a little smaller and often just as good.',
    defaultConfig: { units: 32 },
    fields: recurrentFields(true),
  },
};

/** The catalogue in palette order, grouped. */
export function catalogByGroup(): { group: LayerGroup; layers: LayerInfo[] }[] {
  const all = Object.values(LAYER_CATALOG) as LayerInfo[];
  return LAYER_GROUPS.map((group) => ({ group, layers: all.filter((info) => info.group === group) })).filter(
    (entry) => entry.layers.length > 0,
  );
}

/** A fresh layer of the given class with its catalogue defaults (a deep copy: safe to edit). */
export function createLayer<K extends LayerClassName>(className: K, id?: string): LayerSpec {
  const config = JSON.parse(JSON.stringify(LAYER_CATALOG[className].defaultConfig)) as LayerConfigs[K];
  return { className, config, ...(id === undefined ? {} : { id }) } as LayerSpec;
}

export const INITIALIZER_OPTIONS: readonly FieldOption[] = INITIALIZERS.map((value) => ({ value, label: value }));

// ---- activations --------------------------------------------------------------------------------------------

export interface ActivationInfo {
  label: string;
  /** Plain-text formula, unicode allowed. */
  formula: string;
  description: string;
  /** For plotting a curve; matches tf.js element-wise (softmax: see its description). */
  fn: (x: number) => number;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
// tf.js' SELU constants (alpha and scale from Klambauer et al.).
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

export const ACTIVATION_INFO: { readonly [A in ActivationName]: ActivationInfo } = {
  linear: {
    label: 'linear',
    formula: 'x',
    description: 'Passes values through unchanged. Use it on the last layer when predicting a number.',
    fn: (x) => x,
  },
  relu: {
    label: 'ReLU',
    formula: 'max(0, x)',
    description: 'Keeps positive values, turns negatives into 0. Fast and the usual choice inside a network.',
    fn: (x) => Math.max(0, x),
  },
  relu6: {
    label: 'ReLU6',
    formula: 'min(max(0, x), 6)',
    description: 'ReLU capped at 6, so outputs stay in [0, 6].',
    fn: (x) => Math.min(Math.max(0, x), 6),
  },
  elu: {
    label: 'ELU',
    formula: 'x if x > 0, else eˣ − 1',
    description: 'Like ReLU for positive values, but negatives curve smoothly down to −1 instead of stopping at 0.',
    fn: (x) => (x > 0 ? x : Math.expm1(x)),
  },
  selu: {
    label: 'SELU',
    formula: '1.0507 · (x if x > 0, else 1.6733 · (eˣ − 1))',
    description:
      'A scaled ELU whose constants keep values near mean 0 and spread 1 through deep stacks of Dense layers.',
    fn: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
  },
  sigmoid: {
    label: 'sigmoid',
    formula: '1 / (1 + e⁻ˣ)',
    description: 'Squashes any value into (0, 1). Use it on a 1-unit last layer for yes/no (binary) tasks.',
    fn: sigmoid,
  },
  hardSigmoid: {
    label: 'hard sigmoid',
    formula: 'clip(0.2 · x + 0.5, 0, 1)',
    description: 'A cheap straight-line version of sigmoid: 0 below −2.5, 1 above 2.5, a straight ramp between.',
    fn: (x) => Math.min(Math.max(0.2 * x + 0.5, 0), 1),
  },
  tanh: {
    label: 'tanh',
    formula: '(eˣ − e⁻ˣ) / (eˣ + e⁻ˣ)',
    description: 'Squashes any value into (−1, 1), centred on 0. Standard inside recurrent layers.',
    fn: Math.tanh,
  },
  softmax: {
    label: 'softmax',
    formula: 'eˣⁱ / Σⱼ eˣʲ',
    description:
      'Works on the whole output vector, not value by value: turns the outputs into probabilities that add up to 1. ' +
      'Use it on the last layer for multi-class tasks. The curve shows the two-class case: the first output when the other is 0, eˣ / (eˣ + 1).',
    fn: sigmoid,
  },
  softplus: {
    label: 'softplus',
    formula: 'ln(1 + eˣ)',
    description: 'A smooth version of ReLU: always positive, close to x for large x.',
    fn: (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))),
  },
  softsign: {
    label: 'softsign',
    formula: 'x / (1 + |x|)',
    description: 'Squashes values into (−1, 1) like tanh, but approaches the limits more slowly.',
    fn: (x) => x / (1 + Math.abs(x)),
  },
  swish: {
    label: 'swish',
    formula: 'x · sigmoid(x)',
    description:
      'A smooth curve like ReLU that dips slightly below 0 for small negative values; sometimes trains better than ReLU.',
    fn: (x) => x * sigmoid(x),
  },
};

export const ACTIVATION_OPTIONS: readonly FieldOption[] = ACTIVATIONS.map((value) => ({
  value,
  label: ACTIVATION_INFO[value].label,
}));
