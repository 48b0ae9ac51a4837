/** `layerlab inspect`: what LayerLab sees in a CSV file or an ONNX model, as a table a person can read. */
import path from 'node:path';
import { defaultDataSettings, inferTask, readCsv } from '../core/data/index.js';
import { inspectOnnx } from '../core/onnx/index.js';
import { parseFlags, UsageError } from './args.js';

const USAGE = `Usage: layerlab inspect --data FILE.csv [--json]
   or: layerlab inspect --model MODEL.onnx [--json]`;

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

async function inspectData(file: string, asJson: boolean): Promise<void> {
  const dataset = await readCsv(path.resolve(file));
  const settings = defaultDataSettings(dataset);
  const task = inferTask(dataset, settings);
  if (asJson) {
    const columns = dataset.columns.map((c) => ({ name: c.name, kind: c.kind, ...c.stats, histogram: undefined }));
    process.stdout.write(
      `${JSON.stringify({ name: dataset.name, rows: dataset.rowCount, columns, settings, task }, null, 2)}\n`,
    );
    return;
  }
  const roles = new Map(settings.columns.map((c) => [c.name, c]));
  const rows = [['column', 'kind', 'role', 'encoding', 'missing', 'unique', 'min', 'max', 'mean', 'std']];
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
    ]);
  }
  process.stdout.write(
    `${dataset.name}: ${dataset.rowCount} rows, ${dataset.columns.length} columns, delimiter ${JSON.stringify(dataset.delimiter)}, ` +
      `${dataset.hasHeader ? 'header' : 'no header'}\n\n${table(rows)}\n\n` +
      `Target: ${task.target} → ${task.kind}${task.labels ? ` (${task.labels.length} classes: ${task.labels.join(', ')})` : ''}\n`,
  );
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
    { data: { type: 'string' }, model: { type: 'string' }, json: { type: 'boolean' } },
    USAGE,
  );
  const asJson = values.json === true;
  if (typeof values.data === 'string') await inspectData(values.data, asJson);
  else if (typeof values.model === 'string') await inspectModel(values.model, asJson);
  else throw new UsageError(USAGE);
  return 0;
}
