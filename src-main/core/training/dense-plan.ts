/**
 * Which models the fast Dense step covers: a flat input through Dense, Activation, Dropout,
 * BatchNormalization and LayerNormalization layers (and Flatten on an already flat input, which does
 * nothing), with activations whose derivative can be read off the activation's output. Anything else
 * trains on tf.js' general autodiff path; the reason is kept so the run can say why.
 */
import type { ActivationName, DenseConfig, ModelSpec, RegularizerSpec } from '../model/spec.js';

/** Activations with a derivative written in terms of their output. */
export const FAST_ACTIVATIONS = ['linear', 'relu', 'relu6', 'sigmoid', 'tanh', 'softmax', 'elu'] as const;
export type FastActivation = (typeof FAST_ACTIVATIONS)[number];

export interface Penalty {
  l1: number;
  l2: number;
}

export type DenseStage =
  | {
      kind: 'dense';
      layerIndex: number;
      inputs: number;
      units: number;
      activation: FastActivation;
      useBias: boolean;
      kernelPenalty: Penalty | null;
      biasPenalty: Penalty | null;
    }
  | { kind: 'activation'; width: number; activation: FastActivation }
  | { kind: 'dropout'; width: number; rate: number };

export type DenseLayerStage = Extract<DenseStage, { kind: 'dense' }>;

/** A stage of the fast Dense step: the stages the convolution step shares, and the normalization layers. */
export type FlatStage = DenseStage | NormStage;

/**
 * BatchNormalization (statistics of each feature over the batch, moving averages for inference) or
 * LayerNormalization (statistics of each row over its features), both over the last axis of a flat input.
 */
export interface NormStage {
  kind: 'batchNorm' | 'layerNorm';
  layerIndex: number;
  width: number;
  epsilon: number;
  /** Whether the layer has beta (center) and gamma (scale). */
  center: boolean;
  scale: boolean;
  /** BatchNormalization's weight of the old moving statistics in each update; 0 for LayerNormalization. */
  momentum: number;
}

/** tf.js' defaults for both normalization layers. */
const NORM_EPSILON = 1e-3;
const BATCH_NORM_MOMENTUM = 0.99;

export interface DensePlan {
  inputWidth: number;
  outputWidth: number;
  stages: FlatStage[];
}

export type PlanResult = { ok: true; plan: DensePlan } | { ok: false; reason: string };

export function planDenseStack(spec: ModelSpec, inputShape: readonly number[]): PlanResult {
  if (inputShape.length !== 1) return { ok: false, reason: `the input has shape [${inputShape.join(', ')}]` };
  const inputWidth = inputShape[0]!;
  let width = inputWidth;
  const stages: FlatStage[] = [];
  for (const [layerIndex, layer] of spec.layers.entries()) {
    switch (layer.className) {
      case 'Dense': {
        const stage = denseStage(layer.config, layerIndex, width);
        if (typeof stage === 'string') return { ok: false, reason: stage };
        stages.push(stage);
        width = stage.units;
        break;
      }
      case 'Activation': {
        const activation = fastActivation(layer.config.activation);
        if (!activation) return { ok: false, reason: `the ${layer.config.activation} activation` };
        if (activation !== 'linear') stages.push({ kind: 'activation', width, activation });
        break;
      }
      case 'Dropout':
        if (layer.config.rate > 0) stages.push({ kind: 'dropout', width, rate: layer.config.rate });
        break;
      case 'BatchNormalization':
      case 'LayerNormalization': {
        // Also without gamma or beta, which tf.js' own layers cannot train (their training pass fails).
        const c = layer.config;
        const batch = layer.className === 'BatchNormalization';
        stages.push({
          kind: batch ? 'batchNorm' : 'layerNorm',
          layerIndex,
          width,
          epsilon: c.epsilon ?? NORM_EPSILON,
          center: c.center ?? true,
          scale: c.scale ?? true,
          momentum: batch ? (layer.config.momentum ?? BATCH_NORM_MOMENTUM) : 0,
        });
        break;
      }
      case 'Flatten':
        break; // on a flat input it does nothing
      default:
        return { ok: false, reason: `the ${layer.className} layer` };
    }
  }
  if (!stages.some((s) => s.kind === 'dense')) return { ok: false, reason: 'the model has no Dense layer' };
  return { ok: true, plan: { inputWidth, outputWidth: width, stages } };
}

/** The stage of a Dense layer on a flat input of `inputs` values, or why the fast steps do not cover it. */
export function denseStage(config: DenseConfig, layerIndex: number, inputs: number): DenseLayerStage | string {
  const activation = fastActivation(config.activation ?? 'linear');
  if (!activation) return `Dense with ${config.activation} activation`;
  return {
    kind: 'dense',
    layerIndex,
    inputs,
    units: config.units,
    activation,
    useBias: config.useBias ?? true,
    kernelPenalty: penalty(config.kernelRegularizer),
    biasPenalty: penalty(config.biasRegularizer),
  };
}

export function fastActivation(name: ActivationName): FastActivation | null {
  return (FAST_ACTIVATIONS as readonly string[]).includes(name) ? (name as FastActivation) : null;
}

/** The L1/L2 penalty of a regularizer, or null when it adds nothing. */
export function penalty(spec: RegularizerSpec | undefined): Penalty | null {
  const l1 = spec?.l1 ?? 0;
  const l2 = spec?.l2 ?? 0;
  return l1 > 0 || l2 > 0 ? { l1, l2 } : null;
}
