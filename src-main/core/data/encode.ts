/**
 * The arithmetic that turns raw values into model inputs and model outputs into answers. Training
 * (prepareData) and prediction (encodeRecords, the ONNX graph) must agree bit for bit, so every step is done
 * in float32, the way the model and the ONNX graph see it:
 *   number:       x = isNaN(v) ? fill : f32(v)
 *   standardize:  f32(f32(x - mean) / std)
 *   minmax:       f32(f32(x - min) / f32(max - min))      (a range of 0 counts as 1)
 *   none:         x
 *   one-hot:      1 at the category's index, all zeros for an unseen category
 *   ordinal:      the category's index, -1 for an unseen category
 *   regression target:  y = f32(f32(f32(t) - mean) / std); prediction = f32(f32(y * std) + mean)
 * Fitted statistics are stored already rounded to float32.
 */
import { DataError } from './errors.js';
import { categoryKey, cellNumber } from './number-text.js';
import type { CategoryFeature, FittedFeature, NumericFeature, Preprocessor, RawRecord, RawValue } from './types.js';

const f32 = Math.fround;

export function featureWidth(feature: FittedFeature): number {
  return feature.type === 'category' && feature.encoding === 'onehot' ? feature.categories.length : 1;
}

export function encodeNumber(feature: NumericFeature, value: number): number {
  const x = Number.isNaN(value) ? feature.fill : f32(value);
  const scale = feature.scale;
  switch (scale.kind) {
    case 'standardize':
      return f32(f32(x - scale.mean) / scale.std);
    case 'minmax': {
      const range = f32(scale.max - scale.min);
      return f32(f32(x - scale.min) / (range === 0 ? 1 : range));
    }
    case 'none':
      return x;
  }
}

/** Write a category (its index in feature.categories, -1 when unseen or missing) at `offset`. */
export function writeCategory(feature: CategoryFeature, index: number, out: Float32Array, offset: number): void {
  if (feature.encoding === 'ordinal') {
    out[offset] = index;
    return;
  }
  out.fill(0, offset, offset + feature.categories.length);
  if (index >= 0) out[offset + index] = 1;
}

export function scaleTarget(scale: { mean: number; std: number }, value: number): number {
  return f32(f32(f32(value) - scale.mean) / scale.std);
}

export function unscaleTarget(scale: { mean: number; std: number }, output: number): number {
  return f32(f32(output * scale.std) + scale.mean);
}

function numberFromRaw(feature: NumericFeature, raw: RawValue | undefined): number {
  const value = cellNumber(raw);
  if (value !== null) return value;
  throw new DataError(
    'not-a-number',
    `Column '${feature.name}' needs a number, but got '${raw}'. Enter a number, or leave it empty for a missing value.`,
    { file: '', column: feature.name },
  );
}

/**
 * Raw records (from a form, a CSV or datasetRecords) to the model's input, row-major. Numbers may come as
 * numeric strings; a missing column or an empty / NA cell counts as missing.
 */
export function encodeRecords(pre: Preprocessor, records: readonly RawRecord[]): { x: Float32Array; count: number } {
  const width = pre.encodedWidth;
  const count = records.length;
  const x = new Float32Array(count * width);
  const lookups = pre.features.map((f) => (f.type === 'category' ? new Map(f.categories.map((c, k) => [c, k])) : null));
  for (let r = 0; r < count; r++) {
    const record = records[r]!;
    let offset = r * width;
    pre.features.forEach((feature, k) => {
      const raw = record[feature.name];
      if (feature.type === 'number') {
        x[offset] = encodeNumber(feature, numberFromRaw(feature, raw));
        offset += 1;
        return;
      }
      const lookup = lookups[k] as Map<string, number>;
      const key = categoryKey(raw) ?? feature.fill;
      writeCategory(feature, key === null ? -1 : (lookup.get(key) ?? -1), x, offset);
      offset += featureWidth(feature);
    });
  }
  return { x, count };
}

export interface DecodedOutput {
  label?: string;
  probabilities?: number[];
  prediction?: number;
}

/**
 * Model outputs to answers. Regression: one value per row, mapped back to the target's units. Binary: one
 * sigmoid probability per row (labels[1] when p >= 0.5), or two softmax probabilities. Multiclass: one
 * probability per class, the label is the most probable one.
 */
export function decodeOutputs(pre: Preprocessor, outputs: Float32Array, count: number): DecodedOutput[] {
  const task = pre.task;
  const decoded: DecodedOutput[] = [];
  if (task.kind === 'regression') {
    const scale = pre.targetScale ?? { mean: 0, std: 1 };
    for (let r = 0; r < count; r++) decoded.push({ prediction: unscaleTarget(scale, outputs[r]!) });
    return decoded;
  }
  const labels = task.labels ?? [];
  const perRow = count > 0 ? outputs.length / count : 0;
  if (task.kind === 'binary' && perRow === 1) {
    for (let r = 0; r < count; r++) {
      const p = outputs[r]!;
      decoded.push({ label: labels[p >= 0.5 ? 1 : 0], probabilities: [1 - p, p] });
    }
    return decoded;
  }
  if (perRow !== labels.length) {
    throw new DataError(
      'output-width',
      `The model gives ${perRow} outputs per row but the target '${task.target}' has ${labels.length} classes. Make the last layer's units match the number of classes.`,
      { file: '', column: task.target },
    );
  }
  for (let r = 0; r < count; r++) {
    const probabilities = Array.from(outputs.subarray(r * perRow, (r + 1) * perRow));
    let best = 0;
    for (let k = 1; k < perRow; k++) if (probabilities[k]! > probabilities[best]!) best = k;
    decoded.push({ label: labels[best], probabilities });
  }
  return decoded;
}
