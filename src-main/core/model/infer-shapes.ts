/**
 * Shape inference for a layer stack, without tf.js: the editor calls it on every keystroke, in the
 * renderer. Output sizes and parameter counts follow tf.js exactly (the tests build the same stacks in
 * tf.js and compare). Shapes never include the batch dimension.
 */
import { describeLayer, validateLayer } from './schema.js';
import type { ConvConfig, LayerClassName, LayerSpec, ModelSpec, PoolingConfig, RecurrentConfig } from './spec.js';

export interface LayerShape {
  index: number;
  className: LayerClassName;
  inputShape: number[];
  outputShape: number[];
  params: number;
  trainableParams: number;
}

/** A one-click repair the editor can offer; apply it with applyShapeFix. */
export interface ShapeFix {
  description: string;
  /** Where `layer` goes; the layers from there on move down one place. */
  insertAt: number;
  /** When set, the layer at this index is swapped for `layer` instead (insertAt then equals it). */
  replaceAt?: number;
  layer: LayerSpec;
}

export interface ShapeIssue {
  /** 0-based index of the layer at fault; -1 when the dataset's shape itself is unusable. */
  layerIndex: number;
  message: string;
  fix?: ShapeFix;
}

export interface ShapeReport {
  ok: boolean;
  /** Every layer up to (not including) the failing one; all layers when ok. */
  layers: LayerShape[];
  issue?: ShapeIssue;
  outputShape: number[] | null;
  totalParams: number;
  trainableParams: number;
}

/** "[8, 8, 1]": how shapes appear inside messages. */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

const product = (values: readonly number[]): number => values.reduce((a, b) => a * b, 1);

type StepResult =
  | { ok: true; outputShape: number[]; params: number; trainableParams: number }
  | { ok: false; message: string; fix?: ShapeFix };

interface StepContext {
  index: number;
  /** "the dataset gives" or "Dense (layer 2) gives": who produced the input. */
  source: string;
}

const pass = (outputShape: number[], params = 0, trainableParams = params): StepResult => ({
  ok: true,
  outputShape,
  params,
  trainableParams,
});

function who(layer: { className: string }, index: number): string {
  return `${layer.className} (layer ${index + 1})`;
}

function perAxis(value: number | number[] | undefined, axes: number, fallback: number[]): number[] {
  if (value === undefined) return fallback;
  return typeof value === 'number' ? Array(axes).fill(value) : value;
}

/** tf.js' conv_utils.convOutputLength without dilation. */
function windowOutputLength(length: number, window: number, padding: 'valid' | 'same', stride: number): number {
  const covered = padding === 'same' ? length : length - window + 1;
  return Math.floor((covered + stride - 1) / stride);
}

const sizeText = (sizes: readonly number[]) => sizes.join(' × ');
/** "its 3 × 3 input" for images, "its input length 3" for sequences. */
const itsInput = (spatial: readonly number[]) =>
  spatial.length === 1 ? `its input length ${spatial[0]}` : `its ${sizeText(spatial)} input`;

// ---- rank mismatches ---------------------------------------------------------------------------------

const RANK_EXAMPLES: Record<2 | 3, string> = {
  2: '[64, 1] (steps, channels)',
  3: '[8, 8, 1] (height, width, channels)',
};

function reshapeFix(layer: LayerSpec, ctx: StepContext, targetShape: number[]): ShapeFix {
  return {
    description: `Insert Reshape to ${shapeText(targetShape)} before ${describeLayer(ctx.index, layer.className)}`,
    insertAt: ctx.index,
    layer: { className: 'Reshape', config: { targetShape } },
  };
}

/** A reshape target of rank `wanted` holding the same values as `shape`, when one is obvious. */
function suggestReshape(shape: number[], wanted: 2 | 3): number[] | undefined {
  if (wanted === 2) {
    if (shape.length === 1) return [shape[0]!, 1];
    // Image rows become time steps: the usual way to read an image as a sequence.
    if (shape.length === 3) return [shape[0]!, shape[1]! * shape[2]!];
    return undefined;
  }
  if (shape.length === 1) {
    const side = Math.round(Math.sqrt(shape[0]!));
    return side * side === shape[0] ? [side, side, 1] : undefined;
  }
  if (shape.length === 2) return [shape[0]!, shape[1]!, 1];
  return undefined;
}

function wrongRank(layer: LayerSpec, ctx: StepContext, shape: number[], wanted: 2 | 3): StepResult {
  const target = suggestReshape(shape, wanted);
  const example = target
    ? `${shapeText(target)} (${wanted === 2 ? 'steps, channels' : 'height, width, channels'})`
    : RANK_EXAMPLES[wanted];
  const advice = target
    ? 'add a Reshape before it'
    : `add a Reshape before it to a ${wanted}-D shape whose sizes multiply to ${product(shape)}`;
  return {
    ok: false,
    message: `${who(layer, ctx.index)} needs a ${wanted}-D input such as ${example}; ${ctx.source} ${shapeText(shape)}: ${advice}`,
    ...(target ? { fix: reshapeFix(layer, ctx, target) } : {}),
  };
}

function samePaddingFix(layer: LayerSpec, ctx: StepContext): ShapeFix {
  const config = { ...(layer.config as ConvConfig | PoolingConfig), padding: 'same' as const };
  return {
    description: `Set padding of ${describeLayer(ctx.index, layer.className)} to 'same'`,
    insertAt: ctx.index,
    replaceAt: ctx.index,
    layer: { ...layer, config } as LayerSpec,
  };
}

// ---- one function per kind of layer ------------------------------------------------------------------------

function conv(layer: LayerSpec & { config: ConvConfig }, ctx: StepContext, shape: number[], axes: 1 | 2): StepResult {
  if (shape.length !== axes + 1) return wrongRank(layer, ctx, shape, (axes + 1) as 2 | 3);
  const { config } = layer;
  const spatial = shape.slice(0, axes);
  const channels = shape[axes]!;
  const kernel = perAxis(config.kernelSize, axes, []);
  const strides = perAxis(config.strides, axes, Array(axes).fill(1));
  const padding = config.padding ?? 'valid';
  if (padding === 'valid' && kernel.some((k, i) => k > spatial[i]!)) {
    return {
      ok: false,
      message: `${who(layer, ctx.index)} kernel ${sizeText(kernel)} does not fit ${itsInput(spatial)} with padding 'valid': set padding to 'same' or use a smaller kernel`,
      fix: samePaddingFix(layer, ctx),
    };
  }
  const out = spatial.map((len, i) => windowOutputLength(len, kernel[i]!, padding, strides[i]!));
  const params = product(kernel) * channels * config.filters + (config.useBias === false ? 0 : config.filters);
  return pass([...out, config.filters], params);
}

function pooling(
  layer: LayerSpec & { config: PoolingConfig },
  ctx: StepContext,
  shape: number[],
  axes: 1 | 2,
): StepResult {
  if (shape.length !== axes + 1) return wrongRank(layer, ctx, shape, (axes + 1) as 2 | 3);
  const { config } = layer;
  const spatial = shape.slice(0, axes);
  const pool = perAxis(config.poolSize, axes, Array(axes).fill(2));
  const strides = perAxis(config.strides, axes, pool);
  const padding = config.padding ?? 'valid';
  if (padding === 'valid' && pool.some((p, i) => p > spatial[i]!)) {
    return {
      ok: false,
      message: `${who(layer, ctx.index)} pool ${sizeText(pool)} is bigger than ${itsInput(spatial)}: use a smaller pool size or set padding to 'same'`,
      fix: samePaddingFix(layer, ctx),
    };
  }
  const out = spatial.map((len, i) => windowOutputLength(len, pool[i]!, padding, strides[i]!));
  return pass([...out, shape[axes]!]);
}

const RECURRENT_GATES = { SimpleRNN: 1, GRU: 3, LSTM: 4 } as const;

function recurrent(layer: LayerSpec & { config: RecurrentConfig }, ctx: StepContext, shape: number[]): StepResult {
  if (shape.length !== 2) return wrongRank(layer, ctx, shape, 2);
  const { units, useBias, returnSequences } = layer.config;
  const steps = shape[0]!;
  const features = shape[1]!;
  const gates = RECURRENT_GATES[layer.className as keyof typeof RECURRENT_GATES];
  const params = gates * (units * (features + units) + (useBias === false ? 0 : units));
  return pass(returnSequences ? [steps, units] : [units], params);
}

function reshape(layer: LayerSpec & { className: 'Reshape' }, ctx: StepContext, shape: number[]): StepResult {
  const target = layer.config.targetShape;
  const have = product(shape);
  const known = product(target.filter((d) => d !== -1));
  const wildcard = target.indexOf(-1);
  if (wildcard >= 0) {
    if (have % known !== 0) {
      return {
        ok: false,
        message: `${who(layer, ctx.index)} to ${shapeText(target)}: its input ${shapeText(shape)} has ${have} values, which do not divide into groups of ${known}: change targetShape`,
      };
    }
    const resolved = [...target];
    resolved[wildcard] = have / known;
    return pass(resolved);
  }
  if (known !== have) {
    return {
      ok: false,
      message: `${who(layer, ctx.index)} to ${shapeText(target)} needs ${known} values but its input ${shapeText(shape)} has ${have}: change targetShape so its sizes multiply to ${have}`,
    };
  }
  return pass([...target]);
}

function globalPooling(layer: LayerSpec, ctx: StepContext, shape: number[], axes: 1 | 2): StepResult {
  if (shape.length !== axes + 1) return wrongRank(layer, ctx, shape, (axes + 1) as 2 | 3);
  return pass([shape[axes]!]);
}

function inferLayer(layer: LayerSpec, ctx: StepContext, shape: number[]): StepResult {
  const last = shape[shape.length - 1]!;
  switch (layer.className) {
    case 'Dense': {
      // tf.js applies Dense to the last axis of any input; the task check catches a non-flat output.
      const { units, useBias } = layer.config;
      return pass([...shape.slice(0, -1), units], last * units + (useBias === false ? 0 : units));
    }
    case 'Activation':
    case 'Dropout':
      return pass([...shape]);
    case 'BatchNormalization': {
      const trainable = (layer.config.center === false ? 0 : last) + (layer.config.scale === false ? 0 : last);
      // The moving mean and variance are weights too, but never trained.
      return pass([...shape], trainable + 2 * last, trainable);
    }
    case 'LayerNormalization':
      return pass([...shape], (layer.config.center === false ? 0 : last) + (layer.config.scale === false ? 0 : last));
    case 'Flatten':
      // Already flat: tf.js would refuse the layer, but it changes nothing, so it is harmless here.
      return pass([product(shape)]);
    case 'Reshape':
      return reshape(layer, ctx, shape);
    case 'Conv1D':
      return conv(layer, ctx, shape, 1);
    case 'Conv2D':
      return conv(layer, ctx, shape, 2);
    case 'MaxPooling1D':
    case 'AveragePooling1D':
      return pooling(layer, ctx, shape, 1);
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      return pooling(layer, ctx, shape, 2);
    case 'GlobalAveragePooling1D':
      return globalPooling(layer, ctx, shape, 1);
    case 'GlobalAveragePooling2D':
      return globalPooling(layer, ctx, shape, 2);
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU':
      return recurrent(layer, ctx, shape);
  }
}

function failed(layers: LayerShape[], issue: ShapeIssue): ShapeReport {
  const totalParams = layers.reduce((sum, l) => sum + l.params, 0);
  const trainableParams = layers.reduce((sum, l) => sum + l.trainableParams, 0);
  return { ok: false, layers, issue, outputShape: null, totalParams, trainableParams };
}

/** Follows the data through the stack; stops at the first layer that cannot take what it is given. */
export function inferShapes(inputShape: number[], spec: ModelSpec): ShapeReport {
  if (
    !Array.isArray(inputShape) ||
    inputShape.length === 0 ||
    !inputShape.every((d) => Number.isInteger(d) && d >= 1)
  ) {
    return failed([], {
      layerIndex: -1,
      message: `The dataset's input shape ${Array.isArray(inputShape) ? shapeText(inputShape) : String(inputShape)} is not usable: every size must be a whole number >= 1; check the feature columns`,
    });
  }
  const raw: unknown[] = Array.isArray(spec?.layers) ? spec.layers : [];
  if (raw.length === 0) {
    return failed([], { layerIndex: 0, message: 'The model has no layers yet: add at least an output layer (Dense)' });
  }
  const layers: LayerShape[] = [];
  let shape = [...inputShape];
  for (let index = 0; index < raw.length; index++) {
    const checked = validateLayer(raw[index], index);
    if (!checked.ok) return failed(layers, { layerIndex: index, message: checked.errors.join('; ') });
    const layer = checked.layer;
    const source = index === 0 ? 'the dataset gives' : `${who(layers[index - 1]!, index - 1)} gives`;
    const step = inferLayer(layer, { index, source }, shape);
    if (!step.ok)
      return failed(layers, { layerIndex: index, message: step.message, ...(step.fix ? { fix: step.fix } : {}) });
    layers.push({
      index,
      className: layer.className,
      inputShape: shape,
      outputShape: step.outputShape,
      params: step.params,
      trainableParams: step.trainableParams,
    });
    shape = step.outputShape;
  }
  return {
    ok: true,
    layers,
    outputShape: shape,
    totalParams: layers.reduce((sum, l) => sum + l.params, 0),
    trainableParams: layers.reduce((sum, l) => sum + l.trainableParams, 0),
  };
}

/** The spec with `fix` applied (a new object; the input is not changed). */
export function applyShapeFix(spec: ModelSpec, fix: ShapeFix): ModelSpec {
  const layers = [...spec.layers];
  if (fix.replaceAt !== undefined) {
    const previousId = layers[fix.replaceAt]?.id;
    const replacement =
      previousId !== undefined && fix.layer.id === undefined ? { ...fix.layer, id: previousId } : fix.layer;
    layers.splice(fix.replaceAt, 1, replacement as LayerSpec);
  } else {
    layers.splice(fix.insertAt, 0, fix.layer);
  }
  return { ...spec, layers };
}
