/**
 * The steps of following one row: its inputs, each layer forward, the loss, each layer backward (last layer
 * first), then the optimizer's update. And the few numbers a long vector is summarised by.
 */
import type { ExampleTrace, LayerTrace, TraceWeights } from '$contract/api.js';

export type Stage =
  | { kind: 'input'; label: string }
  | { kind: 'forward'; label: string; layer: LayerTrace }
  | { kind: 'loss'; label: string }
  | { kind: 'backward'; label: string; layer: LayerTrace }
  | { kind: 'update'; label: string };

export function stagesOf(trace: ExampleTrace): Stage[] {
  const name = (layer: LayerTrace) => `${layer.index + 1} ${layer.className}`;
  return [
    { kind: 'input', label: 'Inputs' },
    ...trace.layers.map((layer): Stage => ({ kind: 'forward', label: `→ ${name(layer)}`, layer })),
    { kind: 'loss', label: 'Loss' },
    ...[...trace.layers].reverse().map((layer): Stage => ({ kind: 'backward', label: `← ${name(layer)}`, layer })),
    { kind: 'update', label: 'Update' },
  ];
}

/** Values shown one by one up to this many; longer vectors get a summary and the first few. */
export const SHOWN_VALUES = 8;
export const FIRST_VALUES = 5;

export interface VectorSummary {
  first: number[];
  min: number;
  max: number;
  mean: number;
  count: number;
}

export function summarise(values: number[]): VectorSummary {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return {
    first: values.slice(0, FIRST_VALUES),
    min,
    max,
    mean: values.length ? sum / values.length : 0,
    count: values.length,
  };
}

/** Four significant digits, small values in exponent form: a gradient of 3e-6 must not read as 0. */
export function num(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  const text = abs < 1e-3 || abs >= 1e5 ? value.toExponential(2) : value.toPrecision(4);
  return text.replace('-', '−');
}

/** Column j of a [inputs, units] kernel stored row-major: the weights into neuron j. */
export function kernelColumn(values: number[], shape: number[], j: number): number[] {
  const units = shape.at(-1) ?? 1;
  const out: number[] = [];
  for (let i = j; i < values.length; i += units) out.push(values[i]!);
  return out;
}

export function weightsLabel(weights: TraceWeights, runLabel: (runId: string) => string): string {
  switch (weights.kind) {
    case 'kept':
      return `${runLabel(weights.runId)}'s kept weights${weights.epoch !== null ? ` (epoch ${weights.epoch})` : ''}`;
    case 'epoch':
      return `${runLabel(weights.runId)}'s weights after epoch ${weights.epoch} (training goes on)`;
    case 'initial':
      return weights.runId
        ? `the initial weights of ${runLabel(weights.runId)} (no epoch has reached this view yet)`
        : 'fresh initial weights of the current model (no run trained yet)';
    case 'stepped':
      return `this view's own copy after ${weights.batches} batch${weights.batches === 1 ? '' : 'es'} of Next batch`;
  }
}
