/**
 * The export check: the ONNX model, fed raw values (a portable one through its manifest), must give what tf.js
 * gives on the same rows after LayerLab's own encoding. The caller computes the tf.js outputs so this folder stays free of tf.js.
 */
import type { RawRecord } from '../data/types.js';
import type { TrainedModel } from '../training/types.js';
import { OUTPUT_PREDICTION, OUTPUT_PROBABILITIES } from './output-heads.js';
import { preprocessManifest } from './preprocess-manifest.js';
import { openOnnxModel } from './runner.js';

/** Largest absolute difference allowed between onnxruntime and tf.js outputs. */
export const PARITY_TOLERANCE = 1e-4;

export interface ParityResult {
  /** Infinity when either side gave a value that is not a finite number. */
  maxDifference: number;
  rows: number;
  /** Same as `rows`; the name the engine reads. */
  rowsCompared: number;
  /** Outputs (on either side) that were NaN or infinite: any one fails the check. */
  nonFinite: number;
  ok: boolean;
}

/** A LayerLab model always has this output; a file without it is not the model that was just exported. */
function outputData(outputs: Record<string, { data: unknown }>, name: string): Float32Array {
  const output = outputs[name];
  if (!output)
    throw new Error(`The exported ONNX model has no "${name}" output, so it cannot be checked against tf.js.`);
  return output.data as Float32Array;
}

/**
 * ONNX outputs mapped back to the network's own output space (what tf.js' predict returns): the sigmoid
 * unit for binary models, the standardized value for regression. Comparing there keeps the tolerance
 * independent of the target's units.
 */
function networkOutputs(
  model: TrainedModel,
  outputs: Record<string, { data: unknown; dims: readonly number[] }>,
  tfWidth: number,
): Float32Array {
  if (model.preprocessor.task.kind === 'regression') {
    const prediction = outputData(outputs, OUTPUT_PREDICTION);
    const scale = model.preprocessor.targetScale;
    return scale ? prediction.map((v) => (v - scale.mean) / scale.std) : prediction;
  }
  const probabilities = outputData(outputs, OUTPUT_PROBABILITIES);
  if (tfWidth === 1) return probabilities.filter((_, i) => i % 2 === 1);
  return probabilities;
}

/**
 * Runs `records` (raw values, as in the CSV) through the exported model and compares with `tfOutputs`,
 * tf.js' raw outputs for the same rows, row-major.
 */
export async function checkParity(
  model: TrainedModel,
  onnxBytes: Uint8Array,
  records: RawRecord[],
  tfOutputs: Float32Array,
  tolerance = PARITY_TOLERANCE,
): Promise<ParityResult> {
  const rows = records.length;
  if (rows === 0) return { maxDifference: 0, rows: 0, rowsCompared: 0, nonFinite: 0, ok: true };
  if (tfOutputs.length % rows !== 0) {
    throw new Error(`checkParity: ${tfOutputs.length} tf.js outputs do not divide into ${rows} rows.`);
  }
  // A portable file is fed through the manifest it is exported with; a full file ignores it.
  const session = await openOnnxModel(onnxBytes, { manifest: preprocessManifest(model.preprocessor) });
  try {
    const outputs = await session.runRecordsRaw(records);
    const onnxValues = networkOutputs(model, outputs, tfOutputs.length / rows);
    if (onnxValues.length !== tfOutputs.length) {
      throw new Error(
        `checkParity: onnxruntime gave ${onnxValues.length} values for ${rows} rows, tf.js ${tfOutputs.length}.`,
      );
    }
    let maxDifference = 0;
    let nonFinite = 0;
    for (let i = 0; i < tfOutputs.length; i++) {
      const a = onnxValues[i]!;
      const b = tfOutputs[i]!;
      // NaN or Infinity on either side, even on both, means the model gives no answer: never a match.
      if (!Number.isFinite(a) || !Number.isFinite(b)) {
        nonFinite++;
        maxDifference = Infinity;
        continue;
      }
      maxDifference = Math.max(maxDifference, Math.abs(a - b));
    }
    return { maxDifference, rows, rowsCompared: rows, nonFinite, ok: nonFinite === 0 && maxDifference <= tolerance };
  } finally {
    await session.close();
  }
}
