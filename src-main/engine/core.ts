/** The one place the engine binds to core/: if a core API moves, only this file changes. */
export { DataError, datasetRecords, defaultDataSettings, prepareData, readCsv, rowsAsText } from '../core/data/index.js';
export { checkExportable } from '../core/model/exportability.js';
export {
  createProject, datasetPathForSaving, loadProject, newRunId, parseProjectText, readTrainedModel, resolveProjectPath,
  runRecordFrom, saveProject, weightsPathFor, writeTrainedModel,
} from '../core/project/index.js';
export { defaultTrainingSettings, evaluate, predictRaw, selectBackend } from '../core/training/index.js';
export { PARITY_TOLERANCE, checkParity, exportOnnx, openOnnxModel, type OnnxModel } from '../core/onnx/index.js';
