/** Row-major array helpers for moving tf.js weights into ONNX layouts. */

/** Transposes a row-major array of `shape` by `perm` (the same meaning as numpy's transpose). */
export function transposeValues(values: Float32Array, shape: number[], perm: number[]): Float32Array {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = new Array<number>(rank);
  let stride = 1;
  for (let axis = rank - 1; axis >= 0; axis--) {
    inStrides[axis] = stride;
    stride *= shape[axis]!;
  }
  const out = new Float32Array(values.length);
  const index = new Array<number>(rank).fill(0);
  for (let flat = 0; flat < out.length; flat++) {
    let source = 0;
    for (let axis = 0; axis < rank; axis++) source += index[axis]! * inStrides[perm[axis]!]!;
    out[flat] = values[source]!;
    for (let axis = rank - 1; axis >= 0; axis--) {
      if (++index[axis]! < outShape[axis]!) break;
      index[axis] = 0;
    }
  }
  return out;
}

/** Columns [start, start + count) of a row-major [rows, cols] matrix. */
export function sliceColumns(
  values: Float32Array,
  rows: number,
  cols: number,
  start: number,
  count: number,
): Float32Array {
  const out = new Float32Array(rows * count);
  for (let r = 0; r < rows; r++) out.set(values.subarray(r * cols + start, r * cols + start + count), r * count);
  return out;
}

export const product = (values: readonly number[]): number => values.reduce((a, b) => a * b, 1);
