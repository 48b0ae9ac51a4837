/** One mapper per layer kind; the table is typed so a new layer kind without a mapper does not compile. */
import type { LayerClassName, LayerConfigs } from '../../model/spec.js';
import { mapActivation, mapDropout } from './activation.js';
import type { LayerMapper } from './context.js';
import { mapConv1D, mapConv2D } from './conv.js';
import { mapDense } from './dense.js';
import { mapBatchNormalization, mapLayerNormalization } from './normalization.js';
import {
  mapAveragePooling1D,
  mapAveragePooling2D,
  mapGlobalAveragePooling1D,
  mapGlobalAveragePooling2D,
  mapMaxPooling1D,
  mapMaxPooling2D,
} from './pooling.js';
import { mapGRU, mapLSTM, mapSimpleRNN } from './recurrent.js';
import { mapFlatten, mapReshape } from './reshape.js';

export const LAYER_MAPPERS: { [K in LayerClassName]: LayerMapper<LayerConfigs[K]> } = {
  Dense: mapDense,
  Activation: mapActivation,
  Dropout: mapDropout,
  BatchNormalization: mapBatchNormalization,
  LayerNormalization: mapLayerNormalization,
  Flatten: mapFlatten,
  Reshape: mapReshape,
  Conv1D: mapConv1D,
  Conv2D: mapConv2D,
  MaxPooling1D: mapMaxPooling1D,
  MaxPooling2D: mapMaxPooling2D,
  AveragePooling1D: mapAveragePooling1D,
  AveragePooling2D: mapAveragePooling2D,
  GlobalAveragePooling1D: mapGlobalAveragePooling1D,
  GlobalAveragePooling2D: mapGlobalAveragePooling2D,
  SimpleRNN: mapSimpleRNN,
  LSTM: mapLSTM,
  GRU: mapGRU,
};

export type { LayerContext, LayerMapper } from './context.js';
