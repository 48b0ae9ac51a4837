/**
 * Runtime validation of ModelSpec documents. A spec arrives from disk, the CLI, IPC or a half-finished
 * edit in the inspector, so every message names the layer (numbered from 1, as a person counts) and
 * says which value to change.
 */
import { z } from 'zod';
import { layerCountIssue } from './layer-count.js';
import {
  ACTIVATIONS,
  INITIALIZERS,
  LAYER_CLASS_NAMES,
  MODEL_SPEC_VERSION,
  type LayerClassName,
  type LayerConfigs,
  type LayerSpec,
  type ModelSpec,
} from './spec.js';

export type ValidationResult = { ok: true; spec: ModelSpec } | { ok: false; errors: string[] };
export type LayerValidationResult = { ok: true; layer: LayerSpec } | { ok: false; errors: string[] };
export type MigrationResult = { ok: true; value: unknown } | { ok: false; errors: string[] };

/** "layer 3 (Dense)": how every message refers to the layer at 0-based `index`. */
export function describeLayer(index: number, className?: string): string {
  return className ? `layer ${index + 1} (${className})` : `layer ${index + 1}`;
}

// ---- building blocks ------------------------------------------------------------------------------

const requiredOr = (message: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : message;

function wholeAtLeast(min: number) {
  const message = `must be a whole number >= ${min}`;
  return z
    .number({ error: requiredOr(message) })
    .int({ error: message })
    .min(min, { error: message });
}

/** A size given as one number (used for every axis) or as one number per axis. */
function sizePerAxis(axes: number) {
  const message =
    axes === 1
      ? 'must be a whole number >= 1 (or a list of one such number)'
      : `must be a whole number >= 1 or a list of ${axes} such numbers, e.g. [3, 3]`;
  const isSize = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1;
  // One check over both forms, so the message always explains both.
  return z.custom<number | number[]>((v) => isSize(v) || (Array.isArray(v) && v.length === axes && v.every(isSize)), {
    error: requiredOr(message),
  });
}

const activation = z.enum(ACTIVATIONS, { error: requiredOr(`must be one of ${ACTIVATIONS.join(', ')}`) });
const initializer = z.enum(INITIALIZERS, { error: `must be one of ${INITIALIZERS.join(', ')}` });
const padding = z.enum(['valid', 'same'], { error: "must be 'valid' or 'same'" });
const flag = z.boolean({ error: 'must be true or false' });
const penalty = z.number({ error: 'must be a number >= 0' }).min(0, { error: 'must be a number >= 0' });
const regularizer = z.strictObject(
  { l1: penalty.optional(), l2: penalty.optional() },
  {
    error: 'must be an object like { "l1": 0, "l2": 0.001 }',
  },
);
const positive = z.number({ error: 'must be a number > 0' }).positive({ error: 'must be a number > 0' });

const weightSettings = {
  useBias: flag.optional(),
  kernelInitializer: initializer.optional(),
  biasInitializer: initializer.optional(),
  kernelRegularizer: regularizer.optional(),
  biasRegularizer: regularizer.optional(),
};

function convConfig(axes: number) {
  return z.strictObject({
    filters: wholeAtLeast(1),
    kernelSize: sizePerAxis(axes),
    strides: sizePerAxis(axes).optional(),
    padding: padding.optional(),
    activation: activation.optional(),
    ...weightSettings,
  });
}

function poolingConfig(axes: number) {
  return z.strictObject({
    poolSize: sizePerAxis(axes).optional(),
    strides: sizePerAxis(axes).optional(),
    padding: padding.optional(),
  });
}

const recurrentBase = {
  units: wholeAtLeast(1),
  activation: activation.optional(),
  returnSequences: flag.optional(),
  useBias: flag.optional(),
  kernelInitializer: initializer.optional(),
  recurrentInitializer: initializer.optional(),
  biasInitializer: initializer.optional(),
  kernelRegularizer: regularizer.optional(),
  recurrentRegularizer: regularizer.optional(),
  biasRegularizer: regularizer.optional(),
};
const gatedRecurrent = { ...recurrentBase, recurrentActivation: activation.optional() };

const targetShapeMessage =
  'must be a list of whole numbers >= 1, with at most one -1 for "whatever is left", e.g. [8, 8, 1]';
const targetShape = z
  .array(
    z
      .number({ error: 'must be a whole number >= 1 or -1' })
      .int({ error: 'must be a whole number >= 1 or -1' })
      .refine((d) => d >= 1 || d === -1, { error: 'must be a whole number >= 1 or -1' }),
    { error: requiredOr(targetShapeMessage) },
  )
  .min(1, { error: targetShapeMessage })
  .refine((dims) => dims.filter((d) => d === -1).length <= 1, { error: 'may contain -1 only once' });

const empty = z.strictObject({});

/** One schema per layer class; their outputs are exactly the config interfaces of spec.ts. */
export const LAYER_CONFIG_SCHEMAS: { [K in LayerClassName]: z.ZodType<LayerConfigs[K]> } = {
  Dense: z.strictObject({ units: wholeAtLeast(1), activation: activation.optional(), ...weightSettings }),
  Activation: z.strictObject({ activation }),
  Dropout: z.strictObject({
    rate: z
      .number({ error: requiredOr('must be a number from 0 up to (not including) 1') })
      .min(0, { error: 'must be >= 0' })
      .lt(1, { error: 'must be below 1 (1 would drop every value)' }),
    seed: z.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).optional(),
  }),
  BatchNormalization: z.strictObject({
    momentum: z
      .number({ error: 'must be a number from 0 to 1' })
      .min(0, { error: 'must be >= 0' })
      .max(1, { error: 'must be <= 1' })
      .optional(),
    epsilon: positive.optional(),
    center: flag.optional(),
    scale: flag.optional(),
  }),
  LayerNormalization: z.strictObject({ epsilon: positive.optional(), center: flag.optional(), scale: flag.optional() }),
  Flatten: empty as z.ZodType<Record<string, never>>,
  Reshape: z.strictObject({ targetShape }),
  Conv1D: convConfig(1),
  Conv2D: convConfig(2),
  MaxPooling1D: poolingConfig(1),
  MaxPooling2D: poolingConfig(2),
  AveragePooling1D: poolingConfig(1),
  AveragePooling2D: poolingConfig(2),
  GlobalAveragePooling1D: empty as z.ZodType<Record<string, never>>,
  GlobalAveragePooling2D: empty as z.ZodType<Record<string, never>>,
  SimpleRNN: z.strictObject(recurrentBase),
  LSTM: z.strictObject(gatedRecurrent),
  GRU: z.strictObject({
    ...gatedRecurrent,
    // tf.js' GRU only implements reset_after=false (ONNX linear_before_reset=0).
    resetAfter: z
      .literal(false, { error: 'must be false: tf.js supports only the reset-before form of GRU' })
      .optional(),
  }),
};

const layerSchemas = LAYER_CLASS_NAMES.map((className) =>
  z.strictObject({
    className: z.literal(className),
    config: LAYER_CONFIG_SCHEMAS[className],
    id: z.string().optional(),
  }),
);

/** The whole document, for callers that want a zod schema (validateModelSpec gives better messages). */
export const layerSpecSchema = z.discriminatedUnion('className', layerSpecSchemasTuple());
export const modelSpecSchema = z.strictObject({
  version: z.literal(MODEL_SPEC_VERSION),
  layers: z.array(layerSpecSchema),
});

function layerSpecSchemasTuple() {
  return layerSchemas as unknown as [(typeof layerSchemas)[number], ...(typeof layerSchemas)[number][]];
}

// ---- messages ---------------------------------------------------------------------------------------

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`))
    .join('');
}

function formatIssue(issue: z.core.$ZodIssue, what: string): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `'${k}'`).join(', ');
    const owner = issue.path.length ? formatPath(issue.path) : what;
    const one = issue.keys.length === 1;
    return `${keys} ${one ? 'is not a' : 'are not'} ${owner} setting${one ? '' : 's'}: remove ${one ? 'it' : 'them'} or check the spelling`;
  }
  const path = formatPath(issue.path);
  return path ? `${path} ${issue.message}` : issue.message;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isLayerClassName(value: unknown): value is LayerClassName {
  return typeof value === 'string' && (LAYER_CLASS_NAMES as readonly string[]).includes(value);
}

/** Validates one layer object; `index` is its 0-based place in the stack (used in messages only). */
export function validateLayer(value: unknown, index: number): LayerValidationResult {
  if (!isRecord(value)) {
    return {
      ok: false,
      errors: [`${describeLayer(index)}: must be an object like { "className": "Dense", "config": { "units": 8 } }`],
    };
  }
  const { className, config, id, ...rest } = value;
  if (!isLayerClassName(className)) {
    const shown =
      className === undefined
        ? 'has no className'
        : `className ${JSON.stringify(className)} is not a layer LayerLab knows`;
    return { ok: false, errors: [`${describeLayer(index)}: ${shown}; use one of ${LAYER_CLASS_NAMES.join(', ')}`] };
  }
  const label = describeLayer(index, className);
  const errors: string[] = [];
  const extra = Object.keys(rest);
  if (extra.length)
    errors.push(
      `${label}: unknown field${extra.length > 1 ? 's' : ''} ${extra.map((k) => `'${k}'`).join(', ')}: a layer has only className, config and id`,
    );
  if (id !== undefined && typeof id !== 'string') errors.push(`${label}: id must be a string`);
  if (!isRecord(config)) {
    errors.push(`${label}: config must be an object (use {} for no settings)`);
    return { ok: false, errors };
  }
  const parsed = LAYER_CONFIG_SCHEMAS[className].safeParse(config);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors.push(`${label}: ${formatIssue(issue, className)}`);
  }
  if (errors.length || !parsed.success) return { ok: false, errors };
  const layer = { className, config: parsed.data, ...(id === undefined ? {} : { id }) } as LayerSpec;
  return { ok: true, layer };
}

// ---- versions -----------------------------------------------------------------------------------------

/** Steps that turn version N into N+1. Empty while version 1 is the only one. */
const MIGRATIONS: Record<number, (spec: Record<string, unknown>) => Record<string, unknown>> = {};

/** Brings an older ModelSpec document up to MODEL_SPEC_VERSION; refuses documents from a newer LayerLab. */
export function migrateModelSpec(value: unknown): MigrationResult {
  if (!isRecord(value)) {
    return { ok: false, errors: ['A model spec must be an object like { "version": 1, "layers": [...] }'] };
  }
  const version = value.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return {
      ok: false,
      errors: [
        `The model spec has ${version === undefined ? 'no version' : `version ${JSON.stringify(version)}`}; set "version": ${MODEL_SPEC_VERSION}`,
      ],
    };
  }
  if (version > MODEL_SPEC_VERSION) {
    return {
      ok: false,
      errors: [
        `This model spec is version ${version}, made by a newer LayerLab; this one reads up to version ${MODEL_SPEC_VERSION}: update LayerLab to open it`,
      ],
    };
  }
  let current = value;
  for (let v = version; v < MODEL_SPEC_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) return { ok: false, errors: [`No way to upgrade a model spec from version ${v}`] };
    current = { ...step(current), version: v + 1 };
  }
  return { ok: true, value: current };
}

/** Migrates, then checks every layer; collects all problems rather than stopping at the first. */
export function validateModelSpec(value: unknown): ValidationResult {
  const migrated = migrateModelSpec(value);
  if (!migrated.ok) return migrated;
  const doc = migrated.value as Record<string, unknown>;
  const errors: string[] = [];
  const extra = Object.keys(doc).filter((k) => k !== 'version' && k !== 'layers');
  if (extra.length)
    errors.push(
      `The model spec has unknown field${extra.length > 1 ? 's' : ''} ${extra.map((k) => `'${k}'`).join(', ')}: it has only version and layers`,
    );
  if (!Array.isArray(doc.layers)) {
    errors.push('The model spec needs "layers": a list of layers (it may be empty while you build it)');
    return { ok: false, errors };
  }
  const tooMany = layerCountIssue(doc.layers.length);
  if (tooMany) return { ok: false, errors: [...errors, tooMany] };
  const layers: LayerSpec[] = [];
  doc.layers.forEach((raw, index) => {
    const result = validateLayer(raw, index);
    if (result.ok) layers.push(result.layer);
    else errors.push(...result.errors);
  });
  if (errors.length) return { ok: false, errors };
  return { ok: true, spec: { version: MODEL_SPEC_VERSION, layers } };
}
