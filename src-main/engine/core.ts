/** The one place the engine binds to core/: if a core API moves, only this file changes. */
export { DataError } from '../core/data/errors.js';
export { readCsv, readCsvBytes } from '../core/data/read-csv.js';
export { datasetRecords, rowsAsText } from '../core/data/rows.js';
export { defaultDataSettings } from '../core/data/settings.js';
export { prepareData } from '../core/data/prepare.js';
export { checkExportable } from '../core/model/exportability.js';
export {
  createProject, datasetPathForSaving, loadProject, newRunId, parseProjectText, readTrainedModel, resolveProjectPath,
  runRecordFrom, saveProject, weightsPathFor, writeTrainedModel,
} from '../core/project/index.js';
export { defaultTrainingSettings, evaluate, predictRaw, selectBackend } from '../core/training/index.js';
export { exportOnnx } from '../core/onnx/export-onnx.js';
export { checkParity, openOnnxModel, type OnnxModel } from '../core/onnx/runner.js';
