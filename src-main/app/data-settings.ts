/**
 * Data settings from outside the window (a settings file, command-line edits), checked and changed by the same
 * rules the window applies, so a project built headless records what one built in the window records.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ColumnSettings, DataSettings, Dataset } from '../core/data/types.js';
import { columnSettingsSchema, dataSettingsSchema, describeIssues } from '../core/project/settings-schema.js';
import { switchTreatAs } from '../core/data/column-rules.js';

/** The words each column setting takes, from the one schema that checks them. */
export const COLUMN_WORDS = {
  role: columnSettingsSchema.shape.role.options,
  treatAs: columnSettingsSchema.shape.treatAs.options,
  missing: columnSettingsSchema.shape.missing.options,
  encoding: columnSettingsSchema.shape.encoding.options,
} as const;

export class SettingsFileError extends Error {}

/** A DataSettings document from `filePath`; every problem names the file and the field. */
export async function readDataSettingsFile(filePath: string): Promise<DataSettings> {
  const name = path.basename(filePath);
  let value: unknown;
  try {
    value = JSON.parse(await fs.readFile(filePath, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SettingsFileError(
      code === 'ENOENT' ? `${name}: file not found (${filePath}).` : `${name}: ${(error as Error).message}`,
    );
  }
  const parsed = dataSettingsSchema.safeParse(value);
  if (!parsed.success) {
    throw new SettingsFileError(
      `${name} is not valid data settings:\n- ${describeIssues(parsed.error)
        .map((line) => `${name}: ${line}`)
        .join('\n- ')}`,
    );
  }
  return parsed.data;
}

/** Settings made for another file do not fit this one: every column must be named, and no other. */
export function checkSettingsFit(settings: DataSettings, dataset: Dataset, source: string): void {
  const names = new Set(dataset.columns.map((c) => c.name));
  const given = new Set(settings.columns.map((c) => c.name));
  const unknown = [...given].filter((n) => !names.has(n));
  const missing = [...names].filter((n) => !given.has(n));
  if (unknown.length || missing.length) {
    const parts = [
      unknown.length ? `columns not in ${dataset.name}: ${unknown.join(', ')}` : '',
      missing.length ? `columns of ${dataset.name} it does not set: ${missing.join(', ')}` : '',
    ].filter(Boolean);
    throw new SettingsFileError(`${source} does not fit ${dataset.name} (${parts.join('; ')}).`);
  }
}

/** One column changed the way the window changes it; a new target sends the old one back to being a feature. */
export function editColumn(settings: DataSettings, name: string, patch: Partial<ColumnSettings>): DataSettings {
  const columns = settings.columns.map((column) => {
    if (column.name === name) return { ...column, ...patch };
    if (patch.role === 'target' && column.role === 'target') return { ...column, role: 'feature' as const };
    return column;
  });
  return { ...settings, columns };
}

/** Switching between numbers and categories resets the settings that only fit the other (the window's rule). */
export const kindPatch = switchTreatAs;
