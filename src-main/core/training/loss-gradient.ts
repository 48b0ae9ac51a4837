/**
 * The losses of losses.ts on plain arrays, with their gradient in the same pass: what the fast step
 * uses instead of building the loss from tensors and differentiating it. Same clipping as losses.ts,
 * and the gradient is zero where the clip holds, as tf.js' gradient of clipByValue is.
 */
import type { ConcreteLoss } from './defaults.js';

const EPSILON = 1e-7;
const HUBER_DELTA = 1;

/**
 * Per-sample loss of `rows` rows of `width` outputs, summed after weighting row i by `weights[i]`
 * (1 when absent). When `gradient` is given it receives d(sum)/d(output) times `gradientScale`.
 */
export function lossAndGradient(
  loss: ConcreteLoss,
  outputs: Float32Array,
  targets: Float32Array,
  rows: number,
  width: number,
  weights: Float32Array | null,
  gradient: Float32Array | null,
  gradientScale = 1,
): number {
  let total = 0;
  const perRow = loss === 'categoricalCrossentropy' || loss === 'sparseCategoricalCrossentropy' ? 1 : 1 / width;
  for (let r = 0; r < rows; r++) {
    const w = weights ? weights[r]! : 1;
    const g = w * perRow * gradientScale;
    let rowLoss = 0;
    for (let k = r * width, end = k + width; k < end; k++) {
      const o = outputs[k]!;
      const t = targets[k]!;
      let value: number;
      let slope: number;
      switch (loss) {
        case 'meanSquaredError':
          value = (o - t) * (o - t);
          slope = 2 * (o - t);
          break;
        case 'meanAbsoluteError':
          value = Math.abs(o - t);
          slope = Math.sign(o - t);
          break;
        case 'huber': {
          const error = Math.abs(o - t);
          const quadratic = Math.min(error, HUBER_DELTA);
          value = 0.5 * quadratic * quadratic + HUBER_DELTA * (error - quadratic);
          slope = Math.max(-HUBER_DELTA, Math.min(HUBER_DELTA, o - t));
          break;
        }
        case 'binaryCrossentropy': {
          const p = Math.min(Math.max(o, EPSILON), 1 - EPSILON);
          value = -(t * Math.log(p) + (1 - t) * Math.log(1 - p));
          slope = o >= EPSILON && o <= 1 - EPSILON ? -(t / p - (1 - t) / (1 - p)) : 0;
          break;
        }
        case 'categoricalCrossentropy':
        case 'sparseCategoricalCrossentropy': {
          const p = Math.min(Math.max(o, EPSILON), 1);
          value = -t * Math.log(p);
          slope = o >= EPSILON && o <= 1 ? -t / p : 0;
          break;
        }
      }
      rowLoss += value;
      if (gradient) gradient[k] = slope * g;
    }
    total += w * rowLoss * perRow;
  }
  return total;
}
