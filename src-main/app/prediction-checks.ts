/**
 * What a prediction's input is questioned on, the same for the window's one-row form and the CLI: an empty or
 * mistyped field is refused by name, a category the model never saw is reported with what the model makes of
 * it, and a target column in the input is scored against the predictions.
 */
import { categoryKey, cellNumber } from '../core/data/number-text.js';
import type { CategoryFeature, FittedFeature, PredictionTable, RawRecord, RawValue } from '../core/data/types.js';
import type { OnnxInfo, OnnxValueInfo } from '../core/onnx/model-info.js';
import { OUTPUT_LABEL, OUTPUT_PREDICTION } from '../core/onnx/output-heads.js';
import type { RowNamer } from '../core/onnx/record-feeds.js';
import { accuracy, summarizeRegression } from '../core/training/metrics.js';

const isNumberInput = (input: OnnxValueInfo) => input.type !== 'string';

function featuresByName(info: OnnxInfo): Map<string, FittedFeature> {
  return new Map((info.layerlab?.preprocessing.features ?? []).map((f) => [f.name, f]));
}

/** Category inputs of a LayerLab model and the categories each saw in training. */
export function inputCategories(info: OnnxInfo): Record<string, string[]> {
  const categories: Record<string, string[]> = {};
  for (const feature of featuresByName(info).values())
    if (feature.type === 'category') categories[feature.name] = [...feature.categories];
  return categories;
}

function unseenMeaning(feature: CategoryFeature): string {
  return feature.encoding === 'onehot'
    ? 'the model reads it as no category (all zeros in its one-hot encoding)'
    : 'the model reads it as code -1, below every known category';
}

function listed(values: string[], limit = 8): string {
  const shown = values.slice(0, limit).map((v) => `"${v}"`);
  return values.length > limit ? `${shown.join(', ')} and ${values.length - limit} more` : shown.join(', ');
}

function unseenIn(feature: FittedFeature | undefined, value: RawValue | undefined): string | null {
  if (feature?.type !== 'category') return null;
  const key = categoryKey(value ?? null);
  return key !== null && !feature.categories.includes(key) ? key : null;
}

/**
 * Refuses records a person typed with a field left empty or a number field holding text, naming the field
 * (and the row when there are several). Returns a note per category value the model never saw.
 */
export function checkTypedRecords(
  info: OnnxInfo,
  records: RawRecord[],
  rowName: RowNamer = (i) => `row ${i + 1}`,
): string[] {
  const features = featuresByName(info);
  const notes: string[] = [];
  records.forEach((record, i) => {
    const where = records.length > 1 ? `${rowName(i)}: ` : '';
    for (const input of info.inputs) {
      const value = record[input.name];
      const number = isNumberInput(input);
      if (value === undefined || (number ? Number.isNaN(cellNumber(value)) : categoryKey(value) === null)) {
        throw new Error(`${where}${input.name} is empty: enter ${number ? 'a number' : 'a category'}.`);
      }
      if (number && cellNumber(value) === null) {
        throw new Error(`${where}${input.name} is "${String(value)}", which is not a number: enter a number.`);
      }
      const feature = features.get(input.name);
      const unseen = unseenIn(feature, value);
      if (unseen !== null && feature?.type === 'category') {
        notes.push(
          `${where}${input.name} "${unseen}" was not seen in training (${listed(feature.categories)}): ${unseenMeaning(feature)}.`,
        );
      }
    }
  });
  return notes;
}

/**
 * For a whole file, where empty cells are expected: how many were filled and which categories were unseen.
 * The values come from records or, for a dataset read directly, from a column's values by name.
 */
export function describeFileInputs(
  info: OnnxInfo,
  records: RawRecord[] | ((column: string) => ArrayLike<RawValue | undefined>),
): string[] {
  const notes: string[] = [];
  for (const feature of featuresByName(info).values()) {
    const values = Array.from(
      typeof records === 'function' ? records(feature.name) : records.map((r) => r[feature.name]),
    );
    const empty =
      feature.type === 'number'
        ? values.filter((v) => Number.isNaN(cellNumber(v))).length
        : values.filter((v) => categoryKey(v ?? null) === null).length;
    if (empty > 0) {
      const fill =
        feature.fill === null ? 'read as no category' : `filled with the training value ${String(feature.fill)}`;
      notes.push(`${feature.name}: ${empty} empty ${empty === 1 ? 'cell' : 'cells'} ${fill}.`);
    }
    if (feature.type !== 'category') continue;
    const unseen = values.map((v) => unseenIn(feature, v)).filter((v): v is string => v !== null);
    if (unseen.length > 0) {
      notes.push(
        `${feature.name}: ${unseen.length} ${unseen.length === 1 ? 'row holds a category' : 'rows hold categories'} not seen in training (${listed([...new Set(unseen)])}): ${unseenMeaning(feature)}.`,
      );
    }
  }
  return notes;
}

/**
 * When the records hold the model's target column, adds to the table (inputs first, then `outputs`' columns)
 * whether each row is right (classification) or its error (regression), and the summary metrics.
 */
export function scoreAgainstTarget(
  info: OnnxInfo,
  records: RawRecord[],
  outputs: PredictionTable,
  table: PredictionTable,
): PredictionTable {
  const task = info.layerlab?.task;
  if (!task || !records.some((r) => task.target in r)) return table;
  const classifies = task.kind !== 'regression';
  const outputIndex = outputs.columns.indexOf(classifies ? OUTPUT_LABEL : OUTPUT_PREDICTION);
  if (outputIndex < 0) return table;
  const predictedIndex = table.columns.length - outputs.columns.length + outputIndex;
  const actual: number[] = [];
  const predicted: number[] = [];
  const checks = table.rows.map((row, i): RawValue => {
    const cell = records[i]?.[task.target] ?? null;
    const guess = row[predictedIndex] ?? null;
    if (classifies) {
      const truth = categoryKey(cell);
      if (truth === null) return null;
      const right = truth === String(guess);
      actual.push(1);
      predicted.push(right ? 1 : 0);
      return right ? 'yes' : 'no';
    }
    const truth = cellNumber(cell);
    if (truth === null || Number.isNaN(truth) || typeof guess !== 'number') return null;
    actual.push(truth);
    predicted.push(guess);
    return guess - truth;
  });
  const checkColumn = classifies ? 'correct' : 'error';
  const metrics: Record<string, number> = classifies
    ? { accuracy: accuracy(actual, predicted) }
    : { ...summarizeRegression(actual, predicted) };
  return {
    ...table,
    columns: [...table.columns, table.columns.includes(checkColumn) ? `predicted_${checkColumn}` : checkColumn],
    rows: table.rows.map((row, i) => [...row, checks[i] ?? null]),
    score: {
      actualColumn: task.target,
      predictedColumn: table.columns[predictedIndex]!,
      rows: actual.length,
      metrics,
    },
  };
}
