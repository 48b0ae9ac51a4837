export * from './types.js';
export { DataError } from './errors.js';
export type { DataErrorPlace } from './errors.js';
export { readCsv, readCsvBytes } from './read-csv.js';
export { NUMERIC_SHARE, UNIQUE_COUNT_LIMIT } from './column-kind.js';
export { rowsAsText, datasetRecords, findColumn, rawValue } from './rows.js';
export {
  defaultDataSettings,
  inferTask,
  setTarget,
  setColumnRole,
  updateColumnSettings,
  columnDefaults,
  classLabels,
  isIdentifierLike,
  looksLikeClasses,
  targetSetting,
  DEFAULT_SPLIT,
  MAX_INTEGER_CLASSES,
  MAX_CLASSES,
} from './settings.js';
export { prepareData, lineOfRow, SMALL_CLASS_ROWS } from './prepare.js';
export { splitRows } from './split.js';
export type { RowSplit } from './split.js';
export {
  encodeRecords,
  decodeOutputs,
  encodeNumber,
  writeCategory,
  featureWidth,
  scaleTarget,
  unscaleTarget,
} from './encode.js';
export type { DecodedOutput } from './encode.js';
export { isMissingText, parseNumberText, categoryKey, booleanValue } from './number-text.js';
export { seededRandom, shuffle } from './random.js';
