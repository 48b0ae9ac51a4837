/**
 * `npm run bench`: measures what the issues set targets for, prints a table and writes
 * bench-results/bench.json. Sections can be chosen: `npm run bench -- training insight start csv large onnx ui`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { meets, type BenchResult } from './stats.js';

type Section = 'training' | 'insight' | 'start' | 'csv' | 'large' | 'onnx' | 'ui';
const ALL: Section[] = ['training', 'insight', 'start', 'csv', 'large', 'onnx', 'ui'];

async function runSection(section: Section): Promise<BenchResult[]> {
  switch (section) {
    case 'training':
      return (await import('./bench-training.js')).benchTraining(['tensorflow', 'wasm', 'cpu']);
    case 'insight':
      return (await import('./bench-insight.js')).benchInsight();
    case 'start':
      return (await import('./bench-start.js')).benchStart();
    case 'csv':
      return (await import('./bench-csv.js')).benchCsv();
    case 'large':
      return (await import('./bench-large.js')).benchLarge();
    case 'onnx':
      return (await import('./bench-onnx.js')).benchOnnx();
    case 'ui':
      return (await import('./bench-ui.js')).benchUi();
  }
}

function formatValue(r: BenchResult): string {
  return `${r.value.toLocaleString('en')} ${r.unit}`;
}

/** The peer's figure from the same run and LayerLab's ratio (above 1: ahead), with its target when set. */
function peerText(r: BenchResult): string {
  if (!r.peer) return '';
  const { name, value, ratio, ratios, target } = r.peer;
  const goal = target === undefined ? '' : ` (target >= ${target}: ${ratio >= target ? 'met' : 'NOT met'})`;
  return `; ${name}: ${value.toLocaleString('en')} ${r.unit}; ratio ${ratio}${goal}, per round ${ratios.join(', ')}`;
}

const requested = process.argv.slice(2).filter((a): a is Section => (ALL as string[]).includes(a));
const sections = requested.length ? requested : ALL;
const results: Array<BenchResult & { section: Section; meetsTarget: boolean | null }> = [];
for (const section of sections) {
  process.stderr.write(`\n== ${section} ==\n`);
  try {
    for (const result of await runSection(section)) {
      const ok = result.peer?.target !== undefined ? result.peer.ratio >= result.peer.target : meets(result);
      results.push({ ...result, section, meetsTarget: ok });
      const target = result.target
        ? ` (target ${result.target.op} ${result.target.value.toLocaleString('en')}: ${ok ? 'met' : 'NOT met'})`
        : '';
      process.stdout.write(`${result.name}: ${formatValue(result)}${target}${peerText(result)}\n`);
    }
  } catch (error) {
    process.stdout.write(`${section}: failed — ${(error as Error).message}\n`);
    results.push({
      name: `${section} failed`,
      value: NaN,
      unit: '',
      section,
      meetsTarget: false,
      detail: { error: String(error) },
    });
  }
}

const outDir = path.resolve('bench-results');
mkdirSync(outDir, { recursive: true });
const file = path.join(outDir, 'bench.json');
// A run of some sections keeps the other sections' last results, so the file always holds every number.
if (requested.length && existsSync(file)) {
  try {
    const previous = JSON.parse(readFileSync(file, 'utf8')) as { results?: typeof results };
    const kept = (previous.results ?? []).filter((r) => !sections.includes(r.section));
    results.unshift(...kept);
  } catch {
    // An unreadable old file is simply replaced.
  }
}
writeFileSync(
  file,
  `${JSON.stringify({ date: new Date().toISOString(), machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version }, results }, null, 2)}\n`,
);
process.stdout.write(`\nWrote ${file}\n`);
