/**
 * The plan a training script carries: everything about a run that the script must reproduce (columns and
 * their settings, the split, the layers, the training settings), as one JSON object derived from the run.
 * Both frameworks' scripts embed the same plan; only the code around it differs.
 */
import type { Dataset, DataSettings, Preprocessor } from '../data/types.js';
import { inferShapes } from '../model/infer-shapes.js';
import type { LayerClassName, ModelSpec } from '../model/spec.js';
import { resolveLoss, type ConcreteLoss } from '../training/defaults.js';
import type { TrainingSettings } from '../training/types.js';

export const SCRIPT_FORMATS = ['pytorch', 'keras'] as const;
export type ScriptFormat = (typeof SCRIPT_FORMATS)[number];

/** The layers both scripts build; the others are refused by name before anything is written. */
export const SCRIPT_LAYERS: readonly LayerClassName[] = [
  'Dense',
  'Activation',
  'Dropout',
  'BatchNormalization',
  'LayerNormalization',
  'Flatten',
  'Reshape',
  'Conv2D',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
];

export class ScriptError extends Error {}

/** What a run holds that the script needs: its data settings, layers and training settings. */
export interface ScriptRun {
  id: string;
  /** As `layerlab runs` numbers it. */
  number: number;
  spec: ModelSpec;
  dataSettings: DataSettings;
  settings: TrainingSettings;
  finalValidation: Record<string, number>;
}

export interface ScriptPlan {
  format: 'layerlab-script-plan';
  version: 1;
  run: { id: string; number: number; finalValidation: Record<string, number> };
  data: {
    file: string;
    path: string;
    delimiter: string;
    hasHeader: boolean;
    columns: { name: string }[];
    features: DataSettings['columns'];
  };
  target: Preprocessor['task'];
  split: DataSettings['split'];
  inputShape: number[];
  /** The run's fitted preprocessing, used with --use-fitted (and by default when the export asked for it). */
  fitted: Preprocessor;
  useFitted: boolean;
  layers: { className: LayerClassName; config: unknown }[];
  training: Omit<TrainingSettings, 'loss' | 'backend'> & { loss: ConcreteLoss };
}

/** Every layer the scripts cannot build, named; empty when the stack can be written. */
export function unscriptableLayers(spec: ModelSpec): string[] {
  return spec.layers
    .map((layer, index) => ({ layer, index }))
    .filter(({ layer }) => !SCRIPT_LAYERS.includes(layer.className))
    .map(({ layer, index }) => `${layer.className} (layer ${index + 1})`);
}

export function scriptPlan(
  run: ScriptRun,
  dataset: Dataset,
  preprocessor: Preprocessor,
  options: { useFitted: boolean },
): ScriptPlan {
  const refused = unscriptableLayers(run.spec);
  if (refused.length > 0) {
    throw new ScriptError(
      `The training scripts cannot build ${refused.join(', ')}. They build ${SCRIPT_LAYERS.join(', ')}; export this run to ONNX instead, or change those layers.`,
    );
  }
  const shapes = inferShapes(preprocessor.inputShape, run.spec);
  const outputUnits = shapes.outputShape?.at(-1);
  const { backend: _backend, loss, ...training } = run.settings;
  return {
    format: 'layerlab-script-plan',
    version: 1,
    run: { id: run.id, number: run.number, finalValidation: run.finalValidation },
    data: {
      file: dataset.name,
      path: dataset.path ?? dataset.name,
      delimiter: dataset.delimiter,
      hasHeader: dataset.hasHeader,
      columns: dataset.columns.map((c) => ({ name: c.name })),
      features: run.dataSettings.columns.filter((c) => c.role === 'feature'),
    },
    target: preprocessor.task,
    split: run.dataSettings.split,
    inputShape: preprocessor.inputShape,
    fitted: preprocessor,
    useFitted: options.useFitted,
    // Layers go as the spec holds them (absent settings mean tf.js' defaults, which the scripts spell out);
    // the editor's ids mean nothing to a script.
    layers: run.spec.layers.map((layer) => ({ className: layer.className, config: layer.config })),
    training: { ...training, loss: resolveLoss(preprocessor.task, loss, outputUnits) },
  };
}
