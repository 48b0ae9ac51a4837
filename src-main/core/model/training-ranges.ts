/**
 * The numbers a training setting may take, written once: the settings schema (project files, IPC, the CLI)
 * checks them, and the window shows the same message at the field as the person types. Pure: it runs in the
 * window too.
 */
import { formatCount } from '../format/numbers.js';

/** 100000 reads "100,000"; fractions as typed. */
const show = (value: number): string =>
  Number.isInteger(value) && Math.abs(value) >= 1000 ? formatCount(value) : String(value);

export interface NumberRange {
  /** What the field is called on screen. */
  label: string;
  min: number;
  /** The minimum itself is not allowed (a learning rate of 0 learns nothing). */
  minExclusive?: boolean;
  max: number;
  maxExclusive?: boolean;
  integer?: boolean;
  /** A value that works, offered in the message. */
  example: number;
}

export const TRAINING_RANGES = {
  learningRate: { label: 'Learning rate', min: 0, minExclusive: true, max: 100, example: 0.001 },
  momentum: { label: 'Momentum', min: 0, max: 1, example: 0.9 },
  epochs: { label: 'Epochs', min: 1, max: 100_000, integer: true, example: 50 },
  batchSize: { label: 'Batch size', min: 1, max: 1_000_000, integer: true, example: 32 },
  classWeight: { label: 'Class weight', min: 0, max: Infinity, example: 1 },
  patience: { label: 'Patience', min: 0, max: Infinity, integer: true, example: 5 },
  minDelta: { label: 'Min change', min: 0, max: Infinity, example: 0 },
  factor: { label: 'Factor', min: 0, minExclusive: true, max: 1, maxExclusive: true, example: 0.5 },
  minLearningRate: { label: 'Lowest rate', min: 0, max: Infinity, example: 0 },
} as const satisfies Record<string, NumberRange>;

export type TrainingRangeName = keyof typeof TRAINING_RANGES;

/** Why `value` does not fit the range, in a sentence that says what would; null when it fits. */
export function rangeProblem(range: NumberRange, value: number): string | null {
  const fits =
    Number.isFinite(value) &&
    (range.minExclusive ? value > range.min : value >= range.min) &&
    (range.maxExclusive ? value < range.max : value <= range.max) &&
    (!range.integer || Number.isInteger(value));
  if (fits) return null;
  return `${range.label} must be ${describeRange(range)}; ${show(value)} is not. Try ${show(range.example)}.`;
}

/** "a whole number from 1 to 100,000", "above 0 and at most 100", "0 or more". */
export function describeRange(range: NumberRange): string {
  const kind = range.integer ? 'a whole number ' : '';
  const low = range.minExclusive ? `above ${show(range.min)}` : `${show(range.min)} or more`;
  if (range.max === Infinity) return `${kind}${low}`;
  const high = range.maxExclusive ? `below ${show(range.max)}` : `at most ${show(range.max)}`;
  if (!range.minExclusive && !range.maxExclusive) {
    return `${kind}from ${show(range.min)} to ${show(range.max)}`;
  }
  return `${kind}${low} and ${high}`;
}

/** The ranged numbers of a run's settings (TrainingSettings, seen structurally: the window has its own copy of the type). */
export interface RangedSettings {
  optimizer: { learningRate: number; momentum?: number };
  epochs: number;
  batchSize: number;
  classWeights: 'none' | 'balanced' | Record<string, number>;
  earlyStopping: { patience: number; minDelta: number };
  reduceLrOnPlateau: { factor: number; patience: number; minLearningRate: number };
}

/** Every setting out of its range, in the form's order, each with the message its field shows. */
export function settingsProblems(settings: RangedSettings): Array<{ field: string; message: string }> {
  const R = TRAINING_RANGES;
  const checks: Array<[string, NumberRange, number | undefined]> = [
    ['optimizer.learningRate', R.learningRate, settings.optimizer.learningRate],
    ['optimizer.momentum', R.momentum, settings.optimizer.momentum],
    ['epochs', R.epochs, settings.epochs],
    ['batchSize', R.batchSize, settings.batchSize],
    ...Object.entries(typeof settings.classWeights === 'object' ? settings.classWeights : {}).map(
      ([label, weight]): [string, NumberRange, number] => [`classWeights.${label}`, R.classWeight, weight],
    ),
    ['earlyStopping.patience', R.patience, settings.earlyStopping.patience],
    ['earlyStopping.minDelta', R.minDelta, settings.earlyStopping.minDelta],
    ['reduceLrOnPlateau.factor', R.factor, settings.reduceLrOnPlateau.factor],
    ['reduceLrOnPlateau.patience', R.patience, settings.reduceLrOnPlateau.patience],
    ['reduceLrOnPlateau.minLearningRate', R.minLearningRate, settings.reduceLrOnPlateau.minLearningRate],
  ];
  return checks.flatMap(([field, range, value]) => {
    const message = value === undefined ? null : rangeProblem(range, value);
    return message ? [{ field, message }] : [];
  });
}
