/**
 * The decision boundary (classification) or fitted curve (regression) of a model over one or two raw feature
 * columns, the other features held at their training mean (numbers) or most frequent value (categories). A
 * numeric axis spans the training range; a category axis has one cell per fitted category. Grid rows are raw
 * records encoded by the fitted Preprocessor (encodeRecords), the one encoding prediction uses.
 * The training rows' raw values are read back from their encoding, since the prepared data holds no raw table:
 * so the mean is that of the values the model trains on (missing cells filled).
 */
import type * as tf from '@tensorflow/tfjs';
import { encodeRecords, unscaleTarget } from '../data/encode.js';
import type { FittedFeature, NumericFeature, PreparedData, RawRecord, RawValue } from '../data/types.js';
import type { ModelSpec } from '../model/spec.js';
import { applyWeights, buildModel, predictRaw } from '../training/build-model.js';
import type { BoundaryAxis, BoundaryGrid, BoundaryRequest } from '../training/insight-types.js';
import { predictedClasses } from '../training/metrics.js';
import type { WeightTensor } from '../training/types.js';

/** Cells along an axis: fewer says too little, more costs time and shows nothing new. */
export const BOUNDARY_RESOLUTION = { min: 8, max: 80, default: 48 } as const;
/** Share of each axis' training range added on both sides, so the outermost points are not on the edge. */
const MARGIN = 0.05;
/** Training points drawn on top of the grid, at most. */
const MAX_POINTS = 400;
/**
 * Categories on one axis, at most: a cell per category, and two such axes square the grid's rows (each one-hot
 * encoded as wide as all categories), so an identifier-like column would cost far more than it shows.
 */
export const MAX_AXIS_CATEGORIES = 200;

/** What the boundary of a run is computed from: its model and the data it trains on. */
export interface BoundarySource {
  spec: ModelSpec;
  prepared: PreparedData;
}

/** The raw training values of each feature column, decoded once per run. */
interface TrainingColumns {
  /** Numbers: raw values per training row; categories: category index per row (-1 unseen). */
  values: Map<string, Float64Array>;
  /** What a held feature is set to: the mean, or the most frequent category. */
  held: RawRecord;
}

/** Why a request cannot be drawn, in words, or null when it can. */
export function boundaryProblem(prepared: PreparedData, request: BoundaryRequest): string | null {
  const pre = prepared.preprocessor;
  if (pre.inputShape.length !== 1 || pre.features.length === 0) return 'the model reads images, not columns';
  const wanted = pre.task.kind === 'regression' ? 1 : 2;
  if (request.features.length !== wanted) {
    return `${pre.task.kind === 'regression' ? 'a fitted curve' : 'a decision boundary'} needs ${wanted} feature${wanted === 1 ? '' : 's'}`;
  }
  if (new Set(request.features).size !== request.features.length) return 'the two features must differ';
  for (const name of request.features) {
    const feature = pre.features.find((f) => f.name === name);
    if (!feature) return `"${name}" is not a feature of this model`;
    if (feature.type === 'category' && feature.categories.length > MAX_AXIS_CATEGORIES) {
      return `"${name}" has ${feature.categories.length} categories; an axis shows at most ${MAX_AXIS_CATEGORIES}`;
    }
  }
  return null;
}

/** A request's grid inputs, the same for every epoch: only the model's outputs over them change. */
interface GridInputs {
  key: string;
  axes: BoundaryAxis[];
  xs: number[];
  ys: number[];
  x: Float32Array;
  count: number;
  points: BoundaryGrid['points'];
}

/**
 * Builds the model once and computes the grid for any weights of that model; dispose() frees the model.
 * Used each epoch by the epoch observer (the epoch's weights) and once for a finished run (the kept weights).
 * The encoded grid rows are kept for the last request, so an epoch pays for the model's outputs alone.
 */
export class BoundaryPainter {
  private model: tf.Sequential | null = null;
  private columns: TrainingColumns | null = null;
  private inputs: GridInputs | null = null;

  constructor(private readonly source: BoundarySource) {}

  grid(weights: WeightTensor[], request: BoundaryRequest): BoundaryGrid | null {
    const { prepared } = this.source;
    if (boundaryProblem(prepared, request)) return null;
    const pre = prepared.preprocessor;
    this.model ??= buildModel(this.source.spec, pre.inputShape);
    applyWeights(this.model, weights);
    const inputs = this.inputsFor(request);
    const outputs = predictRaw(this.model, inputs.x, inputs.count);
    const grid: BoundaryGrid = {
      features: [...request.features],
      axes: inputs.axes,
      xs: inputs.xs,
      ys: inputs.ys,
      points: inputs.points,
    };
    if (pre.task.kind === 'regression') {
      const scale = pre.targetScale ?? { mean: 0, std: 1 };
      grid.values = Array.from(outputs.subarray(0, inputs.count), (v) => unscaleTarget(scale, v));
      return grid;
    }
    const width = outputs.length / Math.max(inputs.count, 1);
    const { classes, confidence } = classesOf(outputs, inputs.count, width);
    grid.classes = classes;
    grid.confidence = confidence;
    grid.labels = [...(pre.task.labels ?? [])];
    return grid;
  }

  private inputsFor(request: BoundaryRequest): GridInputs {
    const resolution = clampResolution(request.resolution);
    const key = JSON.stringify([request.features, resolution]);
    if (this.inputs?.key === key) return this.inputs;
    const { prepared } = this.source;
    this.columns ??= decodeTraining(prepared);
    const columns = this.columns;
    const pre = prepared.preprocessor;
    const [xAxis, yAxis] = request.features.map((name) =>
      gridAxis(
        pre.features.find((f) => f.name === name)!,
        columns.values.get(name)!,
        resolution,
      ),
    ) as [GridAxis, GridAxis | undefined];
    const [xName, yName] = request.features as [string, string | undefined];
    const records: RawRecord[] = [];
    for (let j = 0; j < (yAxis?.values.length ?? 1); j++) {
      for (let i = 0; i < xAxis.values.length; i++) {
        const record: RawRecord = { ...columns.held, [xName]: xAxis.raw(i) };
        if (yAxis && yName) record[yName] = yAxis.raw(j);
        records.push(record);
      }
    }
    const { x, count } = encodeRecords(pre, records);
    const points = trainingPoints(prepared, columns, request.features);
    const axes = yAxis ? [xAxis.axis, yAxis.axis] : [xAxis.axis];
    this.inputs = { key, axes, xs: xAxis.values, ys: yAxis?.values ?? [], x, count, points };
    return this.inputs;
  }

  dispose(): void {
    this.model?.dispose();
    this.model = null;
  }
}

/**
 * The grid of one set of weights, building and freeing the model around it (a finished run's kept weights);
 * a request the data cannot draw is an error that says why.
 */
export function boundaryGrid(
  source: BoundarySource,
  weights: WeightTensor[],
  request: BoundaryRequest,
): BoundaryGrid | null {
  const problem = boundaryProblem(source.prepared, request);
  if (problem) throw new Error(`This boundary cannot be drawn: ${problem}.`);
  const painter = new BoundaryPainter(source);
  try {
    return painter.grid(weights, request);
  } finally {
    painter.dispose();
  }
}

/** The features a view shows first: the first two numeric ones (one for a fitted curve), then categories. */
export function defaultBoundaryFeatures(features: readonly FittedFeature[], regression: boolean): string[] {
  return [...features.filter((f) => f.type === 'number'), ...features.filter((f) => f.type === 'category')]
    .slice(0, regression ? 1 : 2)
    .map((f) => f.name);
}

function clampResolution(value: number): number {
  if (!Number.isFinite(value)) return BOUNDARY_RESOLUTION.default;
  return Math.round(Math.min(BOUNDARY_RESOLUTION.max, Math.max(BOUNDARY_RESOLUTION.min, value)));
}

/** One axis of the grid: its shape, its values, and the raw cell a grid record holds at each value. */
interface GridAxis {
  axis: BoundaryAxis;
  values: number[];
  raw(index: number): RawValue;
}

/** A numeric feature's `cells` values over its training range; a category's cells, one per fitted category. */
function gridAxis(feature: FittedFeature, column: Float64Array, cells: number): GridAxis {
  if (feature.type === 'category') {
    const { categories } = feature;
    return {
      axis: { kind: 'category', categories: [...categories] },
      values: categories.map((_, k) => k),
      raw: (k) => categories[k]!,
    };
  }
  const values = axisOver(column, cells);
  return { axis: { kind: 'number' }, values, raw: (i) => values[i]! };
}

/** `cells` evenly spaced values over the column's range, widened by the margin (a constant column gets ±1). */
function axisOver(values: Float64Array, cells: number): number[] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min)) [min, max] = [0, 1];
  const pad = max > min ? (max - min) * MARGIN : 1;
  const from = min - pad;
  const step = (max + pad - from) / (cells - 1);
  return Array.from({ length: cells }, (_, i) => from + i * step);
}

/** Each feature's training values read back from the encoded rows, and its held value. */
function decodeTraining(prepared: PreparedData): TrainingColumns {
  const { preprocessor: pre, train } = prepared;
  const values = new Map<string, Float64Array>();
  const held: RawRecord = {};
  let offset = 0;
  for (const feature of pre.features) {
    const column = new Float64Array(train.count);
    if (feature.type === 'number') {
      let sum = 0;
      for (let r = 0; r < train.count; r++) {
        column[r] = decodeNumber(feature, train.x[r * pre.encodedWidth + offset]!);
        sum += column[r]!;
      }
      held[feature.name] = train.count ? sum / train.count : 0;
      offset += 1;
    } else {
      const onehot = feature.encoding === 'onehot';
      const counts = new Array<number>(feature.categories.length).fill(0);
      for (let r = 0; r < train.count; r++) {
        const base = r * pre.encodedWidth + offset;
        const index = onehot ? train.x.subarray(base, base + feature.categories.length).indexOf(1) : train.x[base]!;
        column[r] = index;
        if (index >= 0) counts[index]!++;
      }
      const mode = counts.indexOf(Math.max(...counts));
      held[feature.name] = feature.categories[mode] ?? null;
      offset += onehot ? feature.categories.length : 1;
    }
    values.set(feature.name, column);
  }
  return { values, held };
}

/** The raw number an encoded value came from (the fitted scale undone). */
function decodeNumber(feature: NumericFeature, encoded: number): number {
  const scale = feature.scale;
  switch (scale.kind) {
    case 'standardize':
      return encoded * scale.std + scale.mean;
    case 'minmax': {
      const range = scale.max - scale.min;
      return encoded * (range === 0 ? 1 : range) + scale.min;
    }
    case 'none':
      return encoded;
  }
}

/** Up to MAX_POINTS training rows, evenly spread over the split: raw feature values (or category index) and the target. */
function trainingPoints(prepared: PreparedData, columns: TrainingColumns, features: string[]): BoundaryGrid['points'] {
  const { train, preprocessor: pre } = prepared;
  const stride = Math.max(1, train.count / MAX_POINTS);
  const xs = columns.values.get(features[0]!)!;
  const ys = features[1] ? columns.values.get(features[1])! : null;
  // A category index of -1 is a category the preprocessor never saw: it has no cell on the axis.
  const [xCategory, yCategory] = features.map((name) => pre.features.find((f) => f.name === name)!.type === 'category');
  const scale = pre.targetScale ?? { mean: 0, std: 1 };
  const points: BoundaryGrid['points'] = [];
  for (let i = 0; i < train.count; i += stride) {
    const r = Math.floor(i);
    if ((xCategory && xs[r]! < 0) || (yCategory && ys![r]! < 0)) continue;
    const target = pre.task.kind === 'regression' ? unscaleTarget(scale, train.y[r]!) : train.y[r]!;
    points.push({ x: xs[r]!, y: ys ? ys[r]! : null, target });
  }
  return points;
}

/** The predicted class per cell (the metrics' own rule) and the probability the model gives it. */
function classesOf(outputs: Float32Array, count: number, width: number): { classes: number[]; confidence: number[] } {
  const classes = Array.from(predictedClasses(outputs, count, width));
  const confidence = classes.map((k, i) => {
    if (width > 1) return outputs[i * width + k]!;
    const p = outputs[i]!;
    return k === 1 ? p : 1 - p;
  });
  return { classes, confidence };
}
