/** `layerlab export --format pytorch|keras`: the run as a training script, its weights beside it. */
import path from 'node:path';
import { localFiles, trainingScriptFiles, type RunListing } from '../app/index.js';
import type { Dataset } from '../core/data/types.js';
import type { RunRecord } from '../core/project/types.js';
import { SCRIPT_FORMATS, ScriptError, type ScriptFormat } from '../core/scripts/index.js';
import type { TrainedModel } from '../core/training/types.js';
import { UsageError } from './args.js';

export const EXPORT_FORMATS = ['onnx', ...SCRIPT_FORMATS] as const;

export const SCRIPT_USAGE = `       --format onnx|pytorch|keras   onnx (the default), or a standalone training script for PyTorch or
                                     Keras; its trained weights are written beside it as NAME.weights.bin
       --use-fitted                  the script uses the run's fitted preprocessing instead of fitting it again`;

/** The script format asked for, null for ONNX; a word that is neither is refused before anything is read. */
export function scriptFormatOf(format: string | boolean | undefined): ScriptFormat | null {
  if (format === undefined || format === 'onnx') return null;
  if (typeof format === 'string' && (SCRIPT_FORMATS as readonly string[]).includes(format))
    return format as ScriptFormat;
  throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')} (got "${String(format)}").`);
}

export async function writeTrainingScript(input: {
  format: ScriptFormat;
  outPath: string;
  useFitted: boolean;
  listing: RunListing;
  record: RunRecord;
  model: TrainedModel;
  dataset: Dataset;
}): Promise<void> {
  const { listing, record } = input;
  let files: ReturnType<typeof trainingScriptFiles>;
  try {
    files = trainingScriptFiles({
      run: {
        id: listing.id,
        number: listing.number,
        spec: record.spec,
        dataSettings: record.dataSettings,
        settings: record.settings,
        finalValidation: record.finalValidation as Record<string, number>,
      },
      model: input.model,
      dataset: input.dataset,
      format: input.format,
      scriptFileName: path.basename(input.outPath),
      useFitted: input.useFitted,
    });
  } catch (error) {
    if (error instanceof ScriptError) throw new UsageError(`Run ${listing.number}: ${error.message}`);
    throw error;
  }
  const weightsPath = path.join(path.dirname(input.outPath), files.weightsFileName);
  await localFiles.writeFile(input.outPath, new TextEncoder().encode(files.script));
  await localFiles.writeFile(weightsPath, files.weights);
  process.stderr.write(
    `Wrote ${input.outPath} (${input.format}) and ${weightsPath}; run it with: python ${path.basename(input.outPath)} --report report.json\n`,
  );
}
