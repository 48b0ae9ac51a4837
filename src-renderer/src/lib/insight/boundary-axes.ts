/**
 * Where the decision-boundary view puts a value along one of its axes. A number axis runs from its first grid
 * value to its last; a category axis is a row of equal bands, one per category, and a point sits inside its
 * category's band, moved a little from the middle so that rows of one category do not cover each other.
 */
import type { BoundaryAxis } from '$contract/api.js';

/** Share of a band a point may be moved by: the points stay clear of the neighbouring bands. */
const JITTER_SPREAD = 0.6;
/**
 * Steps of the R2 low-discrepancy sequence (one per axis): successive points spread evenly over their band, and
 * the two axes do not move in step, so points in a cell of two category axes do not line up on a diagonal.
 */
const JITTER_STEPS = [0.7548776662466927, 0.5698402909980532] as const;

/** A point's offset within its band, in [-0.5, 0.5): fixed by the point's index, so a redraw does not shuffle it. */
export function jitter(point: number, axis: 0 | 1): number {
  const t = 0.5 + point * JITTER_STEPS[axis];
  return t - Math.floor(t) - 0.5;
}

/**
 * A value's position along the axis as a share of its length (0 at the start, 1 at the end); `offset` is a
 * point's jitter, which moves it within a category's band and is ignored on a number axis.
 */
export function axisShare(axis: BoundaryAxis, values: readonly number[], value: number, offset = 0): number {
  if (axis.kind === 'category') return (value + 0.5 + offset * JITTER_SPREAD) / Math.max(values.length, 1);
  const first = values[0] ?? 0;
  const last = values.at(-1) ?? 1;
  return (value - first) / (last - first || 1);
}

/** A number as a tick shows it: whole from 100 up, three significant digits below. */
export function numberTick(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

/** The labels along an axis, from its start: every category's name, or a number axis' two ends. */
export function axisTicks(axis: BoundaryAxis, values: readonly number[]): string[] {
  if (axis.kind === 'category') return [...axis.categories];
  return [numberTick(values[0] ?? 0), numberTick(values.at(-1) ?? 0)];
}
