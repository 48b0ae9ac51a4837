/** How numbers, sizes and durations read on screen, in one place so every panel agrees. */

export { formatBytes, formatCount } from '$core/format/numbers.js';

/** Metrics always show three decimals so runs line up when compared. */
export function formatMetric(value: number | undefined | null): string {
  if (value === undefined || value === null || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  return value.toFixed(3);
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds % 60);
  if (minutes < 60) return `${minutes} min ${rest} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatScientific(value: number): string {
  return value === 0 ? '0' : value.toExponential(1);
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Human names for metric keys, e.g. valAccuracy → "validation accuracy". */
const METRIC_LABELS: Record<string, string> = {
  loss: 'loss',
  valLoss: 'validation loss',
  accuracy: 'accuracy',
  precision: 'precision',
  recall: 'recall',
  f1: 'F1',
  mae: 'MAE',
  rmse: 'RMSE',
  r2: 'R²',
  valAccuracy: 'validation accuracy',
  valPrecision: 'validation precision',
  valRecall: 'validation recall',
  valF1: 'validation F1',
  valMae: 'validation MAE',
  valRmse: 'validation RMSE',
  valR2: 'validation R²',
};

export function metricLabel(name: string): string {
  return METRIC_LABELS[name] ?? name;
}

/** valAccuracy → val-accuracy, for test ids and CSS classes. */
export function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
