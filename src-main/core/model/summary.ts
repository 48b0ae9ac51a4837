/** A model's size and shapes as the UI shows them (counts and bytes read through core/format). */

const BYTES_PER_FLOAT32 = 4;

/** Bytes the weights take as float32 (how tf.js trains and how the ONNX file stores them). */
export function modelSizeBytes(totalParams: number): number {
  return totalParams * BYTES_PER_FLOAT32;
}

/** [8, 8, 1] -> "8 × 8 × 1"; a scalar output (no axes) -> "1". */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 0 ? '1' : shape.join(' × ');
}
