/** `layerlab runs`: a project's runs, numbered as `layerlab export --run N` takes them, with their final metrics. */
import path from 'node:path';
import { listRuns, type RunListing } from '../app/index.js';
import { loadProject } from '../core/project/index.js';
import { parseFlags, requireString } from './args.js';

const USAGE = `Usage: layerlab runs --project P.layerlab.json [--json]
Lists the project's runs, numbered 1.. in the order they were made, with the validation and test metrics of the
weights each kept. --json prints the same as JSON.`;

function metricsLine(metrics: Record<string, number | undefined>): string {
  const parts = Object.entries(metrics).map(([name, value]) => `${name} ${Number(value).toFixed(4)}`);
  return parts.length ? parts.join('  ') : 'none';
}

function keptWords(run: RunListing): string {
  if (run.keptEpoch === null) return 'no weights kept';
  return run.kept === 'best'
    ? `kept the best epoch (${run.keptEpoch}), restored by early stopping`
    : `kept the last epoch (${run.keptEpoch})`;
}

export function describeRun(run: RunListing): string {
  const started = run.startedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
  const best = run.bestEpoch === null ? '' : `, best epoch ${run.bestEpoch}`;
  const lines = [
    `Run ${run.number}  ${run.id}  started ${started}`,
    `  ${run.outcome}, ${run.epochs} epoch${run.epochs === 1 ? '' : 's'}${best}; ${keptWords(run)}`,
    `  validation: ${metricsLine(run.finalValidation)}`,
    `  test:       ${metricsLine(run.finalTest)}`,
  ];
  if (run.notExportable) lines.push(`  cannot be exported: ${run.notExportable}`);
  return lines.join('\n');
}

export async function runsCommand(argv: string[]): Promise<number> {
  const values = parseFlags(argv, { project: { type: 'string' }, json: { type: 'boolean' } }, USAGE);
  const projectPath = path.resolve(requireString(values, 'project', USAGE));
  const runs = listRuns(await loadProject(projectPath));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
    return 0;
  }
  const header = `${path.basename(projectPath)}: ${runs.length} run${runs.length === 1 ? '' : 's'}`;
  process.stdout.write([header, ...runs.map(describeRun)].join('\n\n') + '\n');
  return 0;
}
