/**
 * Training scripts for PyTorch and Keras: one plan (plan.ts), one shared Python part (python-shared.ts) and one
 * part per framework, put together into a single readable file.
 */
import { KERAS_IMPORTS, KERAS_PART } from './keras-script.js';
import { SCRIPT_FORMATS, type ScriptFormat, type ScriptPlan } from './plan.js';
import { PYTHON_SHARED } from './python-shared.js';
import { PYTORCH_IMPORTS, PYTORCH_PART } from './pytorch-script.js';

export { SCRIPT_FORMATS, SCRIPT_LAYERS, ScriptError, scriptPlan, unscriptableLayers } from './plan.js';
export type { ScriptFormat, ScriptPlan, ScriptRun } from './plan.js';

const FRAMEWORKS: Record<ScriptFormat, { title: string; imports: string; part: string; usage: string }> = {
  pytorch: {
    title: 'PyTorch',
    imports: PYTORCH_IMPORTS,
    part: PYTORCH_PART,
    usage: `#   python train.py --report report.json                       one machine (a GPU when there is one)
#   torchrun --nproc_per_node=4 train.py --report report.json  several processes or GPUs (DistributedDataParallel)
#   torchrun --nnodes=2 --nproc_per_node=8 --rdzv_backend=c10d --rdzv_endpoint=HOST:29500 train.py ...
#                                                              several machines; run the same line on each
# Under torchrun --batch-size is per process, so one step sees batch size x processes rows.`,
  },
  keras: {
    title: 'Keras',
    imports: KERAS_IMPORTS,
    part: KERAS_PART,
    usage: `#   python train.py --report report.json                         one machine
#   python train.py --strategy mirrored --report report.json     every GPU of this machine (tf.distribute)
#   python train.py --strategy multiworker --report report.json  several machines; set TF_CONFIG on each
# Under a strategy --batch-size is the global batch, split across the replicas.`,
  },
};

/** The script's embedded plan, as Python reads it: JSON in a raw string, with no quote that could end it. */
function planLiteral(plan: ScriptPlan): string {
  const json = JSON.stringify(plan, null, 2).replace(/'/g, '\\u0027');
  return `PLAN = json.loads(r'''\n${json}\n''')\nPRE = PLAN["fitted"]\n`;
}

export function trainingScript(plan: ScriptPlan, format: ScriptFormat): string {
  const framework = FRAMEWORKS[format];
  if (!framework) throw new Error(`Unknown script format "${format}"; use ${SCRIPT_FORMATS.join(' or ')}.`);
  const header = `#!/usr/bin/env python3
# Trains LayerLab's run ${plan.run.number} (${plan.run.id}) on ${plan.data.file} with ${framework.title}: the same
# columns and preprocessing, the same seeded split, the same layers, loss, optimizer and settings.
#
# Usage:
${framework.usage}
#
# Options: --data CSV  --epochs N  --report REPORT.json  --onnx MODEL.onnx  --weights RUN.weights.bin
#          --use-fitted (the run's fitted preprocessing instead of fitting it again on the training rows)
# At the end the report holds 'parameters' and 'finalValidation' under LayerLab's metric names, and the ONNX
# file (one float32 input 'features' of encoded rows) comes with MODEL.preprocess.json describing how raw
# rows become those features, so LayerLab's Predict can use the model trained here.
# Needs numpy and ${format === 'pytorch' ? 'torch' : 'tensorflow with keras'}; onnx for the ONNX file.
`;
  return `${header}${framework.imports}
# ---------------------------------------------------------------------------------------------------------
# The run, as LayerLab exported it. Editing it changes what is trained.
# ---------------------------------------------------------------------------------------------------------
${planLiteral(plan)}${PYTHON_SHARED}${framework.part}`;
}
