/**
 * Every optimizer LayerLab offers as one loop over all parameters held in one flat Float32Array. tf.js
 * runs a chain of small kernels per variable (Adam: about 100 per batch for a three-layer MLP, each with
 * its own bookkeeping); for the models the fast step covers, one pass in plain JavaScript is far
 * cheaper. The arithmetic follows tf.js' optimizers step for step (including their defaults and
 * epsilon), so weights after N steps agree with the autodiff path within float32 rounding.
 */
import type { OptimizerSettings } from './types.js';

export interface FlatOptimizer {
  learningRate: number;
  /** Updates `params` in place from `grads` (same length). */
  apply(params: Float32Array, grads: Float32Array): void;
}

/** `epsilon` is the backend's (tf.js' optimizers default to it). */
export function flatOptimizer(settings: OptimizerSettings, size: number, epsilon: number): FlatOptimizer {
  const lr = settings.learningRate;
  switch (settings.name) {
    case 'sgd': {
      const momentum = settings.momentum ?? 0;
      if (momentum > 0) return momentumSgd(lr, momentum, settings.nesterov ?? false, size);
      return {
        learningRate: lr,
        apply(p, g) {
          const step = -this.learningRate;
          for (let i = 0; i < p.length; i++) p[i] = p[i]! + step * g[i]!;
        },
      };
    }
    case 'adam':
      return adam(lr, size, epsilon);
    case 'adamax':
      return adamax(lr, size, epsilon);
    case 'rmsprop':
      return rmsprop(lr, size, epsilon);
    case 'adagrad':
      return adagrad(lr, size, epsilon);
    case 'adadelta':
      return adadelta(lr, size, epsilon);
  }
  throw new Error(`Unknown optimizer "${(settings as { name: string }).name}".`);
}

function momentumSgd(lr: number, momentum: number, nesterov: boolean, size: number): FlatOptimizer {
  const accumulation = new Float32Array(size);
  return {
    learningRate: lr,
    apply(p, g) {
      const c = -this.learningRate;
      for (let i = 0; i < p.length; i++) {
        const acc = momentum * accumulation[i]! + g[i]!;
        accumulation[i] = acc;
        p[i] = p[i]! + c * (nesterov ? g[i]! + acc * momentum : acc);
      }
    },
  };
}

const BETA1 = 0.9;
const BETA2 = 0.999;

function adam(lr: number, size: number, epsilon: number): FlatOptimizer {
  const m = new Float32Array(size);
  const v = new Float32Array(size);
  // tf.js starts both accumulated powers at beta (not 1) and multiplies them after each step.
  let accBeta1 = BETA1;
  let accBeta2 = BETA2;
  return {
    learningRate: lr,
    apply(p, g) {
      const c1 = 1 - accBeta1;
      const c2 = 1 - accBeta2;
      const step = -this.learningRate;
      for (let i = 0; i < p.length; i++) {
        const gi = g[i]!;
        const mi = m[i]! * BETA1 + gi * (1 - BETA1);
        const vi = v[i]! * BETA2 + gi * gi * (1 - BETA2);
        m[i] = mi;
        v[i] = vi;
        p[i] = p[i]! + (mi / c1 / (Math.sqrt(vi / c2) + epsilon)) * step;
      }
      accBeta1 *= BETA1;
      accBeta2 *= BETA2;
    },
  };
}

function adamax(lr: number, size: number, epsilon: number): FlatOptimizer {
  const m = new Float32Array(size);
  const u = new Float32Array(size);
  let accBeta1 = BETA1;
  return {
    learningRate: lr,
    apply(p, g) {
      // tf.js' decay defaults to 0, so its learning-rate schedule is the constant rate.
      const scale = -this.learningRate / (1 - accBeta1);
      for (let i = 0; i < p.length; i++) {
        const gi = g[i]!;
        const mi = m[i]! * BETA1 + gi * (1 - BETA1);
        const ui = Math.max(u[i]! * BETA2, Math.abs(gi));
        m[i] = mi;
        u[i] = ui;
        p[i] = p[i]! + scale * (mi / (ui + epsilon));
      }
      accBeta1 *= BETA1;
    },
  };
}

const RMSPROP_DECAY = 0.9;

function rmsprop(lr: number, size: number, epsilon: number): FlatOptimizer {
  const meanSquare = new Float32Array(size);
  // tf.js keeps a momentum accumulator even at its default momentum of 0; with 0 it is just the step.
  return {
    learningRate: lr,
    apply(p, g) {
      const rate = this.learningRate;
      for (let i = 0; i < p.length; i++) {
        const gi = g[i]!;
        const ms = meanSquare[i]! * RMSPROP_DECAY + gi * gi * (1 - RMSPROP_DECAY);
        meanSquare[i] = ms;
        p[i] = p[i]! - (gi * rate) / Math.sqrt(ms + epsilon);
      }
    },
  };
}

const ADAGRAD_INITIAL = 0.1;

function adagrad(lr: number, size: number, epsilon: number): FlatOptimizer {
  const accumulated = new Float32Array(size).fill(ADAGRAD_INITIAL);
  return {
    learningRate: lr,
    apply(p, g) {
      const step = -this.learningRate;
      for (let i = 0; i < p.length; i++) {
        const gi = g[i]!;
        const acc = accumulated[i]! + gi * gi;
        accumulated[i] = acc;
        p[i] = p[i]! + (gi / Math.sqrt(acc + epsilon)) * step;
      }
    },
  };
}

const ADADELTA_RHO = 0.95;

function adadelta(lr: number, size: number, epsilon: number): FlatOptimizer {
  const accGrad = new Float32Array(size);
  const accUpdate = new Float32Array(size);
  return {
    learningRate: lr,
    apply(p, g) {
      const step = -this.learningRate;
      for (let i = 0; i < p.length; i++) {
        const gi = g[i]!;
        // tf.js scales by the accumulated gradient from before this step; kept so both paths agree.
        const update = (Math.sqrt(accUpdate[i]! + epsilon) / Math.sqrt(accGrad[i]! + epsilon)) * gi;
        accGrad[i] = accGrad[i]! * ADADELTA_RHO + gi * gi * (1 - ADADELTA_RHO);
        accUpdate[i] = accUpdate[i]! * ADADELTA_RHO + update * update * (1 - ADADELTA_RHO);
        p[i] = p[i]! + update * step;
      }
    },
  };
}
