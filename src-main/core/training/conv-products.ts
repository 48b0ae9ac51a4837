/**
 * A Conv2D (or Dense) stage of the fast conv step as three matrix products on the current tf.js backend. Written as
 * loops in JavaScript the convolution costs about 4 ns a multiply-add, most of the step; the backend's
 * matMul (SIMD on wasm) does the same products several times faster, and three kernel calls a batch cost
 * far less than that. The image is unrolled into one row of window values per output position (and, for
 * the kernel's gradient, the same values by column), so:
 *   out     = patches · kernel + bias            [positions, taps] · [taps, filters]
 *   dKernel = patchesᵀ · dz                      [taps, positions] · [positions, filters]
 *   dInput  = dz · kernelᵀ, folded back onto the pixels each window value came from.
 * A tap is one (kh, kw, c) of the window, in the order of tf.js' kernel layout [kh, kw, c, f]. A Dense
 * layer is the 1×1 case (one position per row, its inputs as the channels), so it takes the same path.
 */
import * as tf from '@tensorflow/tfjs';
import type { WindowGeometry } from './conv-plan.js';
import type { KernelSlots } from './weight-layout.js';

export class ConvProducts {
  private readonly taps: number;
  private readonly positionsPerRow: number;
  private readonly inRow: number;
  /** For each output position of a row and each tap, the input value's offset in the row, or -1 (padding). */
  private readonly sources: Int32Array;
  private patches: Float32Array = new Float32Array(0);
  private patchesByColumn: Float32Array = new Float32Array(0);
  private readonly kernelByFilter: Float32Array;
  private dPatches: Float32Array = new Float32Array(0);
  private readonly dKernel: Float32Array;

  constructor(
    geometry: WindowGeometry,
    private readonly filters: number,
  ) {
    const { inHeight, inWidth, channels, outHeight, outWidth, windowHeight, windowWidth } = geometry;
    this.taps = windowHeight * windowWidth * channels;
    this.positionsPerRow = outHeight * outWidth;
    this.inRow = inHeight * inWidth * channels;
    this.sources = new Int32Array(this.positionsPerRow * this.taps);
    let i = 0;
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        for (let kh = 0; kh < windowHeight; kh++) {
          const ih = oh * geometry.strideHeight + kh - geometry.top;
          for (let kw = 0; kw < windowWidth; kw++) {
            const iw = ow * geometry.strideWidth + kw - geometry.left;
            const inside = ih >= 0 && ih < inHeight && iw >= 0 && iw < inWidth;
            for (let c = 0; c < channels; c++) this.sources[i++] = inside ? (ih * inWidth + iw) * channels + c : -1;
          }
        }
      }
    }
    this.kernelByFilter = new Float32Array(this.taps * filters);
    this.dKernel = new Float32Array(this.taps * filters);
  }

  /**
   * out[position, f] = bias[f] + Σ_tap patches[position, tap] · kernel[tap, f]. With `forBackward` the
   * patches are also kept by column for the next backward().
   */
  forward(
    params: Float32Array,
    slots: KernelSlots,
    x: Float32Array,
    out: Float32Array,
    rows: number,
    forBackward: boolean,
  ): void {
    const { taps, filters, positionsPerRow, inRow, sources } = this;
    const positions = rows * positionsPerRow;
    this.patches = grown(this.patches, positions * taps);
    if (forBackward) this.patchesByColumn = grown(this.patchesByColumn, positions * taps);
    const patches = this.patches;
    const byColumn = this.patchesByColumn;
    for (let b = 0; b < rows; b++) {
      const base = b * inRow;
      for (let p = 0; p < positionsPerRow; p++) {
        const position = b * positionsPerRow + p;
        const from = p * taps;
        for (let t = 0; t < taps; t++) {
          const source = sources[from + t]!;
          const value = source < 0 ? 0 : x[base + source]!;
          patches[position * taps + t] = value;
          if (forBackward) byColumn[t * positions + position] = value;
        }
      }
    }
    const kernelAt = slots.kernel.offset;
    const kernel = params.subarray(kernelAt, kernelAt + taps * filters);
    const bias = slots.bias === null ? null : params.subarray(slots.bias.offset, slots.bias.offset + filters);
    multiplyInto(out, patches.subarray(0, positions * taps), positions, taps, kernel, filters, bias);
  }

  /**
   * Adds the kernel's and bias' gradients to `grads` from the patches of the last forward(…, true), and
   * writes the input's gradient into `dx` when given.
   */
  backward(
    params: Float32Array,
    grads: Float32Array,
    slots: KernelSlots,
    dz: Float32Array,
    dx: Float32Array | null,
    rows: number,
  ): void {
    const { taps, filters, positionsPerRow, inRow, sources } = this;
    const positions = rows * positionsPerRow;
    if (slots.bias !== null) {
      const bias = slots.bias.offset;
      for (let p = 0; p < positions; p++) {
        const o = p * filters;
        for (let f = 0; f < filters; f++) grads[bias + f] = grads[bias + f]! + dz[o + f]!;
      }
    }
    const dKernel = this.dKernel;
    multiplyInto(dKernel, this.patchesByColumn.subarray(0, taps * positions), taps, positions, dz, filters, null);
    const kernelAt = slots.kernel.offset;
    for (let i = 0; i < taps * filters; i++) grads[kernelAt + i] = grads[kernelAt + i]! + dKernel[i]!;
    if (!dx) return;
    const byFilter = this.kernelByFilter;
    for (let t = 0; t < taps; t++) {
      for (let f = 0; f < filters; f++) byFilter[f * taps + t] = params[kernelAt + t * filters + f]!;
    }
    this.dPatches = grown(this.dPatches, positions * taps);
    const dPatches = this.dPatches;
    multiplyInto(dPatches, dz.subarray(0, positions * filters), positions, filters, byFilter, taps, null);
    dx.fill(0);
    for (let b = 0; b < rows; b++) {
      const base = b * inRow;
      for (let p = 0; p < positionsPerRow; p++) {
        const from = p * taps;
        const at = (b * positionsPerRow + p) * taps;
        for (let t = 0; t < taps; t++) {
          const source = sources[from + t]!;
          if (source >= 0) dx[base + source] = dx[base + source]! + dPatches[at + t]!;
        }
      }
    }
  }
}

/** target[m×n] = a[m×k] · b[k×n] (+ bias[n] on every row), on the backend's matMul. */
function multiplyInto(
  target: Float32Array,
  a: Float32Array,
  m: number,
  k: number,
  b: Float32Array,
  n: number,
  bias: Float32Array | null,
): void {
  const product = tf.tidy(() => {
    const left = tf.tensor2d(a, [m, k]);
    const right = tf.tensor2d(b, [k, n]);
    return bias ? tf.fused.matMul({ a: left, b: right, bias: tf.tensor1d(bias) }) : tf.matMul(left, right);
  });
  target.set(product.dataSync() as Float32Array);
  product.dispose();
}

/** `array` when it holds `size` numbers, else a larger one (the old contents are not needed). */
function grown(array: Float32Array, size: number): Float32Array {
  return array.length >= size ? array : new Float32Array(size);
}
