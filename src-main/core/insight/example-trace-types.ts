/**
 * One training row followed through the network: its inputs after preprocessing, each layer's sums and
 * activations, the loss for its target, the gradients of that loss, and the update an optimizer makes from them.
 * Plain data (number arrays), so it crosses the contract as it is.
 */
import type { ConcreteLoss } from '../training/defaults.js';
import type { OptimizerSettings } from '../training/types.js';

/** Whose weights a trace uses, so the window can say so. */
export type TraceWeights =
  | { kind: 'kept'; runId: string; epoch: number | null }
  | { kind: 'epoch'; runId: string; epoch: number }
  | { kind: 'initial'; runId: string | null }
  /** The step-through's own copy after `batches` presses of "Next batch". */
  | { kind: 'stepped'; batches: number };

/** One weight tensor of a layer with the row's loss gradient for it (null when training does not change it). */
export interface TracedParam {
  name: string;
  shape: number[];
  values: number[];
  gradient: number[] | null;
  /** What the optimizer would change it by from a fresh state on this row alone; null with no gradient. */
  update: number[] | null;
}

export interface LayerTrace {
  index: number;
  className: string;
  /** The layer's activation function, when it has one (Dense, convolutions, Activation). */
  activation: string | null;
  inputShape: number[];
  outputShape: number[];
  /** What enters the layer (the previous layer's output, or the preprocessed row). */
  input: number[];
  /** Dense: z = Wx + b before the activation; null for other layers. */
  z: number[] | null;
  /** What the layer gives: a = f(z). */
  output: number[];
  params: TracedParam[];
  /** ∂loss/∂input, ∂loss/∂z (Dense only) and ∂loss/∂output for this row. */
  gradients: { input: number[]; z: number[] | null; output: number[] };
}

export interface ExampleTrace {
  /** The row as the data table numbers it: 1 for the first data row. */
  row: number;
  /** The row's place in the training split (0-based). */
  trainIndex: number;
  trainRows: number;
  weights: TraceWeights;
  /** The model's input after preprocessing, with the encoded column each value comes from. */
  features: Array<{ name: string; value: number }>;
  /** The target as the file has it, and as the loss sees it. */
  target: { label: string; encoded: number[] };
  prediction: { label: string; output: number[] };
  loss: { name: ConcreteLoss; value: number };
  layers: LayerTrace[];
  /** The settings of the update step, with the learning rate the optimizer uses now. */
  optimizer: OptimizerSettings;
  batchSize: number;
  batchesPerEpoch: number;
}

/** One press of "Next batch": a real optimizer step on the next batch of the training split. */
export interface BatchStep {
  /** 0-based batch of the epoch, and the training rows (0-based places in the split) it took. */
  batch: number;
  batchesPerEpoch: number;
  rows: { from: number; to: number };
  /** Mean loss of that batch (inference mode, no weight penalty) before and after the step. */
  batchLoss: { before: number; after: number };
  /** The traced row's loss before and after. */
  rowLoss: { before: number; after: number };
  trace: ExampleTrace;
}
