/** What the training loop asks of a training step, whichever path implements it (train-step.ts). */
import type { WeightTensor } from './types.js';

export interface BatchInput {
  /** `rows` rows, row-major. */
  x: Float32Array;
  targets: Float32Array;
  /** Per-row sample weights, or null for all 1. */
  weights: Float32Array | null;
  rows: number;
}

export interface Evaluation {
  outputs: Float32Array;
  /** Mean unweighted, unpenalized loss. */
  loss: number;
}

export interface TrainStep {
  /** Which path trains, in words for the run's note. */
  readonly description: string;
  learningRate: number;
  /** One optimizer step; returns the batch's objective (mean weighted loss plus weight penalties). */
  step(batch: BatchInput): number;
  /**
   * The same step, also writing the batch's forward outputs (before the update, rows × output width) into
   * `outputs`, so the loop can report training metrics on the batches it trains on. Optional: a step without it
   * trains the same, and the run reports no training metrics (never a second pass over the data).
   */
  stepWithOutputs?(batch: BatchInput, outputs: Float32Array): number;
  evaluate(x: Float32Array, targets: Float32Array, count: number): Evaluation;
  /** The current weights as plain copies, in extractWeights' order. */
  weights(): WeightTensor[];
  /** Puts back weights that weights() returned. */
  restore(weights: WeightTensor[]): void;
  dispose(): void;
}
