/** Small formatting helpers for showing a model's size and shapes in the UI. */

const BYTES_PER_FLOAT32 = 4;

/** Bytes the weights take as float32 (how tf.js trains and how the ONNX file stores them). */
export function modelSizeBytes(totalParams: number): number {
  return totalParams * BYTES_PER_FLOAT32;
}

/** "1.2 MB", "640 B": binary multiples, one decimal from KB up. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** [8, 8, 1] -> "8 × 8 × 1"; a scalar output (no axes) -> "1". */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 0 ? '1' : shape.join(' × ');
}

/** 12345 -> "12,345": parameter counts with thousands separators, independent of the machine's locale. */
export function formatCount(count: number): string {
  return String(Math.round(count)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
