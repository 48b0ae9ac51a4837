/**
 * LayerLab's default score against a plain Keras MLP, on every sample dataset and the same split.
 *   node --import tsx test/bench/keras-reference.ts [PYTHON] [--out TABLE.md]
 * LayerLab trains through the `layerlab train` command with nothing but --data and --target, so it uses the
 * model and training settings it proposes. The Keras side gets the very arrays that run trained and was
 * scored on (same split, same standardisation and encoding), written to a temporary folder; it needs a
 * Python with keras, so this is a benchmark and never a test.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { prepareRun, readDataset } from '../../src-main/app/index.js';
import { defaultDataSettings } from '../../src-main/core/data/index.js';
import type { SplitData } from '../../src-main/core/data/types.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

const DATASETS: Array<{ file: string; target: string }> = [
  { file: 'iris.csv', target: 'species' },
  { file: 'wine.csv', target: 'cultivar' },
  { file: 'breast_cancer.csv', target: 'diagnosis' },
  { file: 'digits.csv', target: 'digit' },
  { file: 'diabetes.csv', target: 'progression' },
  { file: 'auto_mpg.csv', target: 'mpg' },
];

interface Row {
  dataset: string;
  rows: string;
  metric: string;
  layerlab: number;
  layerlabEpochs: string;
  keras: number;
}

function splitJson(split: SplitData, width: number) {
  return { x: Array.from(split.x), y: Array.from(split.y), count: split.count, width };
}

async function layerlabScore(csv: string, target: string, report: string) {
  await run(
    process.execPath,
    [path.join(root, 'src-main/cli/launcher.mjs'), 'train', '--data', csv, '--target', target, '--report', report],
    {
      cwd: root,
      maxBuffer: 64 << 20,
    },
  );
  return JSON.parse(readFileSync(report, 'utf8')) as {
    finalValidation: Record<string, number>;
    epochs: unknown[];
    bestEpoch: number | null;
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const out = outIndex >= 0 ? args[outIndex + 1] : undefined;
  const python = args.find((a, i) => !a.startsWith('--') && i !== outIndex + 1) ?? 'python3';
  const work = mkdtempSync(path.join(os.tmpdir(), 'layerlab-keras-'));
  const rows: Row[] = [];
  try {
    for (const { file, target } of DATASETS) {
      const csv = path.join(root, 'resources/samples', file);
      const dataset = await readDataset(csv);
      const prepared = prepareRun(dataset, defaultDataSettings(dataset, target));
      const { task } = prepared.preprocessor;
      const width = prepared.train.count > 0 ? prepared.train.x.length / prepared.train.count : 0;
      const arrays = path.join(work, `${file}.json`);
      writeFileSync(
        arrays,
        JSON.stringify({
          kind: task.kind,
          classes: task.labels?.length ?? 0,
          targetScale: prepared.preprocessor.targetScale ?? null,
          train: splitJson(prepared.train, width),
          validation: splitJson(prepared.validation, width),
        }),
      );
      const metric = task.kind === 'regression' ? 'valR2' : 'valAccuracy';
      process.stderr.write(`${file}: LayerLab…\n`);
      const report = await layerlabScore(csv, target, path.join(work, `${file}.report.json`));
      process.stderr.write(`${file}: Keras…\n`);
      const { stdout } = await run(python, [path.join(root, 'test/bench/keras_reference.py'), arrays], {
        maxBuffer: 16 << 20,
        env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
      });
      const keras = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number>;
      rows.push({
        dataset: file,
        rows: `${prepared.train.count} / ${prepared.validation.count}`,
        metric: metric === 'valR2' ? 'validation R²' : 'validation accuracy',
        layerlab: report.finalValidation[metric]!,
        layerlabEpochs: `${report.epochs.length} (best ${report.bestEpoch ?? '—'})`,
        keras: keras[metric]!,
      });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const lines = [
    '| dataset | train / validation rows | metric | LayerLab defaults | epochs run (best) | Keras MLP 64-64, Adam 1e-3, 100 epochs | difference |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.dataset} | ${r.rows} | ${r.metric} | ${r.layerlab.toFixed(4)} | ${r.layerlabEpochs} | ${r.keras.toFixed(4)} | ${r.layerlab - r.keras >= 0 ? '+' : ''}${(r.layerlab - r.keras).toFixed(4)} |`,
    ),
  ];
  const table = `${lines.join('\n')}\n`;
  process.stdout.write(table);
  if (out) writeFileSync(out, table);
}

await main();
