/** The one place the engine binds to core/ directly (the use cases come from app/): if a core API moves, only this file changes. */
export { defaultDataSettings, rowsAsText } from '../core/data/index.js';
export { checkExportable } from '../core/model/exportability.js';
export {
  createProject,
  datasetPathForSaving,
  mergeExports,
  newRunId,
  parseProjectText,
  readTrainedModel,
  weightsMismatch,
  resolveProjectPath,
  weightsPathFor,
} from '../core/project/index.js';
export { defaultTrainingSettings, selectBackend } from '../core/training/index.js';
export {
  manifestPathFor,
  openOnnxModel,
  parseManifest,
  type OnnxModel,
  type OnnxProfile,
  type OpenOnnxOptions,
} from '../core/onnx/index.js';
export { boundaryGrid } from '../core/insight/decision-boundary.js';
export { keptInsight } from '../core/insight/kept-insight.js';
export { findLearningRate } from '../core/insight/lr-finder.js';
