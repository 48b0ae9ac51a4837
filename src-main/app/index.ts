/**
 * The use cases of LayerLab over small ports (ports.ts). The engine behind the window and browser mode, the CLI
 * and the training process are adapters over these; this folder imports only core/ and Node's built-ins.
 */
export * from './ports.js';
export { checkData, describePrepared, prepareRun, readDataset, type DataCheckResult } from './datasets.js';
export { evaluateSplit, inProcessTrainer, trainAndEvaluate, type TrainHooks } from './training.js';
export {
  failedRunRecord,
  findRun,
  listRuns,
  recordRun,
  recordRunInProjectFile,
  RunChoiceError,
  runToExport,
  type RunInputs,
  type RunListing,
} from './runs.js';
export {
  exportWithParity,
  paritySplit,
  PARITY_TOLERANCE,
  runExportMeta,
  type FinalMetrics,
  type CheckedExport,
  type ParitySource,
  type ParitySplit,
} from './export.js';
export { predictDataset, predictionsCsv, predictTypedRecords, writePredictions } from './predictions.js';
export { checkTypedRecords, describeFileInputs, inputCategories, scoreAgainstTarget } from './prediction-checks.js';
export { openProjectFile, placeDataCopy, recordsById, saveProjectWithRuns } from './projects.js';
export {
  checkSettingsFit,
  COLUMN_WORDS,
  editColumn,
  kindPatch,
  readDataSettingsFile,
  SettingsFileError,
} from './data-settings.js';
export { trainingScriptFiles, weightsFileBeside, type TrainingScriptFiles } from './scripts.js';
