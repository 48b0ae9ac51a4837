/**
 * `layerlab train`'s data-settings flags: a DataSettings file, and per-column edits applied with the window's
 * rules (app/data-settings.ts), so the same choices give the same recorded settings either way.
 */
import {
  checkSettingsFit,
  COLUMN_WORDS,
  editColumn,
  kindPatch,
  readDataSettingsFile,
  SettingsFileError,
} from '../app/index.js';
import type { ColumnSettings, DataSettings, Dataset, ReadCsvOptions } from '../core/data/types.js';
import { UsageError } from './args.js';

/** The roles a flag may give; the target is chosen with --target. */
const FLAG_ROLES = COLUMN_WORDS.role.filter((role) => role !== 'target');

export const DATA_FLAGS = {
  'data-settings': { type: 'string' },
  role: { type: 'string', multiple: true },
  kind: { type: 'string', multiple: true },
  encoding: { type: 'string', multiple: true },
  missing: { type: 'string', multiple: true },
  split: { type: 'string' },
  'split-seed': { type: 'string' },
  'no-stratify': { type: 'boolean' },
} as const;

export const DATA_FLAGS_USAGE = `Data settings (as in the window's Data panel; applied in this order):
  --data-settings FILE.json   a DataSettings document (columns, split, image), e.g. from a saved project
  --kind COL=${COLUMN_WORDS.treatAs.join('|')}        treat a column as numbers or categories (resets its encoding)
  --role COL=${FLAG_ROLES.join('|')}         use a column as an input or leave it out
  --encoding COL=${COLUMN_WORDS.encoding.join('|')}
  --missing COL=${COLUMN_WORDS.missing.join('|')}   (constant: COL=constant:VALUE)
  --split TRAIN,VALIDATION,TEST   fractions adding up to 1, e.g. 0.7,0.15,0.15 (0 validation: no validation rows)
  --split-seed N  --no-stratify
  Column flags may be repeated, one column each.`;

function pairs(values: Record<string, unknown>, flag: string): Array<[string, string]> {
  const raw = values[flag];
  const list = Array.isArray(raw) ? (raw as string[]) : [];
  return list.map((item) => {
    const at = item.lastIndexOf('=');
    if (at <= 0) throw new UsageError(`--${flag} takes COLUMN=VALUE (got "${item}").`);
    return [item.slice(0, at), item.slice(at + 1)];
  });
}

function word<T extends string>(flag: string, column: string, value: string, words: readonly T[]): T {
  if (!(words as readonly string[]).includes(value)) {
    throw new UsageError(`--${flag} ${column}=${value}: must be one of ${words.join(', ')}.`);
  }
  return value as T;
}

function columnOf(settings: DataSettings, dataset: Dataset, flag: string, name: string): ColumnSettings {
  const column = settings.columns.find((c) => c.name === name);
  if (!column)
    throw new UsageError(
      `--${flag}: "${name}" is not a column of ${dataset.name}. Columns: ${dataset.columns.map((c) => c.name).join(', ')}`,
    );
  return column;
}

function parseSplit(text: string): [number, number, number] {
  const parts = text.split(',').map((part) => Number(part.trim()));
  if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p) || p < 0)) {
    throw new UsageError(`--split takes three fractions TRAIN,VALIDATION,TEST such as 0.7,0.15,0.15 (got "${text}").`);
  }
  const sum = parts[0]! + parts[1]! + parts[2]!;
  if (Math.abs(sum - 1) > 1e-9)
    throw new UsageError(`--split fractions must add up to 1 (got ${text}, which adds up to ${+sum.toFixed(6)}).`);
  return parts as [number, number, number];
}

/** The settings file, if any: checked against the schema and against this dataset's columns. */
export async function settingsFromFile(
  values: Record<string, unknown>,
  dataset: Dataset,
): Promise<DataSettings | null> {
  const file = values['data-settings'];
  if (typeof file !== 'string') return null;
  try {
    const settings = await readDataSettingsFile(file);
    checkSettingsFit(settings, dataset, `--data-settings ${file}`);
    return settings;
  } catch (error) {
    if (error instanceof SettingsFileError) throw new UsageError(`--data-settings: ${error.message}`);
    throw error;
  }
}

/** Applies the column and split flags to `base`. */
export function applyDataFlags(base: DataSettings, dataset: Dataset, values: Record<string, unknown>): DataSettings {
  let settings = base;
  for (const [name, value] of pairs(values, 'kind')) {
    const column = columnOf(settings, dataset, 'kind', name);
    settings = editColumn(settings, name, kindPatch(column, word('kind', name, value, COLUMN_WORDS.treatAs)));
  }
  for (const [name, value] of pairs(values, 'role')) {
    const column = columnOf(settings, dataset, 'role', name);
    if (column.role === 'target')
      throw new UsageError(
        `--role ${name}=${value}: ${name} is the target; choose another target with --target first.`,
      );
    settings = editColumn(settings, name, { role: word('role', name, value, FLAG_ROLES) });
  }
  for (const [name, value] of pairs(values, 'encoding')) {
    columnOf(settings, dataset, 'encoding', name);
    settings = editColumn(settings, name, { encoding: word('encoding', name, value, COLUMN_WORDS.encoding) });
  }
  for (const [name, value] of pairs(values, 'missing')) {
    const column = columnOf(settings, dataset, 'missing', name);
    const [policy = '', ...rest] = value.split(':');
    const missing = word('missing', name, policy, COLUMN_WORDS.missing);
    if (missing !== 'constant') {
      settings = editColumn(settings, name, { missing });
      continue;
    }
    const text = rest.join(':');
    if (text === '') throw new UsageError(`--missing ${name}=constant needs a value: ${name}=constant:VALUE.`);
    const constant = column.treatAs === 'number' ? Number(text) : text;
    if (typeof constant === 'number' && !Number.isFinite(constant))
      throw new UsageError(
        `--missing ${name}=constant:${text}: ${name} is treated as numbers, so the constant must be a number.`,
      );
    settings = editColumn(settings, name, { missing, constant });
  }
  const split = { ...settings.split };
  if (typeof values.split === 'string') [split.train, split.validation, split.test] = parseSplit(values.split);
  if (typeof values['split-seed'] === 'string') {
    const seed = Number(values['split-seed']);
    if (!Number.isInteger(seed))
      throw new UsageError(`--split-seed must be a whole number (got "${values['split-seed']}").`);
    split.seed = seed;
  }
  if (values['no-stratify'] === true) split.stratify = false;
  return { ...settings, split };
}

/** `--non-finite missing|refuse`: how a numeric column's inf/NaN cells are read, the same flag in every command. */
export const NON_FINITE_USAGE =
  '  --non-finite refuse         stop at an inf or NaN cell in a numeric column instead of reading it as missing';

export function nonFiniteFlag(values: Record<string, unknown>): ReadCsvOptions['nonFinite'] {
  const nonFinite = values['non-finite'];
  if (nonFinite === undefined) return undefined;
  if (nonFinite !== 'missing' && nonFinite !== 'refuse')
    throw new UsageError(`--non-finite must be missing or refuse (got "${String(nonFinite)}").`);
  return nonFinite;
}
