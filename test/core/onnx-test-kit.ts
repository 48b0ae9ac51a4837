/**
 * Shared by the ONNX tests: seeded raw records, a fitted Preprocessor made by hand, the reference encoding
 * of raw records into model inputs (core/data's), and a tf.js model from a spec with every weight
 * randomized (so moving statistics, biases and gates all matter).
 */
import * as tf from '@tensorflow/tfjs';
import { encodeRecords } from '../../src-main/core/data/encode.js';
import type { FittedFeature, NumericFeature, Preprocessor, TaskInfo } from '../../src-main/core/data/types.js';
import type { ModelSpec, LayerSpec } from '../../src-main/core/model/spec.js';
import { buildModel, extractWeights, predictRaw } from '../../src-main/core/training/index.js';
import type { TrainedModel } from '../../src-main/core/training/types.js';
import { seededRandom } from '../../src-main/core/data/random.js';

export type RawRecord = Record<string, string | number | null>;

/** The seeded generator LayerLab itself uses, under the name the parity tests know it by. */
export const mulberry32 = seededRandom;

export function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export const numberFeature = (
  name: string,
  scale: NumericFeature['scale'] = { kind: 'none' },
  fill = 0,
): FittedFeature => ({ name, type: 'number', fill, dropMissing: false, scale });

export const categoryFeature = (
  name: string,
  categories: string[],
  encoding: 'onehot' | 'ordinal',
  fill: string | null = null,
): FittedFeature => ({ name, type: 'category', categories, encoding, fill, dropMissing: false });

export function makePreprocessor(
  features: FittedFeature[],
  task: TaskInfo,
  inputShape?: number[],
  targetScale?: { mean: number; std: number },
): Preprocessor {
  const encodedWidth = features.reduce(
    (w, f) => w + (f.type === 'category' && f.encoding === 'onehot' ? f.categories.length : 1),
    0,
  );
  return {
    features,
    encodedWidth,
    inputShape: inputShape ?? [encodedWidth],
    task,
    ...(targetScale ? { targetScale } : {}),
  };
}

/** `count` numeric features f0..f{count-1}, standardized with made-up statistics. */
export function numericFeatures(count: number): FittedFeature[] {
  return Array.from({ length: count }, (_, i) =>
    numberFeature(`f${i}`, { kind: 'standardize', mean: i * 0.1, std: 1 + i * 0.05 }, i * 0.1),
  );
}

/**
 * Raw records the way a CSV gives them: numbers (sometimes as text, sometimes missing), categories
 * (sometimes unseen, sometimes missing).
 */
export function randomRecords(
  preprocessor: Preprocessor,
  rows: number,
  seed: number,
  extras: { unseen?: string[]; missingShare?: number } = {},
): RawRecord[] {
  const random = mulberry32(seed);
  const missingShare = extras.missingShare ?? 0.05;
  return Array.from({ length: rows }, () => {
    const record: RawRecord = {};
    for (const f of preprocessor.features) {
      if (random() < missingShare) {
        record[f.name] = null;
        continue;
      }
      if (f.type === 'number') {
        const centre =
          f.scale.kind === 'standardize'
            ? f.scale.mean
            : f.scale.kind === 'minmax'
              ? (f.scale.min + f.scale.max) / 2
              : 0;
        const spread =
          f.scale.kind === 'standardize'
            ? f.scale.std
            : f.scale.kind === 'minmax'
              ? (f.scale.max - f.scale.min) / 2
              : 1;
        const value = centre + spread * normal(random);
        record[f.name] = random() < 0.2 ? value.toFixed(4) : value;
      } else {
        const pool = [...f.categories, ...(extras.unseen ?? [])];
        record[f.name] = pool[Math.floor(random() * pool.length)]!;
      }
    }
    return record;
  });
}

/** The reference encoding (core/data's, the one training uses): what the model saw for these raw values. */
export function encodeForTf(preprocessor: Preprocessor, records: RawRecord[]): Float32Array {
  return encodeRecords(preprocessor, records).x;
}

/** Replaces every weight with seeded random values (variances stay positive). */
export function randomizeWeights(model: tf.LayersModel, seed: number): void {
  const random = mulberry32(seed);
  for (const layer of model.layers) {
    const tensors = layer.weights.map((w) => {
      const size = w.shape.reduce<number>((a, b) => a * (b ?? 1), 1);
      const positive = /variance/.test(w.originalName);
      const values = Float32Array.from({ length: size }, () => (positive ? 0.5 + random() : 0.5 * normal(random)));
      return tf.tensor(values, w.shape as number[]);
    });
    if (tensors.length) layer.setWeights(tensors);
    tf.dispose(tensors);
  }
}

export const spec = (...layers: LayerSpec[]): ModelSpec => ({ version: 1, layers });

export interface BuiltCase {
  trained: TrainedModel;
  model: tf.Sequential;
}

export function buildCase(layers: LayerSpec[], preprocessor: Preprocessor, seed = 7): BuiltCase {
  const modelSpec = spec(...layers);
  const model = buildModel(modelSpec, preprocessor.inputShape, seed);
  randomizeWeights(model, seed + 1);
  return {
    model,
    trained: {
      spec: modelSpec,
      preprocessor,
      weights: extractWeights(model),
    },
  };
}

export function tfOutputsFor(built: BuiltCase, records: RawRecord[]): Float32Array {
  return predictRaw(built.model, encodeForTf(built.trained.preprocessor, records), records.length);
}

export const multiclass = (labels = ['a', 'b', 'c']): TaskInfo => ({ kind: 'multiclass', target: 'y', labels });
export const binary = (labels = ['no', 'yes']): TaskInfo => ({ kind: 'binary', target: 'y', labels });
export const regression = (): TaskInfo => ({ kind: 'regression', target: 'y' });
