/** Which encodings and missing-value policies make sense for a column treated as numbers or categories. */
import type { ColumnSettings, MissingPolicy } from '$contract/api.js';

export const NUMERIC_ENCODINGS = [
  { value: 'standardize', label: 'standardize (z-score)' },
  { value: 'minmax', label: 'min–max to [0, 1]' },
  { value: 'none', label: 'as is' },
] as const;

export const CATEGORY_ENCODINGS = [
  { value: 'onehot', label: 'one-hot' },
  { value: 'ordinal', label: 'ordinal (0, 1, 2…)' },
] as const;

const ALL_MISSING: Array<{ value: MissingPolicy; label: string }> = [
  { value: 'drop', label: 'drop the row' },
  { value: 'mean', label: 'fill with mean' },
  { value: 'median', label: 'fill with median' },
  { value: 'mostFrequent', label: 'fill with most frequent' },
  { value: 'constant', label: 'fill with a constant' },
];

export function missingOptions(treatAs: ColumnSettings['treatAs']): Array<{ value: MissingPolicy; label: string }> {
  return treatAs === 'number' ? ALL_MISSING : ALL_MISSING.filter((option) => option.value !== 'mean' && option.value !== 'median');
}

export function encodingOptions(treatAs: ColumnSettings['treatAs']): ReadonlyArray<{ value: string; label: string }> {
  return treatAs === 'number' ? NUMERIC_ENCODINGS : CATEGORY_ENCODINGS;
}

/** Switching between numbers and categories resets the settings that only fit the other. */
export function switchTreatAs(column: ColumnSettings, treatAs: ColumnSettings['treatAs']): Partial<ColumnSettings> {
  if (column.treatAs === treatAs) return {};
  const missing = treatAs === 'category' && (column.missing === 'mean' || column.missing === 'median') ? 'mostFrequent' : column.missing;
  return { treatAs, encoding: treatAs === 'number' ? 'standardize' : 'onehot', missing, constant: undefined };
}
