/** `layerlab inspect`: what LayerLab sees in a CSV file or an ONNX model, as a table a person can read. */
import path from 'node:path';
import { DataError, defaultDataSettings, inferTask, readCsv } from '../core/data/index.js';
import type { Column, Dataset, ReadCsvOptions, TaskInfo } from '../core/data/index.js';
import { inspectOnnx } from '../core/onnx/index.js';
import { parseFlags, UsageError } from './args.js';
import { NON_FINITE_USAGE, nonFiniteFlag } from './data-flags.js';

const USAGE = `Usage: layerlab inspect --data FILE.csv [--json] [--non-finite missing|refuse] [--encoding utf-8|windows-1252]
   or: layerlab inspect --model MODEL.onnx [--json]

${NON_FINITE_USAGE}
  --encoding windows-1252     read a file without a byte-order mark as Windows-1252 (Latin-1) instead of UTF-8`;

function table(rows: string[][]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function num(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '';
  return Math.abs(value) >= 1e5 || (Math.abs(value) < 1e-3 && value !== 0)
    ? value.toExponential(3)
    : String(+value.toFixed(4));
}

/** How a numeric column's cells were read, and which hold no float32 value, for a person reading the table. */
function readingNote(column: Column): string {
  const notes: string[] = [];
  const written = column.stats.written;
  if (written) notes.push(`${JSON.stringify(written.example)} read as ${written.value}`);
  const nonFinite = column.stats.nonFinite;
  if (nonFinite?.words) notes.push(`${nonFinite.words} inf/NaN read as missing`);
  if (nonFinite?.overflow) notes.push(`${nonFinite.overflow} too large for float32`);
  return notes.join('; ');
}

function fileLine(dataset: Dataset): string {
  const parts = [
    `${dataset.rowCount} rows`,
    `${dataset.columns.length} columns`,
    `delimiter ${JSON.stringify(dataset.delimiter)}`,
    dataset.hasHeader ? 'header' : 'no header',
  ];
  if (dataset.decimal === ',') parts.push('decimal comma');
  if (dataset.encoding && dataset.encoding !== 'utf-8') parts.push(dataset.encoding);
  return `${dataset.name}: ${parts.join(', ')}`;
}

/** The task, or why none can be inferred: a data problem is part of what inspect shows, not a failure. */
function taskOf(dataset: Dataset, settings: ReturnType<typeof defaultDataSettings>): TaskInfo | { error: string } {
  try {
    return inferTask(dataset, settings);
  } catch (error) {
    if (error instanceof DataError) return { error: error.message };
    throw error;
  }
}

function readOptions(values: Record<string, unknown>): ReadCsvOptions {
  const options: ReadCsvOptions = {};
  const nonFinite = nonFiniteFlag(values);
  if (nonFinite) options.nonFinite = nonFinite;
  const encoding = values.encoding;
  if (encoding !== undefined) {
    if (encoding !== 'utf-8' && encoding !== 'windows-1252')
      throw new UsageError(`--encoding must be utf-8 or windows-1252 (got "${String(encoding)}").`);
    options.encoding = encoding;
  }
  return options;
}

async function inspectData(file: string, asJson: boolean, options: ReadCsvOptions): Promise<void> {
  const dataset = await readCsv(path.resolve(file), options);
  const settings = defaultDataSettings(dataset);
  const task = taskOf(dataset, settings);
  if (asJson) {
    const columns = dataset.columns.map((c) => ({ name: c.name, kind: c.kind, ...c.stats, histogram: undefined }));
    const about = 'error' in task ? { task: null, taskError: task.error } : { task };
    process.stdout.write(
      `${JSON.stringify({ name: dataset.name, rows: dataset.rowCount, decimal: dataset.decimal, encoding: dataset.encoding, columns, settings, ...about, warnings: dataset.warnings.map((w) => w.message) }, null, 2)}\n`,
    );
    return;
  }
  const roles = new Map(settings.columns.map((c) => [c.name, c]));
  const rows = [['column', 'kind', 'role', 'encoding', 'missing', 'unique', 'min', 'max', 'mean', 'std', 'read']];
  for (const c of dataset.columns) {
    const s = roles.get(c.name);
    rows.push([
      c.name,
      c.kind,
      s?.role ?? '',
      s?.encoding ?? '',
      String(c.stats.missing),
      String(c.stats.unique),
      num(c.stats.min),
      num(c.stats.max),
      num(c.stats.mean),
      num(c.stats.std),
      readingNote(c),
    ]);
  }
  const taskLine =
    'error' in task
      ? `Task: none can be inferred. ${task.error}`
      : `Target: ${task.target} → ${task.kind}${task.labels ? ` (${task.labels.length} classes: ${task.labels.join(', ')})` : ''}`;
  process.stdout.write(`${fileLine(dataset)}\n\n${table(rows)}\n\n${taskLine}\n`);
  for (const warning of dataset.warnings) process.stdout.write(`Warning: ${warning.message}\n`);
}

async function inspectModel(file: string, asJson: boolean): Promise<void> {
  const info = await inspectOnnx(path.resolve(file));
  if (asJson) {
    process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
    return;
  }
  const io = (list: typeof info.inputs) =>
    table([['name', 'type', 'shape'], ...list.map((t) => [t.name, t.type, `[${t.shape.join(', ')}]`])]);
  process.stdout.write(
    `${path.basename(file)}: producer ${info.producer || 'unknown'}, opset ${info.opset}\n\nInputs:\n${io(info.inputs)}\n\nOutputs:\n${io(info.outputs)}\n`,
  );
  const entries = Object.entries(info.metadata);
  if (entries.length) {
    process.stdout.write('\nMetadata:\n');
    for (const [key, value] of entries) {
      process.stdout.write(`  ${key}: ${value.length > 200 ? `${value.slice(0, 200)}…` : value}\n`);
    }
  }
}

export async function inspectCommand(argv: string[]): Promise<number> {
  const values = parseFlags(
    argv,
    {
      data: { type: 'string' },
      model: { type: 'string' },
      json: { type: 'boolean' },
      'non-finite': { type: 'string' },
      encoding: { type: 'string' },
    },
    USAGE,
  );
  const asJson = values.json === true;
  if (typeof values.data === 'string') await inspectData(values.data, asJson, readOptions(values));
  else if (typeof values.model === 'string') await inspectModel(values.model, asJson);
  else throw new UsageError(USAGE);
  return 0;
}
