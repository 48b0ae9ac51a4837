/** ONNX export, inspection and prediction. */
export { exportOnnx, buildOnnxModel, type ExportMeta } from './export-onnx.js';
export { ONNX_PROFILES, DEFAULT_ONNX_PROFILE, type OnnxProfile } from './onnx-profile.js';
export {
  preprocessManifest,
  preprocessManifestSchema,
  manifestText,
  manifestPathFor,
  manifestFileFor,
  parseManifest,
  readManifest,
  PORTABLE_INPUT,
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  type PreprocessManifest,
} from './preprocess-manifest.js';
export { inspectOnnx, type OnnxInfo, type OnnxValueInfo, type OnnxElementType } from './model-info.js';
export {
  openOnnxModel,
  predictCsv,
  type OnnxModel,
  type OpenOnnxOptions,
  type RunRecordsOptions,
  type CsvPredictions,
} from './runner.js';
export { writePredictionsCsv, predictionsCsvText, type PredictionTable } from './prediction-table.js';
export { checkParity, PARITY_TOLERANCE, type ParityResult } from './parity.js';
export { readMetadata, METADATA_KEYS, type LayerlabMetadata, type FeatureSummary } from './metadata.js';
export { OUTPUT_LABEL, OUTPUT_PREDICTION, OUTPUT_PROBABILITIES } from './output-heads.js';
export { OPSET_VERSION, IR_VERSION, BATCH_DIM } from './graph-builder.js';
export { checkExportable, type ExportIssue } from '../model/exportability.js';
export { onnx } from './proto/onnx.js';
