/**
 * Plain warnings from the layers' statistics over the epochs: gradients that vanish or explode, and ReLU units
 * that died, each with what to try.
 */
import type { LayerEpochStats } from '$contract/api.js';

/**
 * The first layer's gradient this many times smaller than the last one's: the signal backpropagation carries
 * fades through the layers between (saturating sigmoid/tanh, poor initialization), so early layers barely learn.
 */
export const VANISHING_RATIO = 1e-3;
/** A gradient norm this small moves no weight measurably in float32, whatever the learning rate. */
export const NEAR_ZERO_GRADIENT = 1e-7;
/**
 * A rule of thumb wants each step to change the weights by ~1e-3..1e-2 of their size; an epoch holds many steps,
 * so its ratio is larger, but an epoch that moves a layer by more than a third of its size is no longer tuning it.
 */
export const LARGE_UPDATE_RATIO = 0.3;
/** A gradient norm growing this many times within a few epochs is on its way to infinity, not to a minimum. */
export const EXPLODING_GROWTH = 10;
export const GROWTH_EPOCHS = 3;
/** Gradient norms this large make float32 steps overshoot at any usual learning rate. */
export const HUGE_GRADIENT = 1e3;
/** More than half the ReLU units silent on every probe row: that layer has lost most of its capacity. */
export const MOSTLY_DEAD = 0.5;

export interface LayerWarning {
  kind: 'vanishing' | 'exploding' | 'dead';
  text: string;
}

const label = (l: LayerEpochStats): string => `layer ${l.index + 1} (${l.className})`;

/** `history`: each epoch's statistics, oldest first; the newest decides what is said. */
export function layerWarnings(history: readonly LayerEpochStats[][]): LayerWarning[] {
  const now = history.at(-1);
  if (!now || now.length === 0) return [];
  const warnings: LayerWarning[] = [];
  const first = now[0]!;
  const last = now.at(-1)!;
  const stalled = now.filter((l) => l.gradientNorm < NEAR_ZERO_GRADIENT);
  if (stalled.length > 0 || (now.length > 1 && first.gradientNorm < VANISHING_RATIO * last.gradientNorm)) {
    const which = stalled.length > 0 ? stalled.map(label).join(', ') : label(first);
    warnings.push({
      kind: 'vanishing',
      text:
        `Vanishing gradients: ${which} gets almost no gradient, so it hardly learns. ` +
        'Try ReLU or ELU instead of sigmoid/tanh in hidden layers, He initialization, BatchNormalization, or fewer layers.',
    });
  }
  const before = history.length > GROWTH_EPOCHS ? history[history.length - 1 - GROWTH_EPOCHS] : undefined;
  const exploding = now.filter((l) => {
    const old = before?.find((b) => b.index === l.index);
    const growing = old !== undefined && old.gradientNorm > 0 && l.gradientNorm > EXPLODING_GROWTH * old.gradientNorm;
    return (
      growing ||
      l.gradientNorm > HUGE_GRADIENT ||
      (l.updateRatio !== null && l.updateRatio > LARGE_UPDATE_RATIO) ||
      !Number.isFinite(l.gradientNorm)
    );
  });
  if (exploding.length > 0) {
    warnings.push({
      kind: 'exploding',
      text:
        `Exploding gradients or oversized steps in ${exploding.map(label).join(', ')}. ` +
        'Try a lower learning rate, standardized inputs, BatchNormalization, or L2 regularization.',
    });
  }
  const dead = now.filter((l) => l.deadShare !== null && l.deadShare > MOSTLY_DEAD);
  if (dead.length > 0) {
    warnings.push({
      kind: 'dead',
      text:
        `Dead units: in ${dead.map((l) => `${label(l)} ${Math.round(l.deadShare! * 100)} %`).join(', ')} of the ReLU ` +
        'units output 0 for every example, so they no longer learn. Try a lower learning rate, ELU instead of ReLU, ' +
        'or He initialization.',
    });
  }
  return warnings;
}
