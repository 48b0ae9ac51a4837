/** `layerlab export`: a project's trained run to ONNX, refused when onnxruntime and tf.js disagree. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { datasetRecords, prepareData, readCsv } from '../core/data/index.js';
import type { Dataset, PreparedData } from '../core/data/types.js';
import { formatBytes } from '../core/format/numbers.js';
import { checkParity, exportOnnx } from '../core/onnx/index.js';
import { loadProject, readTrainedModel, resolveProjectPath } from '../core/project/index.js';
import { predictRaw } from '../core/training/index.js';
import type { MetricName, TrainedModel } from '../core/training/types.js';
import { parseFlags, requireString, UsageError } from './args.js';
import { LAYERLAB_VERSION } from './version.js';

const USAGE = `Usage: layerlab export --project P.layerlab.json --out MODEL.onnx [--run RUN_ID]
Exports the latest run that has trained weights (or --run), after checking onnxruntime against tf.js.`;

export const PARITY_TOLERANCE = 1e-4;

/** Exports, runs the validation rows through both runtimes, and writes the file only when they agree. */
export async function exportWithParity(
  model: TrainedModel,
  prepared: PreparedData,
  dataset: Dataset,
  outPath: string,
  validationMetrics: Partial<Record<MetricName, number>>,
): Promise<void> {
  const bytes = exportOnnx(model, {
    layerlabVersion: LAYERLAB_VERSION,
    datasetHash: dataset.hash,
    validationMetrics: validationMetrics as Record<string, number>,
  });
  const split = prepared.validation.count > 0 ? prepared.validation : prepared.train;
  const records = datasetRecords(dataset, split.rows);
  const tfOutputs = predictRaw(model, split.x, split.count);
  const parity = await checkParity(model, bytes, records, tfOutputs);
  if (!parity.ok) {
    throw new Error(
      `ONNX export failed its check: onnxruntime and tf.js differ by up to ${parity.maxDifference.toExponential(2)} ` +
        `(allowed ${PARITY_TOLERANCE}) over ${parity.rows} rows. The file was not saved.`,
    );
  }
  await fs.writeFile(outPath, bytes);
  process.stderr.write(
    `Wrote ${outPath} (${formatBytes(bytes.length)}); onnxruntime matches tf.js within ` +
      `${parity.maxDifference.toExponential(2)} over ${parity.rows} rows.\n`,
  );
}

export async function exportCommand(argv: string[]): Promise<number> {
  const values = parseFlags(argv, { project: { type: 'string' }, out: { type: 'string' }, run: { type: 'string' } }, USAGE);
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
  if (!project.dataset) throw new UsageError(`${path.basename(projectPath)} has no dataset to check the export against.`);
  const model = await readTrainedModel(resolveProjectPath(projectPath, run.weightsFile));
  const dataset = await readCsv(resolveProjectPath(projectPath, project.dataset.path));
  const prepared = prepareData(dataset, run.dataSettings);
  await exportWithParity(model, prepared, dataset, outPath, run.finalValidation);
  return 0;
}
