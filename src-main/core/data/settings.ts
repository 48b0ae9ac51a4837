/**
 * Default column settings, task inference, and small helpers the UI calls to change a column's role.
 * Every helper returns new settings and leaves its input untouched.
 */
import { DataError } from './errors.js';
import { numberAsCategory, parseNumberText } from './number-text.js';
import { findColumn } from './rows.js';
import type { Column, ColumnRole, ColumnSettings, DataSettings, Dataset, TaskInfo } from './types.js';

/** An integer target with at most this many distinct values is read as classes. */
export const MAX_INTEGER_CLASSES = 20;
/** More classes than this is almost surely a mistake (a numeric target chosen as categories). */
export const MAX_CLASSES = 1000;

export const DEFAULT_SPLIT = { train: 0.7, validation: 0.15, test: 0.15, seed: 42, stratify: true } as const;

/** Row numbers, names, keys: one distinct value per row, so nothing a model can learn from. */
export function isIdentifierLike(column: Column, rowCount: number): boolean {
  if (column.kind === 'text') return true;
  if (column.kind !== 'integer' || rowCount < 20 || column.stats.missing > 0) return false;
  const consecutive = (column.stats.max as number) - (column.stats.min as number) + 1 === rowCount;
  // Past the exact-count limit the distinct count is only a lower bound; a capped integer column that spans
  // exactly one value per row is still a row counter.
  if (column.stats.uniqueCapped) return consecutive;
  if (column.stats.unique !== rowCount) return false;
  return consecutive || /(^|[^a-z])id$/i.test(column.name);
}

/** Whether a target column looks like class labels rather than a quantity. */
export function looksLikeClasses(column: Column, rowCount: number): boolean {
  if (column.kind === 'category' || column.kind === 'boolean' || column.kind === 'text') return true;
  if (column.kind !== 'integer') return false;
  const unique = column.stats.unique;
  return unique >= 2 && unique <= MAX_INTEGER_CLASSES && unique < rowCount;
}

/** The settings a column gets when it is not the target. */
export function columnDefaults(column: Column, rowCount: number): ColumnSettings {
  const name = column.name;
  switch (column.kind) {
    case 'number':
    case 'integer':
      return {
        name,
        role: isIdentifierLike(column, rowCount) ? 'ignore' : 'feature',
        treatAs: 'number',
        missing: 'mean',
        encoding: 'standardize',
      };
    case 'boolean':
      return { name, role: 'feature', treatAs: 'number', missing: 'mostFrequent', encoding: 'none' };
    case 'category':
      return { name, role: 'feature', treatAs: 'category', missing: 'mostFrequent', encoding: 'onehot' };
    case 'text':
      return { name, role: 'ignore', treatAs: 'category', missing: 'mostFrequent', encoding: 'onehot' };
    case 'empty':
      return { name, role: 'ignore', treatAs: 'number', missing: 'mean', encoding: 'standardize' };
  }
}

function targetDefaults(column: Column, rowCount: number): ColumnSettings {
  const classes = looksLikeClasses(column, rowCount);
  return {
    name: column.name,
    role: 'target',
    treatAs: classes ? 'category' : 'number',
    missing: 'drop',
    encoding: classes ? 'ordinal' : 'standardize',
  };
}

function defaultTarget(dataset: Dataset): Column | undefined {
  for (let j = dataset.columns.length - 1; j >= 0; j--) {
    const column = dataset.columns[j]!;
    if (column.kind !== 'empty' && !isIdentifierLike(column, dataset.rowCount)) return column;
  }
  return undefined;
}

/**
 * Settings for a freshly read dataset: the target is `target` or else the last usable column; numbers are
 * standardized with mean imputation, categories one-hot with most-frequent imputation, identifiers and
 * empty columns ignored; a 70/15/15 split, seed 42, stratified.
 */
export function defaultDataSettings(dataset: Dataset, target?: string): DataSettings {
  const targetColumn = target !== undefined ? findColumn(dataset, target) : defaultTarget(dataset);
  return {
    columns: dataset.columns.map((column) =>
      column === targetColumn ? targetDefaults(column, dataset.rowCount) : columnDefaults(column, dataset.rowCount),
    ),
    split: { ...DEFAULT_SPLIT },
  };
}

/** The one column with role 'target'; a DataError when there is none or more than one. */
export function targetSetting(dataset: Dataset, settings: DataSettings): ColumnSettings {
  const targets = settings.columns.filter((c) => c.role === 'target');
  const [target, second] = targets;
  if (target === undefined) {
    throw new DataError(
      'no-target',
      `${dataset.name}: no column is chosen as the target. Choose the column the model should predict.`,
      { file: dataset.name },
    );
  }
  if (second !== undefined) {
    const names = targets.map((c) => `'${c.name}'`).join(', ');
    throw new DataError(
      'many-targets',
      `${dataset.name}: ${targets.length} columns are chosen as the target (${names}). Keep one target and make the others features or ignore them.`,
      { file: dataset.name, column: second.name },
    );
  }
  return target;
}

/** The distinct non-missing values of a column as class names, numbers in numeric order, text sorted. */
export function classLabels(column: Column): string[] {
  let labels: string[];
  if (column.codes && column.categories) {
    const seen = new Uint8Array(column.categories.length);
    for (let i = 0; i < column.codes.length; i++) {
      const code = column.codes[i]!;
      if (code >= 0) seen[code] = 1;
    }
    labels = column.categories.filter((_, k) => seen[k] === 1);
  } else {
    const values = new Set<number>();
    const numbers = column.numbers ?? new Float64Array(0);
    for (let i = 0; i < numbers.length; i++) {
      const v = numbers[i]!;
      if (v === v) {
        values.add(v === 0 ? 0 : v);
        if (values.size > MAX_CLASSES) break;
      }
    }
    labels = [...values].map(numberAsCategory);
  }
  const asNumbers = labels.map((l) => parseNumberText(l));
  if (asNumbers.every((v) => !Number.isNaN(v))) {
    return labels
      .map((label, k) => ({ label, value: asNumbers[k]! }))
      .sort((a, b) => a.value - b.value)
      .map((e) => e.label);
  }
  return labels.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Classification when the target is treated as categories (binary for two classes), regression when it is
 * treated as numbers. defaultDataSettings makes that choice from the data: text, yes/no and small-integer
 * targets are classes, other numbers are quantities.
 */
export function inferTask(dataset: Dataset, settings: DataSettings): TaskInfo {
  const setting = targetSetting(dataset, settings);
  const column = findColumn(dataset, setting.name);
  if (setting.treatAs === 'number') return { kind: 'regression', target: column.name };
  const labels = classLabels(column);
  const place = { file: dataset.name, column: column.name };
  if (labels.length > MAX_CLASSES) {
    throw new DataError(
      'too-many-classes',
      `${dataset.name} column '${column.name}' has more than ${MAX_CLASSES} distinct values, too many to be classes. Treat the target as a number (regression).`,
      place,
    );
  }
  if (labels.length < 2) {
    throw new DataError(
      'one-class',
      `${dataset.name} column '${column.name}' has ${labels.length === 0 ? 'no values' : `only one value (${labels[0]})`}, so there is nothing to classify. Choose another target column.`,
      place,
    );
  }
  return { kind: labels.length === 2 ? 'binary' : 'multiclass', target: column.name, labels };
}

function replaceColumn(
  settings: DataSettings,
  name: string,
  make: (old: ColumnSettings) => ColumnSettings,
): DataSettings {
  return { ...settings, columns: settings.columns.map((c) => (c.name === name ? make(c) : c)) };
}

/** Make `name` the target; the previous target goes back to its feature defaults. */
export function setTarget(settings: DataSettings, dataset: Dataset, name: string): DataSettings {
  const column = findColumn(dataset, name);
  return {
    ...settings,
    columns: settings.columns.map((c) => {
      if (c.name === name) return targetDefaults(column, dataset.rowCount);
      if (c.role === 'target')
        return { ...columnDefaults(findColumn(dataset, c.name), dataset.rowCount), role: 'feature' };
      return c;
    }),
  };
}

/** Change one column's role; choosing 'target' moves the target. */
export function setColumnRole(settings: DataSettings, dataset: Dataset, name: string, role: ColumnRole): DataSettings {
  if (role === 'target') return setTarget(settings, dataset, name);
  return replaceColumn(settings, name, (c) =>
    c.role === 'target' ? { ...columnDefaults(findColumn(dataset, name), dataset.rowCount), role } : { ...c, role },
  );
}

/**
 * Change a column's settings. Switching `treatAs` also picks a fitting encoding and missing-value policy
 * unless the patch names them.
 */
export function updateColumnSettings(
  settings: DataSettings,
  name: string,
  patch: Partial<Omit<ColumnSettings, 'name'>>,
): DataSettings {
  return replaceColumn(settings, name, (c) => {
    const next: ColumnSettings = { ...c, ...patch, name: c.name };
    if (patch.treatAs && patch.treatAs !== c.treatAs) {
      if (patch.encoding === undefined)
        next.encoding = patch.treatAs === 'number' ? 'standardize' : c.role === 'target' ? 'ordinal' : 'onehot';
      if (
        patch.missing === undefined &&
        patch.treatAs === 'category' &&
        (c.missing === 'mean' || c.missing === 'median')
      )
        next.missing = 'mostFrequent';
    }
    return next;
  });
}
