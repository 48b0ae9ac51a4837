/** One line that tells the settings of a layer card at a glance, e.g. "64 units · relu". */
import { shapeText } from '$core/model/infer-shapes.js';
import type { LayerSpec } from '$core/model/spec.js';

const SEP = ' · ';

function sizeText(value: number | number[] | undefined): string | null {
  if (value === undefined) return null;
  return typeof value === 'number' ? String(value) : value.join('×');
}

/** "1 unit", "64 units": counts on a card read as words. */
function count(n: number | undefined, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

const join = (...parts: (string | null | undefined | false)[]) => parts.filter(Boolean).join(SEP);

export function summarizeLayer(layer: LayerSpec): string {
  switch (layer.className) {
    case 'Dense':
      return join(count(layer.config.units, 'unit'), layer.config.activation ?? 'linear');
    case 'Activation':
      return layer.config.activation;
    case 'Dropout':
      return `rate ${layer.config.rate}`;
    case 'BatchNormalization':
      return join(
        'per feature, over the batch',
        layer.config.momentum !== undefined && `momentum ${layer.config.momentum}`,
      );
    case 'LayerNormalization':
      return 'per sample';
    case 'Flatten':
      return 'to one list';
    case 'Reshape':
      return `to ${shapeText(layer.config.targetShape)}`;
    case 'Conv1D':
    case 'Conv2D':
      return join(
        count(layer.config.filters, 'filter'),
        sizeText(layer.config.kernelSize),
        layer.config.strides !== undefined && `stride ${sizeText(layer.config.strides)}`,
        layer.config.padding ?? 'valid',
        layer.config.activation ?? 'linear',
      );
    case 'MaxPooling1D':
    case 'MaxPooling2D':
    case 'AveragePooling1D':
    case 'AveragePooling2D':
      return join(
        `pool ${sizeText(layer.config.poolSize) ?? (layer.className.endsWith('1D') ? '2' : '2×2')}`,
        layer.config.strides !== undefined && `stride ${sizeText(layer.config.strides)}`,
        layer.config.padding ?? 'valid',
      );
    case 'GlobalAveragePooling1D':
    case 'GlobalAveragePooling2D':
      return 'one value per channel';
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU':
      return join(
        count(layer.config.units, 'unit'),
        layer.config.activation ?? 'tanh',
        layer.config.returnSequences && 'all steps',
      );
  }
}
