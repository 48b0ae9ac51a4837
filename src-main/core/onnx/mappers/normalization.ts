/** BatchNormalization (inference form) and LayerNormalization, both over the last (channels) axis. */
import type { BatchNormalizationConfig, LayerNormalizationConfig } from '../../model/spec.js';
import { int } from '../graph-builder.js';
import { lastDim, takeWeights } from './context.js';
import type { LayerMapper } from './context.js';

// Keras' default epsilon for both normalization layers.
const DEFAULT_EPSILON = 1e-3;

/**
 * At inference batch norm is a per-channel affine map, y = x·a + b with a = γ/√(σ²+ε), b = β − μ·a.
 * Writing it as Mul + Add keeps channels last (ONNX's BatchNormalization wants channels at axis 1).
 */
export const mapBatchNormalization: LayerMapper<BatchNormalizationConfig> = (ctx, config, input) => {
  const channels = lastDim(input.shape);
  const scale = config.scale ?? true;
  const center = config.center ?? true;
  const epsilon = config.epsilon ?? DEFAULT_EPSILON;
  const vector = { shape: [channels] };
  const tensors = takeWeights(ctx, [
    ...(scale ? [{ what: 'gamma', ...vector }] : []),
    ...(center ? [{ what: 'beta', ...vector }] : []),
    { what: 'moving mean', ...vector },
    { what: 'moving variance', ...vector },
  ]);
  const gamma = scale ? tensors.shift()! : null;
  const beta = center ? tensors.shift()! : null;
  const mean = tensors.shift()!;
  const variance = tensors.shift()!;
  const a = new Float32Array(channels);
  const b = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    a[c] = (gamma ? gamma[c]! : 1) / Math.sqrt(variance[c]! + epsilon);
    b[c] = (beta ? beta[c]! : 0) - mean[c]! * a[c]!;
  }
  const scaled = ctx.g.op('Mul', [input.name, ctx.g.floats(`bn${ctx.index}_scale`, [channels], a)]);
  return { name: ctx.g.op('Add', [scaled, ctx.g.floats(`bn${ctx.index}_shift`, [channels], b)]), shape: input.shape };
};

export const mapLayerNormalization: LayerMapper<LayerNormalizationConfig> = (ctx, config, input) => {
  const channels = lastDim(input.shape);
  const scale = config.scale ?? true;
  const center = config.center ?? true;
  const tensors = takeWeights(ctx, [
    ...(scale ? [{ what: 'gamma', shape: [channels] }] : []),
    ...(center ? [{ what: 'beta', shape: [channels] }] : []),
  ]);
  const gamma = scale ? tensors.shift()! : new Float32Array(channels).fill(1);
  const beta = center ? tensors.shift()! : new Float32Array(channels);
  const y = ctx.g.op(
    'LayerNormalization',
    [
      input.name,
      ctx.g.floats(`ln${ctx.index}_gamma`, [channels], gamma),
      ctx.g.floats(`ln${ctx.index}_beta`, [channels], beta),
    ],
    { axis: int(-1), epsilon: config.epsilon ?? DEFAULT_EPSILON },
  );
  return { name: y, shape: input.shape };
};
