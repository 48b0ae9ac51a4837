/**
 * Which layer stacks can be written to ONNX, known before anything is trained. The ONNX writer uses the
 * same tables, so the editor's warning and the exporter can never disagree.
 */
import { LAYER_CLASS_NAMES } from './spec.js';
import type { ActivationName, LayerSpec, ModelSpec } from './spec.js';

export interface ExportIssue {
  layerIndex: number;
  message: string;
}

/**
 * Activations the ONNX RNN, LSTM and GRU operators can apply inside the recurrence, and how they are
 * spelled there. `linear` becomes Affine with alpha 1, beta 0.
 */
export const RECURRENT_ONNX_ACTIVATIONS: Partial<Record<ActivationName, string>> = {
  linear: 'Affine',
  relu: 'Relu',
  elu: 'Elu',
  sigmoid: 'Sigmoid',
  hardSigmoid: 'HardSigmoid',
  tanh: 'Tanh',
  softplus: 'Softplus',
  softsign: 'Softsign',
};

/**
 * What an absent setting means for a recurrent layer, as core/training builds it: tanh everywhere; gates use
 * sigmoid in LSTM and tf.js' hardSigmoid in GRU.
 */
export const RECURRENT_DEFAULT_ACTIVATION: ActivationName = 'tanh';
/** The gate activation when a spec leaves it unset: Keras' sigmoid for both, so results compare with Keras. */
export function defaultRecurrentActivation(_className: 'LSTM' | 'GRU'): ActivationName {
  return 'sigmoid';
}

const RECURRENT_CLASSES = new Set(['SimpleRNN', 'LSTM', 'GRU']);

function supportedList(): string {
  return Object.keys(RECURRENT_ONNX_ACTIVATIONS).join(', ');
}

function recurrentIssues(layer: LayerSpec, index: number): ExportIssue[] {
  if (layer.className !== 'SimpleRNN' && layer.className !== 'LSTM' && layer.className !== 'GRU') return [];
  const where = `${layer.className} (layer ${index + 1})`;
  const issues: ExportIssue[] = [];
  const activation = layer.config.activation ?? RECURRENT_DEFAULT_ACTIVATION;
  if (!(activation in RECURRENT_ONNX_ACTIVATIONS)) {
    issues.push({
      layerIndex: index,
      message: `${where} uses activation "${activation}", which the ONNX ${layer.className === 'SimpleRNN' ? 'RNN' : layer.className} operator cannot apply inside the recurrence. Choose one of: ${supportedList()}.`,
    });
  }
  if (layer.className !== 'SimpleRNN') {
    const recurrent = layer.config.recurrentActivation ?? defaultRecurrentActivation(layer.className);
    if (!(recurrent in RECURRENT_ONNX_ACTIVATIONS)) {
      issues.push({
        layerIndex: index,
        message: `${where} uses recurrent activation "${recurrent}", which the ONNX ${layer.className} operator cannot apply to its gates. Choose one of: ${supportedList()}.`,
      });
    }
  }
  if (layer.className === 'GRU' && layer.config.resetAfter === true) {
    issues.push({
      layerIndex: index,
      message: `${where} has resetAfter turned on, which tf.js cannot build; turn resetAfter off.`,
    });
  }
  return issues;
}

/** Every reason the stack could not be exported to ONNX; empty when it can. */
export function checkExportable(spec: ModelSpec): ExportIssue[] {
  const known = new Set<string>(LAYER_CLASS_NAMES);
  const issues: ExportIssue[] = [];
  spec.layers.forEach((layer, index) => {
    if (!known.has(layer.className)) {
      issues.push({
        layerIndex: index,
        message: `Layer ${index + 1} is a "${String(layer.className)}", which the ONNX export does not know. Replace it with one of: ${LAYER_CLASS_NAMES.join(', ')}.`,
      });
      return;
    }
    if (RECURRENT_CLASSES.has(layer.className)) issues.push(...recurrentIssues(layer, index));
  });
  return issues;
}
