/** `layerlab export`: a project's trained run to ONNX, refused when onnxruntime and tf.js disagree. */
import path from 'node:path';
import {
  exportWithParity,
  localFiles,
  PARITY_TOLERANCE,
  prepareRun,
  readDataset,
  type ParitySource,
} from '../app/index.js';
import { formatBytes } from '../core/format/numbers.js';
import { loadProject, readTrainedModel, resolveProjectPath } from '../core/project/index.js';
import type { MetricName, TrainedModel } from '../core/training/types.js';
import { parseFlags, requireString, UsageError } from './args.js';
import { LAYERLAB_VERSION } from './version.js';

const USAGE = `Usage: layerlab export --project P.layerlab.json --out MODEL.onnx [--run RUN_ID]
Exports the latest run that has trained weights (or --run), after checking onnxruntime against tf.js
on the validation rows (the training rows when the run had none).`;

/** Exports with the application's parity rule and writes the file only when the two runtimes agree. */
export async function exportChecked(
  model: TrainedModel,
  source: ParitySource,
  outPath: string,
  validationMetrics: Partial<Record<MetricName, number>>,
): Promise<void> {
  const checked = await exportWithParity(model, source, {
    layerlabVersion: LAYERLAB_VERSION,
    datasetHash: source.dataset.hash,
    validationMetrics: validationMetrics as Record<string, number>,
  });
  const rows = `${checked.rowsCompared} ${checked.comparedOn} rows`;
  if (!checked.ok) {
    throw new Error(
      `ONNX export failed its check: onnxruntime and tf.js differ by up to ${checked.maxDifference.toExponential(2)} ` +
        `(allowed ${PARITY_TOLERANCE}) over ${rows}. The file was not saved.`,
    );
  }
  await localFiles.writeFile(outPath, checked.bytes);
  process.stderr.write(
    `Wrote ${outPath} (${formatBytes(checked.bytes.length)}); onnxruntime matches tf.js within ` +
      `${checked.maxDifference.toExponential(2)} over ${rows}.\n`,
  );
}

export async function exportCommand(argv: string[]): Promise<number> {
  const values = parseFlags(
    argv,
    { project: { type: 'string' }, out: { type: 'string' }, run: { type: 'string' } },
    USAGE,
  );
  const projectPath = path.resolve(requireString(values, 'project', USAGE));
  const outPath = path.resolve(requireString(values, 'out', USAGE));
  const project = await loadProject(projectPath);
  const runs = project.runs.filter((r) => r.weightsFile);
  const run = typeof values.run === 'string' ? runs.find((r) => r.id === values.run) : runs.at(-1);
  if (!run?.weightsFile) {
    throw new UsageError(
      typeof values.run === 'string'
        ? `${path.basename(projectPath)} has no run "${values.run}" with trained weights. Runs: ${runs.map((r) => r.id).join(', ') || 'none'}`
        : `${path.basename(projectPath)} has no trained run yet: train it first (layerlab train --project ${path.basename(projectPath)}).`,
    );
  }
  if (!project.dataset)
    throw new UsageError(`${path.basename(projectPath)} has no dataset to check the export against.`);
  const model = await readTrainedModel(resolveProjectPath(projectPath, run.weightsFile));
  const dataset = await readDataset(resolveProjectPath(projectPath, project.dataset.path));
  await exportChecked(
    model,
    { dataset, prepared: prepareRun(dataset, run.dataSettings) },
    outPath,
    run.finalValidation,
  );
  return 0;
}
