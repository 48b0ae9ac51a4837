/**
 * The data side's plain types and the word lists they are made of. A Dataset is columnar: one typed array per column, never an array of row
 * objects, so a million-row file stays small in memory and crosses process boundaries cheaply.
 */
import type { TaskKind } from '../model/task-check.js';
import type { DecimalMark } from './number-text.js';

export type { TaskKind, DecimalMark };

/** How a file's bytes were read as text. */
/** How a numeric column's inf/NaN cells are read: as missing values (the default, with a warning) or refused. */
export const NON_FINITE_POLICIES = ['missing', 'refuse'] as const;
export type NonFinitePolicy = (typeof NON_FINITE_POLICIES)[number];

export type TextEncodingName = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

export type ColumnKind = 'number' | 'integer' | 'boolean' | 'category' | 'text' | 'empty';

export interface Histogram {
  /** Numeric columns: bin edges (bins + 1 values). Categorical columns: empty. */
  edges: number[];
  /** Counts per bin, or per category (top categories, in `labels` order). */
  counts: number[];
  /** Categorical columns: the category of each count. */
  labels?: string[];
}

export interface ColumnStats {
  missing: number;
  /** Distinct non-missing values; counted exactly up to UNIQUE_COUNT_LIMIT, then `uniqueCapped` is set. */
  unique: number;
  uniqueCapped?: boolean;
  min?: number;
  max?: number;
  mean?: number;
  std?: number;
  histogram: Histogram;
  /**
   * Numeric columns: cells with no float32 value. `words` are inf / NaN written out (read as missing, and
   * counted in `missing`); `overflow` are numbers too large for float32 (1e300, 1e999), which keep the column
   * from being a feature or the target until it is rescaled.
   */
  nonFinite?: { words: number; overflow: number };
  /** Numeric columns: cells written with separators, a currency or percent sign, or a decimal comma, and how the first was read. */
  written?: { cells: number; example: string; value: number };
}

/**
 * One column's values. Numeric kinds (number, integer, boolean read as 0/1) keep `numbers` with NaN for a
 * missing cell. Category/text kinds keep `codes` into `categories` with -1 for a missing cell. A boolean
 * column keeps both so it can be used either way.
 */
export interface Column {
  name: string;
  kind: ColumnKind;
  numbers?: Float64Array;
  codes?: Int32Array;
  categories?: string[];
  stats: ColumnStats;
  /**
   * Numeric kinds only: cells that were neither numbers nor missing markers. They are stored as NaN (so they
   * behave as missing values) and reported in the dataset's warnings.
   */
  nonNumeric?: NonNumericCells;
  /** Numeric kinds only: the cells behind `stats.nonFinite`, with the first few of each. */
  nonFinite?: { words: NonNumericCells; overflow: NonNumericCells };
}

/** One cell as it crosses the API or feeds a model: text, a number, or null for a missing value. */
export type RawValue = string | number | null;
/** One row keyed by column name. A column absent from a record reads as missing. */
export type RawRecord = Record<string, RawValue>;

/** Model outputs, one row per input row, under named columns. */
export interface PredictionTable {
  columns: string[];
  rows: RawValue[][];
  /** What the model did with inputs a person should know about: unseen categories, filled empty cells. */
  notes?: string[];
  /** When the input held the target column: the predictions against it (accuracy, or mae, rmse and r2). */
  score?: { actualColumn: string; predictedColumn: string; rows: number; metrics: Record<string, number> };
}

export interface NonNumericCells {
  count: number;
  /** The first few, with their 1-based line in the file. */
  examples: Array<{ row: number; line: number; text: string }>;
}

export interface CsvWarning {
  code: string;
  message: string;
  /** The column the warning is about, when there is one. */
  column?: string;
  /** 1-based file lines the warning points at (the first few). */
  lines?: number[];
}

export interface Dataset {
  /** Display name (file name without folders). */
  name: string;
  /** Absolute path when read from disk. */
  path?: string;
  /** sha256 of the file bytes, hex. */
  hash: string;
  bytes: number;
  rowCount: number;
  delimiter: string;
  /** ',' when the file writes decimal commas (read when the delimiter is not a comma). */
  decimal?: DecimalMark;
  /** How the bytes were read: UTF-8 unless a byte-order mark or the reader's options said otherwise. */
  encoding?: TextEncodingName;
  hasHeader: boolean;
  columns: Column[];
  /**
   * The 1-based file line where each data row starts (quoted line breaks and skipped rows make this differ
   * from row + 2), so later checks can point at the file.
   */
  rowLines?: Int32Array;
  /** The first rows as text, for a preview table. */
  preview: string[][];
  /** Rows skipped because they were bad (only when the reader was told to skip them). */
  skippedRows: number;
  warnings: CsvWarning[];
}

export interface ReadCsvOptions {
  /** Auto-detected from the first lines when absent. */
  delimiter?: string;
  /** Auto-detected when absent. */
  header?: boolean;
  /** Skip rows with the wrong number of fields instead of failing; the count lands in `skippedRows`. */
  skipBadRows?: boolean;
  previewRows?: number;
  /** Auto-detected when absent: ',' only in files whose delimiter is not a comma. */
  decimal?: DecimalMark;
  /** What a file without a byte-order mark is in: UTF-8 (the default, checked) or Windows-1252 (Latin-1). */
  encoding?: 'utf-8' | 'windows-1252';
  /**
   * inf / NaN words in a numeric column: 'missing' (the default) reads them as missing values with a warning;
   * 'refuse' stops at the first one, naming its line and column.
   */
  nonFinite?: NonFinitePolicy;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  signal?: AbortSignal;
}

export const COLUMN_ROLES = ['feature', 'target', 'ignore'] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];
/** How a column's values are read: as numbers or as categories. */
export const COLUMN_TREATMENTS = ['number', 'category'] as const;
export type ColumnTreatment = (typeof COLUMN_TREATMENTS)[number];
export const MISSING_POLICIES = ['drop', 'mean', 'median', 'mostFrequent', 'constant'] as const;
export type MissingPolicy = (typeof MISSING_POLICIES)[number];
export const NUMERIC_ENCODINGS = ['standardize', 'minmax', 'none'] as const;
export type NumericEncoding = (typeof NUMERIC_ENCODINGS)[number];
export const CATEGORY_ENCODINGS = ['onehot', 'ordinal'] as const;
export type CategoryEncoding = (typeof CATEGORY_ENCODINGS)[number];
export const COLUMN_ENCODINGS = [...NUMERIC_ENCODINGS, ...CATEGORY_ENCODINGS] as const;

export interface ColumnSettings {
  name: string;
  role: ColumnRole;
  /** Treat this column as numbers or as categories; defaults from the inferred kind. */
  treatAs: ColumnTreatment;
  missing: MissingPolicy;
  /** For `missing: 'constant'`: a number for numeric columns, a category for categorical ones. */
  constant?: number | string;
  encoding: NumericEncoding | CategoryEncoding;
}

export interface SplitSettings {
  /** Fractions that add up to 1. */
  train: number;
  validation: number;
  test: number;
  seed: number;
  /** Stratify by class for classification tasks (default true). */
  stratify: boolean;
}

export interface ImageSettings {
  /** The feature columns, in order, are reshaped to this shape, e.g. [8, 8, 1]. */
  shape: number[];
}

export interface DataSettings {
  columns: ColumnSettings[];
  split: SplitSettings;
  image?: ImageSettings;
}

export interface TaskInfo {
  kind: TaskKind;
  target: string;
  /** Classification: class names in output order. */
  labels?: string[];
}

/** A fitted numeric feature: how a raw number becomes one model input. */
export interface NumericFeature {
  name: string;
  type: 'number';
  /** Value used for a missing cell at prediction time (also in training unless rows are dropped). */
  fill: number;
  /** Training dropped rows with a missing value in this column ('drop' policy). */
  dropMissing: boolean;
  scale:
    | { kind: 'standardize'; mean: number; std: number }
    | { kind: 'minmax'; min: number; max: number }
    | { kind: 'none' };
}

/** A fitted categorical feature. Unseen categories become all zeros (one-hot) or -1 (ordinal). */
export interface CategoryFeature {
  name: string;
  type: 'category';
  categories: string[];
  encoding: CategoryEncoding;
  /** Category used for a missing cell at prediction time; null means encode a missing cell as unseen. */
  fill: string | null;
  dropMissing: boolean;
}

export type FittedFeature = NumericFeature | CategoryFeature;

/**
 * Everything needed to turn raw CSV values into model inputs and model outputs back into answers.
 * Fitted on the training split only. Plain data: saved in the project and written into the ONNX graph.
 */
export interface Preprocessor {
  features: FittedFeature[];
  /** Width of the encoded feature vector (one-hot expands). */
  encodedWidth: number;
  /** The model's input shape (without batch): [encodedWidth] or the image shape. */
  inputShape: number[];
  task: TaskInfo;
  /** Regression: the target is standardized for training; predictions are mapped back with these. */
  targetScale?: { mean: number; std: number };
}

export interface SplitData {
  /** Row-major, rows x prod(inputShape). */
  x: Float32Array;
  /** Classification: class index per row. Regression: standardized target per row. */
  y: Float32Array;
  /** Original row numbers (0-based data rows) so results can point back at the file. */
  rows: Int32Array;
  count: number;
}

export interface PreparedData {
  /** Also the one record of the task and the model's input shape. */
  preprocessor: Preprocessor;
  train: SplitData;
  validation: SplitData;
  test: SplitData;
  /** Rows dropped for missing values (policy 'drop'). */
  droppedRows: number;
  warnings: CsvWarning[];
}

/** Whether a dataset with these settings can train, and what it would train on. */
export interface DataCheck {
  ok: boolean;
  /** A message a person can act on when `ok` is false. */
  error?: string;
  task?: TaskInfo;
  inputShape?: number[];
  counts?: { train: number; validation: number; test: number; dropped: number };
  /** Training settings scaled to these counts, and why (the rule lives in core/training/defaults.ts). */
  fit?: TrainingFit;
  warnings: CsvWarning[];
}

/** The training settings that depend on how much data there is, with the one line that explains them. */
export interface TrainingFit {
  epochs: number;
  patience: number;
  reason: string;
  /** What the two settings are without data (a large table's values): a setting holding them was not chosen. */
  plain: { epochs: number; patience: number };
}
