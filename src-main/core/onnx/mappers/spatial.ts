/**
 * Shared by convolution and pooling: tf.js keeps channels last, ONNX Conv/Pool want channels first, so
 * these layers transpose in and out. TF's 'same' padding puts the odd extra pixel at the end; ONNX's
 * SAME_UPPER would too, but explicit pads say exactly what is meant.
 */
import type { Padding } from '../../model/spec.js';
import { ints } from '../graph-builder.js';
import type { LayerContext } from './context.js';

export function perAxis(value: number | number[] | undefined, axes: number, fallback: number[]): number[] {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number') return Array<number>(axes).fill(value);
  if (value.length === 1 && axes > 1) return Array<number>(axes).fill(value[0]!);
  return value;
}

export interface Window {
  outSizes: number[];
  /** ONNX order: all begins, then all ends. */
  pads: number[];
}

export function slideWindow(inSizes: number[], kernel: number[], strides: number[], padding: Padding): Window {
  const begins: number[] = [];
  const ends: number[] = [];
  const outSizes = inSizes.map((size, axis) => {
    // perAxis gives kernel and strides one entry per spatial axis.
    const k = kernel[axis]!;
    const stride = strides[axis]!;
    if (padding === 'valid') {
      begins.push(0);
      ends.push(0);
      return Math.floor((size - k) / stride) + 1;
    }
    const out = Math.ceil(size / stride);
    const total = Math.max((out - 1) * stride + k - size, 0);
    begins.push(Math.floor(total / 2));
    ends.push(total - Math.floor(total / 2));
    return out;
  });
  return { outSizes, pads: [...begins, ...ends] };
}

/** Permutation that moves the last axis to position 1 (after batch), for an input of `rank` incl. batch. */
function firstPerm(rank: number): number[] {
  return [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
}

function lastPerm(rank: number): number[] {
  return [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
}

export function toChannelsFirst(ctx: LayerContext, name: string, rankWithBatch: number): string {
  return ctx.channelsFirstOf.get(name) ?? ctx.g.op('Transpose', [name], { perm: ints(firstPerm(rankWithBatch)) });
}

export function toChannelsLast(ctx: LayerContext, name: string, rankWithBatch: number): string {
  const last = ctx.g.op('Transpose', [name], { perm: ints(lastPerm(rankWithBatch)) });
  ctx.channelsFirstOf.set(last, name);
  return last;
}
