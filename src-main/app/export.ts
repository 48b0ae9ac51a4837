/**
 * ONNX export with the one parity rule: onnxruntime must reproduce tf.js on the validation rows, or on the
 * training rows when there are none. A NaN on one side only counts as a mismatch (core/onnx/parity.ts).
 */
import { datasetRecords } from '../core/data/rows.js';
import type { Dataset, PreparedData, SplitData } from '../core/data/types.js';
import { exportOnnx, type ExportMeta } from '../core/onnx/export-onnx.js';
import type { OnnxProfile } from '../core/onnx/onnx-profile.js';
import { manifestText, preprocessManifest } from '../core/onnx/preprocess-manifest.js';
import { checkParity, PARITY_TOLERANCE } from '../core/onnx/parity.js';
import { predictRaw } from '../core/training/build-model.js';
import type { MetricName, TrainedModel } from '../core/training/types.js';
import type { TfReady } from './ports.js';

export { PARITY_TOLERANCE };

export type ParitySplit = 'validation' | 'training';

/** The data a run was trained with, when it is at hand: the rows to compare come from it. */
export interface ParitySource {
  dataset: Dataset;
  prepared: PreparedData;
}

export interface CheckedExport {
  bytes: Uint8Array;
  maxDifference: number;
  rowsCompared: number;
  /** Which rows were compared; null when no data was at hand (nothing compared). */
  comparedOn: ParitySplit | null;
  /** The file may be saved: the outputs agree within PARITY_TOLERANCE (or nothing could be compared). */
  ok: boolean;
  /** Portable profile: the preprocessing manifest's text, saved beside the model as `<model>.preprocess.json`. */
  manifest?: string;
}

/** A run's final metrics, as its training result and its project record both carry them. */
export interface FinalMetrics {
  finalValidation: Partial<Record<MetricName, number>>;
  finalTest?: Partial<Record<MetricName, number>>;
}

/** The metadata of a run's export: its metrics are the kept weights' own, never computed again here. */
export function runExportMeta(run: FinalMetrics, about: { layerlabVersion: string; datasetHash?: string }): ExportMeta {
  return {
    ...about,
    validationMetrics: run.finalValidation as Record<string, number>,
    testMetrics: run.finalTest as Record<string, number> | undefined,
  };
}

/** The rows the export is checked on: validation, else training. */
export function paritySplit(prepared: PreparedData): { split: SplitData; name: ParitySplit } {
  return prepared.validation.count > 0
    ? { split: prepared.validation, name: 'validation' }
    : { split: prepared.train, name: 'training' };
}

export async function exportWithParity(
  model: TrainedModel,
  source: ParitySource | null,
  meta: ExportMeta,
  tfReady?: TfReady,
  profile: OnnxProfile = 'full',
): Promise<CheckedExport> {
  const bytes = exportOnnx(model, meta, profile);
  const manifest = profile === 'portable' ? { manifest: manifestText(preprocessManifest(model.preprocessor)) } : {};
  if (!source) return { bytes, maxDifference: 0, rowsCompared: 0, comparedOn: null, ok: true, ...manifest };
  const { split, name } = paritySplit(source.prepared);
  await tfReady?.();
  const records = datasetRecords(source.dataset, split.rows);
  const tfOutputs = predictRaw(model, split.x, split.count);
  const parity = await checkParity(model, bytes, records, tfOutputs);
  // Written as a negation so that a NaN difference is a mismatch too.
  const ok = !(parity.maxDifference > PARITY_TOLERANCE) && !Number.isNaN(parity.maxDifference);
  return {
    bytes,
    maxDifference: parity.maxDifference,
    rowsCompared: parity.rowsCompared,
    comparedOn: name,
    ok,
    ...manifest,
  };
}
