/** `layerlab export`: a project's trained run to ONNX, refused when onnxruntime and tf.js disagree. */
import path from 'node:path';
import {
  exportWithParity,
  localFiles,
  PARITY_TOLERANCE,
  prepareRun,
  readDataset,
  RunChoiceError,
  runExportMeta,
  runToExport,
  type FinalMetrics,
  type ParitySource,
} from '../app/index.js';
import { formatBytes } from '../core/format/numbers.js';
import { loadProject, readTrainedModel, resolveProjectPath, weightsMismatch } from '../core/project/index.js';
import type { TrainedModel } from '../core/training/types.js';
import { parseFlags, requireString, UsageError } from './args.js';
import { ONNX_PROFILE_FLAG, ONNX_PROFILE_USAGE, onnxProfileOf, writeManifestBeside } from './onnx-profile-flag.js';
import type { OnnxProfile } from '../core/onnx/index.js';
import { LAYERLAB_VERSION } from './version.js';
import { SCRIPT_USAGE, scriptFormatOf, writeTrainingScript } from './script-export.js';

const USAGE = `Usage: layerlab export --project P.layerlab.json --out MODEL.onnx [--run N|RUN_ID]
Exports run N of the project (1 for the first, as layerlab runs numbers them) or the run with that id; by
default the latest run that has trained weights. The file is written only after onnxruntime is checked against
tf.js on the validation rows (the training rows when the run had none).
${ONNX_PROFILE_USAGE}
${SCRIPT_USAGE}`;

/** Exports with the application's parity rule and writes the file only when the two runtimes agree. */
export async function exportChecked(
  model: TrainedModel,
  source: ParitySource,
  outPath: string,
  metrics: FinalMetrics,
  profile: OnnxProfile = 'full',
): Promise<void> {
  const checked = await exportWithParity(
    model,
    source,
    runExportMeta(metrics, { layerlabVersion: LAYERLAB_VERSION, datasetHash: source.dataset.hash }),
    undefined,
    profile,
  );
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
  await writeManifestBeside(outPath, checked.manifest);
}

export async function exportCommand(argv: string[]): Promise<number> {
  const values = parseFlags(
    argv,
    {
      project: { type: 'string' },
      out: { type: 'string' },
      run: { type: 'string' },
      format: { type: 'string' },
      'use-fitted': { type: 'boolean' },
      ...ONNX_PROFILE_FLAG,
    },
    USAGE,
  );
  const scriptFormat = scriptFormatOf(values.format);
  const projectPath = path.resolve(requireString(values, 'project', USAGE));
  const outPath = path.resolve(requireString(values, 'out', USAGE));
  const profile = onnxProfileOf(values);
  const project = await loadProject(projectPath);
  let chosen: ReturnType<typeof runToExport>;
  try {
    chosen = runToExport(project, typeof values.run === 'string' ? values.run : undefined);
  } catch (error) {
    if (error instanceof RunChoiceError) throw new UsageError(`${path.basename(projectPath)}: ${error.message}`);
    throw error;
  }
  const { listing, record } = chosen;
  if (!project.dataset)
    throw new UsageError(`${path.basename(projectPath)} has no dataset to check the export against.`);
  const weightsPath = resolveProjectPath(projectPath, record.weightsFile!);
  const model = await readTrainedModel(weightsPath).catch((error: unknown) => {
    throw new UsageError(`Run ${listing.number}: ${error instanceof Error ? error.message : String(error)}`);
  });
  const dataset = await readDataset(resolveProjectPath(projectPath, project.dataset.path));
  const prepared = prepareRun(dataset, record.dataSettings);
  const mismatch = weightsMismatch(model, path.basename(weightsPath), {
    spec: record.spec,
    inputShape: prepared.preprocessor.inputShape,
  });
  if (mismatch) throw new UsageError(`Run ${listing.number}: ${mismatch}`);
  if (scriptFormat) {
    const useFitted = values['use-fitted'] === true;
    await writeTrainingScript({ format: scriptFormat, outPath, useFitted, listing, record, model, dataset });
    return 0;
  }
  process.stderr.write(`Exporting run ${listing.number} (${listing.id}).\n`);
  await exportChecked(model, { dataset, prepared }, outPath, record, profile);
  return 0;
}
