/**
 * How a prediction cell reads on screen: probabilities to four decimals with the extremes as "< 0.0001" and
 * "> 0.9999", other numbers to five significant digits. The saved CSV keeps every digit.
 */
import type { PredictionTable } from '$contract/api.js';

type Cell = PredictionTable['rows'][number][number];

const PROBABILITY_COLUMN = /^(predicted_)?probability_/;

export function isProbabilityColumn(column: string): boolean {
  return PROBABILITY_COLUMN.test(column);
}

export function probabilityText(value: number): string {
  if (value < 0.0001) return '< 0.0001';
  if (value > 0.9999) return '> 0.9999';
  return value.toFixed(4);
}

export function numberText(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const size = Math.abs(value);
  if (size !== 0 && (size < 1e-4 || size >= 1e9)) return value.toExponential(3);
  return String(Number(value.toPrecision(5)));
}

export function cellText(column: string, value: Cell): string {
  if (value === null) return '∅';
  if (typeof value === 'string') return value;
  return isProbabilityColumn(column) ? probabilityText(value) : numberText(value);
}

/** A metric as the summary line shows it: accuracy as a percentage, the others as numbers. */
export function metricText(name: string, value: number): string {
  const label = { accuracy: 'Accuracy', mae: 'MAE', rmse: 'RMSE', r2: 'R²' }[name] ?? name;
  return `${label} ${name === 'accuracy' ? `${(value * 100).toFixed(1)} %` : numberText(value)}`;
}
