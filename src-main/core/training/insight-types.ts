/**
 * What a training run can show of its insides at each epoch's end: per-layer weight and gradient statistics, the
 * weights themselves (for the live network view) and the decision boundary (or fitted curve). Plain data, so it
 * crosses the trainer process, the contract and the CLI report as it is. The loop only knows `EpochObserver`;
 * core/insight/ computes what it returns.
 */
import type { WeightTensor } from './weight-tensor.js';

/** What the open views ask for. Nothing is computed for a closed view, so closed views cost nothing. */
export interface InsightRequest {
  /** Per-layer weight and gradient statistics (the layer-stats view, the CLI report). */
  layers: boolean;
  /** The weights themselves, for the live network view. */
  weights: boolean;
  /** The decision boundary (classification) or fitted curve (regression); null when that view is closed. */
  boundary: BoundaryRequest | null;
}

export const NO_INSIGHT: InsightRequest = { layers: false, weights: false, boundary: null };

/** What the network and layer views ask of a run's kept weights once it has ended (the boundary has its own call). */
export type KeptInsightRequest = Pick<InsightRequest, 'layers' | 'weights'>;

export interface BoundaryRequest {
  /** Raw column names: two for a decision boundary, one for a fitted curve. */
  features: string[];
  /** Grid cells along each axis. */
  resolution: number;
}

/** One layer that has weights, at one epoch's end. */
export interface LayerEpochStats {
  index: number;
  className: string;
  weightMean: number;
  weightStd: number;
  /** L2 norm of all the layer's weights (kernel and bias). */
  weightNorm: number;
  /** L2 norm of the loss gradient for the layer's weights, on the probe batch. */
  gradientNorm: number;
  /**
   * ||weights now − weights at the previous epoch's end|| / ||weights now||; null when the previous epoch's weights
   * are not known (a run's kept weights, looked at after it ended).
   */
  updateRatio: number | null;
  /** Share of ReLU units that gave 0 on every probe row; null when the layer has no ReLU. */
  deadShare: number | null;
  /** Histogram of the kernel's values: `counts.length` equal bins from min to max. */
  histogram: { min: number; max: number; counts: number[] };
}

/**
 * How one grid axis reads. A number axis: its values are raw numbers, evenly spaced over the training range. A
 * category axis: one cell per category the preprocessor fitted, in its order; its values are category indices.
 */
export type BoundaryAxis = { kind: 'number' } | { kind: 'category'; categories: string[] };

/** The model's prediction over a grid of one or two raw features, the others held at their training mean/mode. */
export interface BoundaryGrid {
  features: string[];
  /** One per feature, in the same order. */
  axes: BoundaryAxis[];
  /** Grid values along the first feature (raw units, or category indices). */
  xs: number[];
  /** Along the second feature; empty for a fitted curve. */
  ys: number[];
  /** Classification: predicted class index per cell, row-major (ys outer, xs inner). */
  classes?: number[];
  /** Classification: the predicted class' probability per cell. */
  confidence?: number[];
  /** Regression: the predicted value (raw units) per grid point. */
  values?: number[];
  /** Class names, in class index order. */
  labels?: string[];
  /**
   * Training rows to draw on top (a sample when there are many): raw feature values (the category index on a
   * category axis) and target. Rows whose category the preprocessor never saw are left out.
   */
  points: Array<{ x: number; y: number | null; target: number }>;
}

export interface EpochInsight {
  epoch: number;
  layers?: LayerEpochStats[];
  weights?: WeightTensor[];
  /** With `weights`: the encoded inputs of the first few training rows, so the network view can follow one. */
  examples?: number[][];
  boundary?: BoundaryGrid;
}

/** What the loop hands an observer at an epoch's end: copies it may keep. */
export interface EpochView {
  epoch: number;
  weights: WeightTensor[];
  /** The weights at the previous epoch's end (the initial weights before epoch 1). */
  previousWeights: WeightTensor[];
  learningRate: number;
  /** Seconds of the run so far, so an observer can keep its own cost within a share of the run. */
  runSeconds: number;
}

export interface EpochObserver {
  /** `request` is what the open views ask for now (RunControl carries it; the window changes it mid-run). */
  observe(view: EpochView, request: InsightRequest): EpochInsight | undefined;
  dispose(): void;
}
