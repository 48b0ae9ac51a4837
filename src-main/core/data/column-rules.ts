/**
 * How a column's settings change when a person edits them, the same in the window and on the command line.
 * Pure and free of Node, because the window runs it too.
 */
import type { ColumnSettings } from './types.js';

/** Switching between numbers and categories resets the settings that only fit the other. */
export function switchTreatAs(column: ColumnSettings, treatAs: ColumnSettings['treatAs']): Partial<ColumnSettings> {
  if (column.treatAs === treatAs) return {};
  const missing =
    treatAs === 'category' && (column.missing === 'mean' || column.missing === 'median')
      ? 'mostFrequent'
      : column.missing;
  return { treatAs, encoding: treatAs === 'number' ? 'standardize' : 'onehot', missing, constant: undefined };
}
