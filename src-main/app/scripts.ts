/**
 * A run as a standalone training script for PyTorch or Keras, with the run's trained weights in a file beside
 * it (the script's --weights). The CLI and the engine both write these two files from here.
 */
import type { Dataset } from '../core/data/types.js';
import { encodeTrainedModel } from '../core/project/weights-file.js';
import { scriptPlan, trainingScript, type ScriptFormat, type ScriptRun } from '../core/scripts/index.js';
import type { TrainedModel } from '../core/training/types.js';

export interface TrainingScriptFiles {
  script: string;
  /** The run's weights in LayerLab's weights-file layout, which the script reads with numpy alone. */
  weights: Uint8Array;
  weightsFileName: string;
}

/** `train.py` -> `train.weights.bin`: the name the script's header and the export message point to. */
export function weightsFileBeside(scriptFileName: string): string {
  return `${scriptFileName.replace(/\.py$/i, '')}.weights.bin`;
}

export function trainingScriptFiles(input: {
  run: ScriptRun;
  model: TrainedModel;
  dataset: Dataset;
  format: ScriptFormat;
  scriptFileName: string;
  useFitted?: boolean;
}): TrainingScriptFiles {
  const plan = scriptPlan(input.run, input.dataset, input.model.preprocessor, { useFitted: input.useFitted ?? false });
  return {
    script: trainingScript(plan, input.format),
    weights: encodeTrainedModel(input.model),
    weightsFileName: weightsFileBeside(input.scriptFileName),
  };
}
