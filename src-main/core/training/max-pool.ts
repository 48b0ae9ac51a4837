/**
 * Max pooling on channels-last typed arrays, as the fast convolution step and the wasm MaxPoolGrad kernel
 * both compute it: each window's largest value (padding never wins; the first wins a tie, as on tf.js' cpu
 * backend) and where it came from, so the gradient goes back to exactly that input.
 */
import type { WindowGeometry } from './conv-plan.js';

/** out[o] is the largest value of window o and from[o] the input index it came from. */
export function maxPoolForward(
  g: WindowGeometry,
  x: Float32Array,
  out: Float32Array,
  from: Int32Array,
  rows: number,
): void {
  const inRow = g.inHeight * g.inWidth * g.channels;
  let o = 0;
  for (let b = 0; b < rows; b++) {
    for (let oh = 0; oh < g.outHeight; oh++) {
      for (let ow = 0; ow < g.outWidth; ow++) {
        for (let c = 0; c < g.channels; c++) {
          let best = -Infinity;
          let where = -1;
          for (let kh = 0; kh < g.windowHeight; kh++) {
            const ih = oh * g.strideHeight + kh - g.top;
            if (ih < 0 || ih >= g.inHeight) continue;
            for (let kw = 0; kw < g.windowWidth; kw++) {
              const iw = ow * g.strideWidth + kw - g.left;
              if (iw < 0 || iw >= g.inWidth) continue;
              const i = b * inRow + (ih * g.inWidth + iw) * g.channels + c;
              if (x[i]! > best || where < 0) {
                best = x[i]!;
                where = i;
              }
            }
          }
          out[o] = best;
          from[o++] = where;
        }
      }
    }
  }
}

/** dx = the gradient of the first `count` pooled values sent back to their maxima; overlapping windows add up. */
export function maxPoolBackward(from: Int32Array, dy: Float32Array, dx: Float32Array, count: number): void {
  dx.fill(0);
  for (let i = 0; i < count; i++) dx[from[i]!] = dx[from[i]!]! + dy[i]!;
}
