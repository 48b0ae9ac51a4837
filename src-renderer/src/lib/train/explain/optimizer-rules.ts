/**
 * What each training setting means, as data: the update rule of every optimizer (the rules LayerLab's training
 * applies, tf.js' own, with their fixed constants), every loss' formula and when it fits, and what the batch
 * size makes of gradient descent. The explanation components and the step-through only fill these in.
 */
import type { LossName, OptimizerName, TaskKind, TrainingSettings } from '$contract/api.js';
import { TRAINING_RANGES, rangeProblem } from '$core/model/training-ranges.js';

type OptimizerSettings = TrainingSettings['optimizer'];

/** tf.js' constants for the optimizers LayerLab builds (its defaults; LayerLab does not change them). */
export const OPTIMIZER_CONSTANTS = {
  beta1: 0.9,
  beta2: 0.999,
  rmspropDecay: 0.9,
  adagradStart: 0.1,
  adadeltaRho: 0.95,
  /** tf.js' float32 epsilon on the cpu and wasm backends. */
  epsilon: 1e-7,
} as const;

export interface RuleSymbol {
  symbol: string;
  meaning: string;
  value?: number;
}

export interface OptimizerRule {
  title: string;
  /** The update, one assignment a line; g is the gradient of the loss for one weight w. */
  lines: string[];
  symbols: RuleSymbol[];
  summary: string;
}

type Variant = 'sgd' | 'momentum' | 'nesterov' | Exclude<OptimizerName, 'sgd'>;

const C = OPTIMIZER_CONSTANTS;
const G: RuleSymbol = { symbol: 'g', meaning: 'gradient of the loss for the weight w, averaged over the batch' };
const T: RuleSymbol = { symbol: 't', meaning: 'the number of this update (1 for the first batch)' };
const EPSILON: RuleSymbol = { symbol: 'ε', meaning: 'keeps the division finite', value: C.epsilon };
const VELOCITY: RuleSymbol = { symbol: 'v', meaning: 'velocity, starts at 0' };
const MEAN_GRADIENT_DECAY: RuleSymbol = { symbol: 'β₁', meaning: 'decay of the mean gradient m', value: C.beta1 };
const MEAN_GRADIENT_LINE = 'm ← β₁·m + (1 − β₁)·g';

/** What sets one optimizer's rule apart; every rule also lists η first and g last. */
interface RuleEntry {
  title: string;
  lines: string[];
  /** The symbols between η and g. */
  own: RuleSymbol[];
  summary: string;
  /** Bias-corrected rules divide by 1 − βᵗ, so they also name t. */
  counted?: true;
}

/** Every rule, by optimizer (SGD split by its momentum settings): the compiler asks for each optimizer's entry. */
const RULES: { [V in Variant]: (μ: number) => RuleEntry } = {
  adam: () => ({
    title: 'Adam',
    lines: [MEAN_GRADIENT_LINE, 'v ← β₂·v + (1 − β₂)·g²', 'w ← w − η · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)'],
    own: [
      MEAN_GRADIENT_DECAY,
      { symbol: 'β₂', meaning: 'decay of the mean squared gradient v', value: C.beta2 },
      EPSILON,
    ],
    summary: 'Momentum plus a step scaled per weight by its recent gradient size: each weight moves about η at most.',
    counted: true,
  }),
  sgd: () => ({
    title: 'Stochastic gradient descent',
    lines: ['w ← w − η·g'],
    own: [],
    summary: 'Each weight takes a step against its gradient, the same size for every weight.',
  }),
  momentum: (μ) => ({
    title: 'SGD with momentum',
    lines: ['v ← μ·v + g', 'w ← w − η·v'],
    own: [{ symbol: 'μ', meaning: 'momentum: how much of the last step is kept', value: μ }, VELOCITY],
    summary: 'Steps build up speed along directions the gradient keeps pointing to, and damp zig-zags.',
  }),
  nesterov: (μ) => ({
    title: 'SGD with Nesterov momentum',
    lines: ['v ← μ·v + g', 'w ← w − η·(g + μ·v)'],
    own: [{ symbol: 'μ', meaning: 'momentum', value: μ }, VELOCITY],
    summary: 'Momentum that looks one step ahead, so it overshoots less than plain momentum.',
  }),
  rmsprop: () => ({
    title: 'RMSprop',
    lines: ['s ← ρ·s + (1 − ρ)·g²', 'w ← w − η·g / √(s + ε)'],
    own: [{ symbol: 'ρ', meaning: 'decay of the mean squared gradient s', value: C.rmspropDecay }, EPSILON],
    summary: 'Divides each step by the weight’s recent gradient size, so steep and flat directions move alike.',
  }),
  adagrad: () => ({
    title: 'Adagrad',
    lines: ['s ← s + g²', 'w ← w − η·g / √(s + ε)'],
    own: [{ symbol: 's', meaning: 'sum of all squared gradients so far, starts at', value: C.adagradStart }, EPSILON],
    summary: 'Weights that got large gradients slow down for good; the steps shrink as training goes on.',
  }),
  adadelta: () => ({
    title: 'Adadelta',
    lines: ['Δ ← √(d + ε) / √(s + ε) · g', 's ← ρ·s + (1 − ρ)·g²', 'd ← ρ·d + (1 − ρ)·Δ²', 'w ← w − η·Δ'],
    own: [
      { symbol: 'ρ', meaning: 'decay of the running means s and d', value: C.adadeltaRho },
      { ...EPSILON, meaning: 'keeps the division finite (and sets the first steps’ size)' },
    ],
    summary: 'Scales each step by the ratio of recent update size to recent gradient size; it needs a large η.',
  }),
  adamax: () => ({
    title: 'Adamax',
    lines: [MEAN_GRADIENT_LINE, 'u ← max(β₂·u, |g|)', 'w ← w − η / (1 − β₁ᵗ) · m / (u + ε)'],
    own: [MEAN_GRADIENT_DECAY, { symbol: 'β₂', meaning: 'decay of the largest gradient u', value: C.beta2 }, EPSILON],
    summary: 'Adam with the largest recent gradient in place of the squared mean: steadier with rare large gradients.',
    counted: true,
  }),
};

/** The optimizers in the order the settings offer them (every name of OptimizerName, checked by RULES' type). */
export const OPTIMIZER_CHOICES = Object.keys(RULES).filter(
  (variant): variant is OptimizerName => variant !== 'momentum' && variant !== 'nesterov',
);

function variantOf(settings: OptimizerSettings): Variant {
  if (settings.name !== 'sgd') return settings.name;
  if (!(settings.momentum && settings.momentum > 0)) return 'sgd';
  return settings.nesterov ? 'nesterov' : 'momentum';
}

/** The rule of the chosen optimizer with its learning rate and constants filled in. */
export function optimizerRule(settings: OptimizerSettings): OptimizerRule {
  const { own, counted, ...rule } = RULES[variantOf(settings)](settings.momentum ?? 0);
  const learningRate: RuleSymbol = { symbol: 'η', meaning: 'learning rate', value: settings.learningRate };
  const symbols = [learningRate, ...own, G, ...(counted ? [T] : [])];
  // A setting out of its range stays a symbol in the rule: the field beside it says what is wrong.
  const unfit: Record<string, boolean> = {
    η: rangeProblem(TRAINING_RANGES.learningRate, settings.learningRate) !== null,
    μ: rangeProblem(TRAINING_RANGES.momentum, settings.momentum ?? 0) !== null,
  };
  return {
    ...rule,
    symbols: symbols.map((s) => (unfit[s.symbol] ? { symbol: s.symbol, meaning: s.meaning } : s)),
  };
}

/** One line of the rule with its numbers put in for the symbols that have a value: "w ← w − 0.005·g". */
export function filledLine(line: string, rule: OptimizerRule): string {
  let out = line;
  for (const s of rule.symbols) {
    if (s.value === undefined || s.symbol === 'g' || s.symbol === 's') continue;
    out = out.split(s.symbol).join(String(s.value));
  }
  return out;
}

export interface LossExplanation {
  title: string;
  formula: string;
  why: string;
}

type ConcreteLoss = Exclude<LossName, 'auto'>;

const LOSSES: { [L in ConcreteLoss]: LossExplanation } = {
  meanSquaredError: {
    title: 'Mean squared error',
    formula: 'L = (ŷ − y)²',
    why: 'For a number to predict: large misses cost far more than small ones, and its gradient 2(ŷ − y) shrinks as the prediction nears the target.',
  },
  meanAbsoluteError: {
    title: 'Mean absolute error',
    formula: 'L = |ŷ − y|',
    why: 'For a number to predict when a few rows are far off: every miss costs in proportion, so outliers pull less.',
  },
  huber: {
    title: 'Huber',
    formula: 'L = ½(ŷ − y)² when |ŷ − y| ≤ 1, else |ŷ − y| − ½',
    why: 'Squared error near the target, absolute error far from it: smooth like MSE, robust like MAE.',
  },
  binaryCrossentropy: {
    title: 'Binary cross-entropy',
    formula: 'L = −[y·log p + (1 − y)·log(1 − p)]',
    why: 'For two classes with one sigmoid output p = P(class 1): it is the negative log-likelihood, so a confident wrong answer costs a lot, and with a sigmoid its gradient for z is simply p − y.',
  },
  categoricalCrossentropy: {
    title: 'Categorical cross-entropy',
    formula: 'L = −Σₖ yₖ·log pₖ = −log p(true class)',
    why: 'For one class out of several with softmax outputs: the negative log of the probability given to the true class; with softmax the gradient for zₖ is pₖ − yₖ.',
  },
  sparseCategoricalCrossentropy: {
    title: 'Sparse categorical cross-entropy',
    formula: 'L = −log p(true class)',
    why: 'The same as categorical cross-entropy, with the target given as a class number instead of a one-hot row.',
  },
};

export function lossExplanation(loss: ConcreteLoss): LossExplanation {
  return LOSSES[loss];
}

/**
 * What 'auto' stands for with this task: the engine decides (it also looks at the output's width); this names
 * its usual choice so the person sees a formula.
 */
export function autoLossFor(task: TaskKind | null): ConcreteLoss | null {
  if (task === 'regression') return 'meanSquaredError';
  if (task === 'binary') return 'binaryCrossentropy';
  if (task === 'multiclass') return 'sparseCategoricalCrossentropy';
  return null;
}

export interface BatchExplanation {
  kind: 'batch' | 'stochastic' | 'mini-batch';
  batchesPerEpoch: number;
  text: string;
}

/** What the batch size makes of gradient descent on this many training rows. */
export function batchExplanation(batchSize: number, trainRows: number): BatchExplanation {
  const size = Math.max(1, Math.min(batchSize, trainRows));
  const batchesPerEpoch = Math.max(1, Math.ceil(trainRows / size));
  const kind = size >= trainRows ? 'batch' : size === 1 ? 'stochastic' : 'mini-batch';
  const updates = `${batchesPerEpoch} weight update${batchesPerEpoch === 1 ? '' : 's'} per epoch`;
  const text =
    kind === 'batch'
      ? `Batch gradient descent: every one of the ${trainRows} training rows goes into each gradient, so there is ${updates} — exact but slow to move.`
      : kind === 'stochastic'
        ? `Stochastic gradient descent: each gradient comes from a single row, ${updates} — many quick, noisy steps.`
        : `Mini-batch gradient descent: ${trainRows} training rows in batches of ${size}, ${updates}. Each gradient is the mean over ${size} rows: less noisy than one row (stochastic, ${trainRows} updates), far more updates than all rows at once (batch, 1 update).`;
  return { kind, batchesPerEpoch, text };
}
