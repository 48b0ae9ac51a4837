/**
 * Turning what a person types into inspector fields into config values, and back. A value that does
 * not parse, or that the layer schema refuses, is reported next to the field and never reaches the
 * stack, so the model is always made of valid layers.
 */
import type { FieldDescriptor } from '$core/model/catalog.js';
import { validateLayer } from '$core/model/schema.js';
import type { LayerSpec, RegularizerSpec } from '$core/model/spec.js';

/** `value: undefined` means "leave the setting out" (tf.js then uses its default). */
export type FieldParse = { ok: true; value: unknown } | { ok: false; message: string };

const isRequired = (field: FieldDescriptor) => field.default === undefined && !isOptionalWithoutDefault(field);

/** Settings that may be absent although the catalogue gives no default (derived or random). */
function isOptionalWithoutDefault(field: FieldDescriptor): boolean {
  return field.kind === 'regularizer' || field.key === 'seed' || field.key === 'strides';
}

function rangeText(field: FieldDescriptor): string {
  if (field.min !== undefined && field.max !== undefined) return `from ${field.min} to ${field.max}`;
  if (field.min !== undefined) return `>= ${field.min}`;
  if (field.max !== undefined) return `<= ${field.max}`;
  return '';
}

function checkRange(field: FieldDescriptor, n: number, what: string): string | null {
  if ((field.min !== undefined && n < field.min) || (field.max !== undefined && n > field.max)) {
    return `must be ${what} ${rangeText(field)}`.trim();
  }
  return null;
}

/** The text a text-like field shows for a config value (empty when the setting is absent). */
export function formatFieldValue(field: FieldDescriptor, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

function parseNumber(field: FieldDescriptor, text: string, whole: boolean): FieldParse {
  const n = Number(text);
  const what = whole ? 'a whole number' : 'a number';
  if (!Number.isFinite(n) || (whole && !Number.isInteger(n)))
    return { ok: false, message: `must be ${what}${rangeText(field) ? ` ${rangeText(field)}` : ''}` };
  const range = checkRange(field, n, what);
  return range ? { ok: false, message: range } : { ok: true, value: n };
}

function parseIntList(field: FieldDescriptor, text: string): FieldParse {
  const parts = text.split(/[\s,×x]+/).filter(Boolean);
  const example = field.length ? Array(field.length).fill(3).join(', ') : '8, 8, 1';
  const numbers = parts.map(Number);
  if (parts.length === 0 || numbers.some((n) => !Number.isInteger(n))) {
    return { ok: false, message: `must be whole numbers separated by commas, e.g. ${example}` };
  }
  for (const n of numbers) {
    const range = checkRange(field, n, 'whole numbers');
    if (range) return { ok: false, message: range };
  }
  if (field.length !== undefined) {
    // One number means "the same on every axis", which tf.js accepts as it is.
    if (numbers.length === 1) return { ok: true, value: numbers[0] };
    if (numbers.length !== field.length) {
      return { ok: false, message: `needs 1 or ${field.length} numbers, e.g. ${example}` };
    }
  }
  return { ok: true, value: numbers };
}

/** Parses a text-like field (int, float, intList); other kinds carry typed values already. */
export function parseFieldText(field: FieldDescriptor, text: string): FieldParse {
  const trimmed = text.trim();
  if (trimmed === '') {
    return isRequired(field) ? { ok: false, message: 'is required' } : { ok: true, value: undefined };
  }
  switch (field.kind) {
    case 'int':
      return parseNumber(field, trimmed, true);
    case 'float':
      return parseNumber(field, trimmed, false);
    case 'intList':
      return parseIntList(field, trimmed);
    default:
      return { ok: true, value: trimmed };
  }
}

/** An L1/L2 pair from its two inputs; both empty or zero means no penalty. */
export function parseRegularizer(l1Text: string, l2Text: string): FieldParse {
  const spec: RegularizerSpec = {};
  for (const [name, text] of [
    ['l1', l1Text],
    ['l2', l2Text],
  ] as const) {
    const trimmed = text.trim();
    if (trimmed === '') continue;
    const n = Number(trimmed);
    if (!Number.isFinite(n) || n < 0)
      return { ok: false, message: `${name.toUpperCase()} must be a number >= 0, e.g. 0.001` };
    if (n > 0) spec[name] = n;
  }
  return { ok: true, value: Object.keys(spec).length ? spec : undefined };
}

/** A copy of `config` with `key` set to `value`, or removed when `value` is undefined. */
export function withSetting(config: object, key: string, value: unknown): Record<string, unknown> {
  const next: Record<string, unknown> = { ...config };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

/** `ownField`: the message is about this field and reads after its label ("must be …"). */
export type SettingCheck = { ok: true; layer: LayerSpec } | { ok: false; message: string; ownField: boolean };

/**
 * Checks a whole layer with `key` changed, the way the engine will. The message is the schema's, without
 * the "layer 2 (Dense): " prefix and the key since it appears next to the field's label; problems with
 * other fields are given in full.
 */
export function checkSetting(layer: LayerSpec, index: number, key: string, value: unknown): SettingCheck {
  const candidate = {
    className: layer.className,
    config: withSetting(layer.config, key, value),
    ...(layer.id ? { id: layer.id } : {}),
  };
  const result = validateLayer(candidate, index);
  if (result.ok) return { ok: true, layer: result.layer };
  const stripped = result.errors.map((error) => error.replace(/^layer \d+ \([A-Za-z0-9]+\): /, ''));
  const own = stripped.find(
    (error) => error.startsWith(`${key} `) || error.startsWith(`${key}.`) || error.startsWith(`${key}[`),
  );
  return own
    ? { ok: false, message: own.slice(key.length).replace(/^\s+/, ''), ownField: true }
    : { ok: false, message: stripped[0] ?? 'This value is not valid', ownField: false };
}
