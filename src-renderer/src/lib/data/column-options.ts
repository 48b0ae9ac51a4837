/** Which encodings and missing-value policies make sense for a column treated as numbers or categories. */
import type { CategoryEncoding, ColumnSettings, MissingPolicy, NumericEncoding } from '$contract/api.js';

type Option<T extends string> = { value: T; label: string };

/** What each word means to a person; keyed by the data layer's word lists, so a new word fails to compile here. */
const NUMERIC_LABELS: Record<NumericEncoding, string> = {
  standardize: 'standardize (z-score)',
  minmax: 'min–max to [0, 1]',
  none: 'as is',
};
const CATEGORY_LABELS: Record<CategoryEncoding, string> = {
  onehot: 'one-hot',
  ordinal: 'ordinal (0, 1, 2…)',
};
const MISSING_LABELS: Record<MissingPolicy, string> = {
  drop: 'drop the row',
  mean: 'fill with mean',
  median: 'fill with median',
  mostFrequent: 'fill with most frequent',
  constant: 'fill with a constant',
};

function optionsOf<T extends string>(labels: Record<T, string>): Array<Option<T>> {
  return (Object.keys(labels) as T[]).map((value) => ({ value, label: labels[value] }));
}

const NUMERIC_ENCODINGS = optionsOf(NUMERIC_LABELS);
const CATEGORY_ENCODINGS = optionsOf(CATEGORY_LABELS);
const ALL_MISSING = optionsOf(MISSING_LABELS);

export function missingOptions(treatAs: ColumnSettings['treatAs']): Array<{ value: MissingPolicy; label: string }> {
  return treatAs === 'number'
    ? ALL_MISSING
    : ALL_MISSING.filter((option) => option.value !== 'mean' && option.value !== 'median');
}

export function encodingOptions(treatAs: ColumnSettings['treatAs']): ReadonlyArray<Option<string>> {
  return treatAs === 'number' ? NUMERIC_ENCODINGS : CATEGORY_ENCODINGS;
}

/** The rule itself is shared with the command line. */
export { switchTreatAs } from '$core/data/column-rules.js';
