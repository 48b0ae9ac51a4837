/**
 * prepareData: from a Dataset and its settings to model-ready arrays. The order matters: pick usable rows,
 * split them (seeded), fit the preprocessor on the training rows only, then encode every split with the
 * same arithmetic prediction uses (encode.ts).
 */
import { encodeNumber, featureWidth, scaleTarget, writeCategory } from './encode.js';
import { DataError, quoteCell } from './errors.js';
import { overflowError } from './non-finite.js';
import { numberAsCategory, parseNumberText } from './number-text.js';
import { findColumn } from './rows.js';
import { inferTask, targetSetting } from './settings.js';
import { splitRows } from './split.js';
import type {
  CategoryFeature,
  Column,
  ColumnSettings,
  CsvWarning,
  DataSettings,
  Dataset,
  FittedFeature,
  NumericFeature,
  PreparedData,
  Preprocessor,
  SplitData,
  SplitSettings,
  TaskInfo,
} from './types.js';

const f32 = Math.fround;
/** Classes with fewer rows than this get a warning: too few to learn from and to measure. */
export const SMALL_CLASS_ROWS = 10;

interface NumberSource {
  kind: 'number';
  setting: ColumnSettings;
  values: Float64Array;
}
interface CategorySource {
  kind: 'category';
  setting: ColumnSettings;
  codes: Int32Array;
  categories: string[];
}
type FeatureSource = NumberSource | CategorySource;

export function lineOfRow(dataset: Dataset, row: number): number {
  return dataset.rowLines ? dataset.rowLines[row]! : row + (dataset.hasHeader ? 2 : 1);
}

function checkSplit(file: string, split: SplitSettings): void {
  const { train, validation, test } = split;
  const fractions = [train, validation, test];
  if (fractions.some((f) => !Number.isFinite(f) || f < 0) || train <= 0) {
    throw new DataError(
      'bad-split',
      `${file}: the split fractions (train ${train}, validation ${validation}, test ${test}) must be 0 or more, with some rows for training.`,
      { file },
    );
  }
  if (Math.abs(train + validation + test - 1) > 1e-6) {
    throw new DataError(
      'bad-split',
      `${file}: the split fractions add up to ${+(train + validation + test).toFixed(6)} (train ${train} + validation ${validation} + test ${test}); they must add up to 1.`,
      { file },
    );
  }
}

function checkColumns(dataset: Dataset, settings: DataSettings): void {
  const seen = new Map<string, ColumnSettings>();
  for (const setting of settings.columns) {
    findColumn(dataset, setting.name);
    const before = seen.get(setting.name);
    if (before) {
      const detail = before.role !== setting.role ? ` (once as ${before.role}, once as ${setting.role})` : '';
      throw new DataError(
        'duplicate-column',
        `${dataset.name} column '${setting.name}' appears twice in the settings${detail}. A column can be the target or a feature, not both.`,
        { file: dataset.name, column: setting.name },
      );
    }
    seen.set(setting.name, setting);
  }
}

/** Numbers of a column, for a column treated as numbers. Text cells in a category column are an error. */
function numbersOf(dataset: Dataset, column: Column, purpose: string): Float64Array {
  if ((column.nonFinite?.overflow.count ?? 0) > 0) throw overflowError(dataset.name, column);
  if (column.numbers) return column.numbers;
  const categories = column.categories as string[];
  const codes = column.codes as Int32Array;
  const parsed = categories.map((c) => parseNumberText(c));
  const values = new Float64Array(codes.length);
  const bad: string[] = [];
  let badCount = 0;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    const value = code < 0 ? NaN : parsed[code]!;
    if (code >= 0 && Number.isNaN(value)) {
      badCount++;
      if (bad.length < 3) bad.push(`line ${lineOfRow(dataset, i)} ${quoteCell(categories[code]!)}`);
    }
    values[i] = value;
  }
  if (badCount > 0) {
    throw new DataError(
      'not-numeric',
      `${dataset.name} column '${column.name}' is used as ${purpose}, but ${badCount} of its cells are text (${bad.join(', ')}${badCount > bad.length ? ', ...' : ''}). Treat it as a category, or fix those cells.`,
      {
        file: dataset.name,
        column: column.name,
        line: lineOfRow(
          dataset,
          codes.findIndex((c) => c >= 0 && Number.isNaN(parsed[c])),
        ),
      },
    );
  }
  return values;
}

/** Category codes of a column; numbers (and yes/no columns) become categories in their canonical text. */
function categoriesOf(column: Column): { codes: Int32Array; categories: string[] } {
  if (column.codes && column.categories && column.kind !== 'boolean')
    return { codes: column.codes, categories: column.categories };
  const numbers = column.numbers as Float64Array;
  const codes = new Int32Array(numbers.length);
  const categories: string[] = [];
  const lookup = new Map<number, number>();
  for (let i = 0; i < numbers.length; i++) {
    const v = numbers[i]!;
    if (v !== v) {
      codes[i] = -1;
      continue;
    }
    const key = v === 0 ? 0 : v;
    let code = lookup.get(key);
    if (code === undefined) {
      code = categories.length;
      categories.push(numberAsCategory(key));
      lookup.set(key, code);
    }
    codes[i] = code;
  }
  return { codes, categories };
}

function featureSource(dataset: Dataset, setting: ColumnSettings): FeatureSource {
  const column = findColumn(dataset, setting.name);
  if (setting.treatAs === 'number') {
    return { kind: 'number', setting, values: numbersOf(dataset, column, 'a numeric feature') };
  }
  return { kind: 'category', setting, ...categoriesOf(column) };
}

function isMissingIn(source: FeatureSource, row: number): boolean {
  return source.kind === 'number' ? Number.isNaN(source.values[row]) : source.codes[row]! < 0;
}

/** Target per row: class index, or the raw number for regression; NaN when missing. */
function targetValues(dataset: Dataset, task: TaskInfo): Float64Array {
  const column = findColumn(dataset, task.target);
  if (task.kind === 'regression') return numbersOf(dataset, column, 'a regression target (numbers)');
  const labelIndex = new Map((task.labels as string[]).map((label, k) => [label, k]));
  const { codes, categories } =
    column.kind === 'boolean'
      ? { codes: column.codes as Int32Array, categories: column.categories as string[] }
      : categoriesOf(column);
  const codeToClass = categories.map((c) => labelIndex.get(c) ?? -1);
  const y = new Float64Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    const cls = code < 0 ? -1 : codeToClass[code]!;
    y[i] = cls < 0 ? NaN : cls;
  }
  return y;
}

function sortedValues(values: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  let n = 0;
  for (let k = 0; k < rows.length; k++) {
    const v = values[rows[k]!]!;
    if (v === v) out[n++] = v;
  }
  return out.subarray(0, n).sort();
}

function mostFrequentSorted(sorted: Float64Array): number {
  let best = sorted[0]!;
  let bestRun = 0;
  let run = 0;
  for (let i = 0; i < sorted.length; i++) {
    run = i > 0 && sorted[i] === sorted[i - 1] ? run + 1 : 1;
    if (run > bestRun) {
      bestRun = run;
      best = sorted[i]!;
    }
  }
  return best;
}

function fitNumber(dataset: Dataset, source: NumberSource, train: Int32Array): NumericFeature {
  const { setting, values } = source;
  const sorted = sortedValues(values, train);
  const n = sorted.length;
  if (n === 0) {
    throw new DataError(
      'feature-all-missing',
      `${dataset.name} column '${setting.name}' has no values in the training rows, so nothing can be learned from it. Set it to ignore.`,
      { file: dataset.name, column: setting.name },
    );
  }
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i]!;
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (sorted[i]! - mean) * (sorted[i]! - mean);
  const std = Math.sqrt(squares / n);
  const median = n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  let fill: number;
  switch (setting.missing) {
    case 'median':
      fill = median;
      break;
    case 'mostFrequent':
      fill = mostFrequentSorted(sorted);
      break;
    case 'constant': {
      const constant =
        typeof setting.constant === 'number' ? setting.constant : parseNumberText(String(setting.constant ?? '0'));
      if (Number.isNaN(constant)) {
        throw new DataError(
          'bad-constant',
          `${dataset.name} column '${setting.name}': the fill value '${setting.constant}' is not a number. Enter a number to fill missing cells with.`,
          { file: dataset.name, column: setting.name },
        );
      }
      fill = constant;
      break;
    }
    default:
      fill = mean;
  }
  const encoding = setting.encoding;
  let scale: NumericFeature['scale'];
  if (encoding === 'standardize') {
    const std32 = f32(std);
    scale = { kind: 'standardize', mean: f32(mean), std: std32 > 0 && Number.isFinite(std32) ? std32 : 1 };
  } else if (encoding === 'minmax') {
    scale = { kind: 'minmax', min: f32(sorted[0]!), max: f32(sorted[n - 1]!) };
  } else if (encoding === 'none') {
    scale = { kind: 'none' };
  } else {
    throw new DataError(
      'bad-encoding',
      `${dataset.name} column '${setting.name}' is treated as numbers but its encoding is '${encoding}'. Choose standardize, minmax or none.`,
      { file: dataset.name, column: setting.name },
    );
  }
  return { name: setting.name, type: 'number', fill: f32(fill), dropMissing: setting.missing === 'drop', scale };
}

/** Sorted training categories and, per source code, the index into them (-1 for codes unseen in training). */
function fitCategory(
  dataset: Dataset,
  source: CategorySource,
  train: Int32Array,
): { feature: CategoryFeature; codeToIndex: Int32Array } {
  const { setting, codes, categories: sourceCategories } = source;
  const counts = new Float64Array(sourceCategories.length);
  for (let k = 0; k < train.length; k++) {
    const code = codes[train[k]!]!;
    if (code >= 0) counts[code]!++;
  }
  const seen = sourceCategories.filter((_, code) => counts[code]! > 0);
  if (seen.length === 0) {
    throw new DataError(
      'feature-all-missing',
      `${dataset.name} column '${setting.name}' has no values in the training rows, so nothing can be learned from it. Set it to ignore.`,
      { file: dataset.name, column: setting.name },
    );
  }
  const encoding = setting.encoding;
  if (encoding !== 'onehot' && encoding !== 'ordinal') {
    throw new DataError(
      'bad-encoding',
      `${dataset.name} column '${setting.name}' is treated as categories but its encoding is '${encoding}'. Choose onehot or ordinal.`,
      { file: dataset.name, column: setting.name },
    );
  }
  let fill: string | null;
  if (setting.missing === 'drop') {
    fill = null;
  } else if (setting.missing === 'constant' && setting.constant !== undefined && String(setting.constant) !== '') {
    fill = String(setting.constant);
    if (!seen.includes(fill)) seen.push(fill);
  } else {
    let best = -1;
    for (let code = 0; code < counts.length; code++) {
      if (
        counts[code]! > 0 &&
        (best < 0 ||
          counts[code]! > counts[best]! ||
          (counts[code] === counts[best] && sourceCategories[code]! < sourceCategories[best]!))
      )
        best = code;
    }
    fill = sourceCategories[best]!;
  }
  const categories = seen.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(categories.map((c, k) => [c, k]));
  const codeToIndex = Int32Array.from(sourceCategories, (c) => index.get(c) ?? -1);
  return {
    feature: {
      name: setting.name,
      type: 'category',
      categories,
      encoding,
      fill,
      dropMissing: setting.missing === 'drop',
    },
    codeToIndex,
  };
}

interface Fitted {
  feature: FittedFeature;
  source: FeatureSource;
  /** Category features: source code to category index; the fill's index for a missing cell. */
  codeToIndex?: Int32Array;
  missingIndex?: number;
}

function encodeSplit(
  dataset: Dataset,
  rows: Int32Array,
  fitted: Fitted[],
  width: number,
  target: Float64Array,
  task: TaskInfo,
  targetScale?: { mean: number; std: number },
): SplitData {
  const count = rows.length;
  const x = new Float32Array(count * width);
  const y = new Float32Array(count);
  let offset = 0;
  for (const { feature, source, codeToIndex, missingIndex } of fitted) {
    if (feature.type === 'number') {
      const values = (source as NumberSource).values;
      for (let k = 0; k < count; k++) x[k * width + offset] = encodeNumber(feature, values[rows[k]!]!);
    } else {
      const codes = (source as CategorySource).codes;
      const map = codeToIndex as Int32Array;
      for (let k = 0; k < count; k++) {
        const code = codes[rows[k]!]!;
        writeCategory(feature, code < 0 ? (missingIndex as number) : map[code]!, x, k * width + offset);
      }
    }
    offset += featureWidth(feature);
  }
  for (let k = 0; k < count; k++) {
    const t = target[rows[k]!]!;
    y[k] = task.kind === 'regression' && targetScale ? scaleTarget(targetScale, t) : t;
  }
  checkFinite(dataset, x, y, rows, fitted, width, task.target);
  return { x, y, rows, count };
}

/**
 * The last check before training: every encoded input and target is a finite float32. Whatever slipped past
 * the reader's checks (a huge fill constant, a value that overflows once scaled) is named by column and line.
 */
function checkFinite(
  dataset: Dataset,
  x: Float32Array,
  y: Float32Array,
  rows: Int32Array,
  fitted: Fitted[],
  width: number,
  targetName: string,
): void {
  let bad = -1;
  for (let i = 0; i < x.length; i++) {
    if (x[i]! - x[i]! !== 0) {
      bad = i;
      break;
    }
  }
  if (bad >= 0) {
    const row = Math.floor(bad / width);
    let offset = bad - row * width;
    let feature = fitted[0]!.feature;
    for (const f of fitted) {
      feature = f.feature;
      const w = featureWidth(feature);
      if (offset < w) break;
      offset -= w;
    }
    throw nonFiniteInput(dataset, feature.name, rows[row]!, x[bad]!, 'input');
  }
  for (let k = 0; k < y.length; k++) {
    if (y[k]! - y[k]! !== 0) throw nonFiniteInput(dataset, targetName, rows[k]!, y[k]!, 'target');
  }
}

function nonFiniteInput(dataset: Dataset, column: string, row: number, value: number, role: string): DataError {
  const line = lineOfRow(dataset, row);
  return new DataError(
    'non-finite-input',
    `${dataset.name} line ${line}, column '${column}': this ${role} becomes ${value} once encoded for the model, so the model could not train on it. Rescale the column in the file (keep its values well inside ±1e38), or change its missing-value fill or encoding.`,
    { file: dataset.name, line, column },
  );
}

function targetOrderWarning(
  dataset: Dataset,
  task: TaskInfo,
  target: Float64Array,
  rows: Int32Array,
): CsvWarning | null {
  if (rows.length < 3) return null;
  let changes = 0;
  let up = true;
  let down = true;
  for (let k = 1; k < rows.length; k++) {
    const a = target[rows[k - 1]!]!;
    const b = target[rows[k]!]!;
    if (a !== b) changes++;
    if (b < a) up = false;
    if (b > a) down = false;
  }
  const sorted =
    task.kind === 'regression'
      ? changes > 0 && (up || down)
      : changes > 0 && changes === (task.labels as string[]).length - 1;
  if (!sorted) return null;
  const how =
    task.kind === 'regression' ? `sorted by '${task.target}'` : `grouped by '${task.target}' (one class after another)`;
  return {
    code: 'target-sorted',
    column: task.target,
    message: `${dataset.name}: the rows are ${how}. LayerLab shuffles the rows before splitting, so training is fine, but shuffle the file before using it with a tool that splits rows in order.`,
  };
}

function classWarnings(
  dataset: Dataset,
  task: TaskInfo,
  target: Float64Array,
  split: { train: Int32Array; validation: Int32Array; test: Int32Array },
): CsvWarning[] {
  const labels = task.labels as string[];
  const warnings: CsvWarning[] = [];
  const countIn = (rows: Int32Array): number[] => {
    const counts = new Array<number>(labels.length).fill(0);
    for (let k = 0; k < rows.length; k++) counts[target[rows[k]!]!]!++;
    return counts;
  };
  const train = countIn(split.train);
  const validation = countIn(split.validation);
  const test = countIn(split.test);
  const small: string[] = [];
  const unmeasured: string[] = [];
  labels.forEach((label, c) => {
    const total = train[c]! + validation[c]! + test[c]!;
    if (total < SMALL_CLASS_ROWS) {
      small.push(`'${label}' (${total})`);
      warnings.push({
        code: 'small-class',
        column: task.target,
        message: `${dataset.name} column '${task.target}': class '${label}' has only ${total} row${total === 1 ? '' : 's'} (${train[c]} for training). The model can hardly learn it; add rows of this class or merge it with another.`,
      });
    } else if ((split.validation.length > 0 && validation[c] === 0) || (split.test.length > 0 && test[c] === 0)) {
      unmeasured.push(`'${label}'`);
      warnings.push({
        code: 'class-missing-from-split',
        column: task.target,
        message: `${dataset.name} column '${task.target}': class '${label}' has no rows in the ${validation[c] === 0 ? 'validation' : 'test'} split. Its scores there will not be measured; use larger splits or more data.`,
      });
    }
  });
  if (small.length <= SUMMARY_FROM && unmeasured.length <= SUMMARY_FROM) return warnings;
  // Hundreds of classes would print hundreds of lines: one line per kind of problem says the same.
  const about = `${dataset.name} column '${task.target}'`;
  const summary: CsvWarning[] = [];
  if (small.length > 0) {
    summary.push({
      code: 'small-class',
      column: task.target,
      message: `${about}: ${small.length} classes have fewer than ${SMALL_CLASS_ROWS} rows each (${listFirst(small)}). The model can hardly learn them; add rows of these classes, merge them, or treat '${task.target}' as a number.`,
    });
  }
  if (unmeasured.length > 0) {
    summary.push({
      code: 'class-missing-from-split',
      column: task.target,
      message: `${about}: ${unmeasured.length} classes have no rows in the validation or test split (${listFirst(unmeasured)}). Their scores there will not be measured; use larger splits or more data.`,
    });
  }
  return summary;
}

/** Past this many warnings of one kind about the classes, they are summarised in one line. */
const SUMMARY_FROM = 5;

function listFirst(items: string[]): string {
  return items.length > SUMMARY_FROM ? `${items.slice(0, SUMMARY_FROM).join(', ')}, ...` : items.join(', ');
}

/**
 * Build model-ready splits. Documented choices:
 * - Rows with a missing target are always dropped; rows with a missing value in a column whose policy is
 *   'drop' are dropped too (counted in droppedRows, with a warning).
 * - A numeric column's few non-number cells (see Column.nonNumeric) are missing values and are filled by the
 *   column's missing policy; the read warning is repeated here. A column that is mostly text cannot be used
 *   as numbers: that is a DataError naming the column and the first cells.
 * - Statistics (mean, std, min, max, median, most frequent, categories, target scale) come from the training
 *   rows only.
 */
export function prepareData(dataset: Dataset, settings: DataSettings): PreparedData {
  const file = dataset.name;
  checkSplit(file, settings.split);
  checkColumns(dataset, settings);
  const targetName = targetSetting(dataset, settings).name;
  const featureSettings = settings.columns.filter((c) => c.role === 'feature');
  if (featureSettings.length === 0) {
    throw new DataError(
      'no-features',
      `${file}: no column is chosen as a feature, so the model has nothing to predict '${targetName}' from. Make at least one column a feature.`,
      { file, column: targetName },
    );
  }
  const task = inferTask(dataset, settings);
  const target = targetValues(dataset, task);
  const sources = featureSettings.map((setting) => featureSource(dataset, setting));
  const warnings: CsvWarning[] = [];
  const used = new Set([targetName, ...featureSettings.map((s) => s.name)]);
  for (const warning of dataset.warnings)
    if (warning.column === undefined || used.has(warning.column)) warnings.push(warning);

  const keep: number[] = [];
  let missingTarget = 0;
  let missingFeature = 0;
  const dropping = sources.filter((s) => s.setting.missing === 'drop');
  for (let row = 0; row < dataset.rowCount; row++) {
    if (Number.isNaN(target[row])) {
      missingTarget++;
      continue;
    }
    if (dropping.some((s) => isMissingIn(s, row))) {
      missingFeature++;
      continue;
    }
    keep.push(row);
  }
  const droppedRows = missingTarget + missingFeature;
  if (droppedRows > 0) {
    const parts = [];
    if (missingTarget > 0) parts.push(`${missingTarget} with no '${targetName}' value`);
    if (missingFeature > 0) parts.push(`${missingFeature} with a missing value in a column set to 'drop'`);
    warnings.push({
      code: 'dropped-rows',
      message: `${file}: ${droppedRows} row${droppedRows === 1 ? '' : 's'} left out (${parts.join(', ')}).`,
    });
  }
  if (keep.length === 0) throw noUsableRows(dataset, targetName, missingTarget, dropping);
  const rows = Int32Array.from(keep);
  const classCount = task.labels?.length ?? 0;
  const classes = task.kind === 'regression' ? undefined : Int32Array.from(rows, (row) => target[row]!);
  const split = splitRows(rows, settings.split, classes, classCount);
  if (split.train.length === 0) {
    throw new DataError(
      'too-few-rows',
      `${file}: only ${rows.length} usable row${rows.length === 1 ? '' : 's'}, so the training split is empty. Add rows or give training a larger share.`,
      { file },
    );
  }

  const fitted: Fitted[] = sources.map((source) => {
    if (source.kind === 'number') return { feature: fitNumber(dataset, source, split.train), source };
    const { feature, codeToIndex } = fitCategory(dataset, source, split.train);
    const missingIndex = feature.fill === null ? -1 : feature.categories.indexOf(feature.fill);
    return { feature, source, codeToIndex, missingIndex };
  });
  const encodedWidth = fitted.reduce((sum, f) => sum + featureWidth(f.feature), 0);
  const inputShape = imageShape(dataset, settings, encodedWidth);

  let targetScale: { mean: number; std: number } | undefined;
  if (task.kind === 'regression') {
    const values = sortedValues(target, split.train);
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[i]!;
    const mean = sum / values.length;
    let squares = 0;
    for (let i = 0; i < values.length; i++) squares += (values[i]! - mean) * (values[i]! - mean);
    const std = f32(Math.sqrt(squares / values.length));
    targetScale = { mean: f32(mean), std: std > 0 && Number.isFinite(std) ? std : 1 };
  }

  const preprocessor: Preprocessor = { features: fitted.map((f) => f.feature), encodedWidth, inputShape, task };
  if (targetScale) preprocessor.targetScale = targetScale;

  for (const f of fitted) {
    const feature = f.feature;
    if (feature.type === 'number' && feature.scale.kind === 'standardize' && feature.scale.std === 1) {
      const sorted = sortedValues((f.source as NumberSource).values, split.train);
      if (sorted[0] === sorted[sorted.length - 1]) {
        warnings.push({
          code: 'constant-feature',
          column: feature.name,
          message: `${file} column '${feature.name}' has the same value (${sorted[0]}) in every training row, so it cannot help the model. You may set it to ignore.`,
        });
      }
    }
    if (feature.type === 'category' && f.codeToIndex) {
      let unseen = 0;
      const codes = (f.source as CategorySource).codes;
      for (const rowsOfSplit of [split.validation, split.test]) {
        for (let k = 0; k < rowsOfSplit.length; k++) {
          const code = codes[rowsOfSplit[k]!]!;
          if (code >= 0 && f.codeToIndex[code]! < 0) unseen++;
        }
      }
      if (unseen > 0) {
        warnings.push({
          code: 'unseen-categories',
          column: feature.name,
          message: `${file} column '${feature.name}': ${unseen} validation/test row${unseen === 1 ? ' has a category' : 's have categories'} never seen in training; ${feature.encoding === 'onehot' ? 'they are encoded as all zeros' : 'they are encoded as -1'}.`,
        });
      }
    }
  }
  const order = targetOrderWarning(dataset, task, target, rows);
  if (order) warnings.push(order);
  if (task.kind !== 'regression') warnings.push(...classWarnings(dataset, task, target, split));

  return {
    preprocessor,
    train: encodeSplit(dataset, split.train, fitted, encodedWidth, target, task, targetScale),
    validation: encodeSplit(dataset, split.validation, fitted, encodedWidth, target, task, targetScale),
    test: encodeSplit(dataset, split.test, fitted, encodedWidth, target, task, targetScale),
    droppedRows,
    warnings,
  };
}

/** Why not one row is left: the target is empty everywhere, or every row misses a value set to 'drop'. */
function noUsableRows(
  dataset: Dataset,
  targetName: string,
  missingTarget: number,
  dropping: FeatureSource[],
): DataError {
  const file = dataset.name;
  if (missingTarget === dataset.rowCount) {
    const column = findColumn(dataset, targetName);
    const words = column.nonFinite?.words.count ?? 0;
    const what = words > 0 ? ` (${words} of its cells say inf or NaN, which are missing values)` : '';
    return new DataError(
      'target-all-missing',
      `${file} column '${targetName}', the target, has no value in any of the ${dataset.rowCount} rows${what}, so there is nothing to learn. Choose another target column, or fill in its values.`,
      { file, column: targetName },
    );
  }
  const names = dropping.map((s) => `'${s.setting.name}'`).join(', ');
  return new DataError(
    'no-usable-rows',
    `${file}: every row with a '${targetName}' value misses a value in a column set to drop rows (${names}), so no row is left. Fill those missing values with the mean, median or most frequent value instead of dropping.`,
    { file, column: dropping[0]?.setting.name ?? targetName },
  );
}

function imageShape(dataset: Dataset, settings: DataSettings, encodedWidth: number): number[] {
  const shape = settings.image?.shape;
  if (!shape || shape.length === 0) return [encodedWidth];
  const file = dataset.name;
  if (shape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new DataError(
      'image-shape',
      `${file}: the image shape [${shape.join(', ')}] must be whole numbers above 0, e.g. [8, 8, 1].`,
      { file },
    );
  }
  const product = shape.reduce((a, b) => a * b, 1);
  if (product !== encodedWidth) {
    throw new DataError(
      'image-shape',
      `${file}: the image shape [${shape.join(', ')}] holds ${product} values, but the features encode to ${encodedWidth} (one-hot columns count once per category). Choose a shape whose sizes multiply to ${encodedWidth}, or change which columns are features.`,
      { file },
    );
  }
  return [...shape];
}
