/**
 * Two or more runs side by side: the rows of the comparison table (settings, then the kept weights' metrics
 * on validation and test) and the curves of their per-epoch history. Plain functions over run records, so
 * the table a person reads is the one the tests check.
 */
import type { DataSettings, MetricName, RunRecord } from '$contract/api.js';
import { inferShapes } from '$core/model/infer-shapes.js';
import type { LayerSpec, ModelSpec } from '$core/model/spec.js';
import { formatCount, formatMetric, metricLabel } from '../ui/format.js';

/** A run as the comparison reads it: its record, the test metrics when only the session knows them. */
export interface ComparedRun {
  /** "Run 2": the column heading and the legend entry. */
  name: string;
  record: RunRecord;
  finalTest?: Partial<Record<MetricName, number>>;
}

export type ComparisonGroup = 'settings' | 'validation' | 'test';

export interface ComparisonRow {
  group: ComparisonGroup;
  label: string;
  /** One cell per run, in the order the runs were given. */
  values: string[];
  /** The runs do not all agree on this row. */
  differs: boolean;
}

/**
 * The model's input shape, when known (it comes from the data, not from the run record): needed only for
 * the parameter count, which is left out when the shape is unknown.
 */
export function comparisonRows(runs: ComparedRun[], inputShape: number[] | null = null): ComparisonRow[] {
  const row = (group: ComparisonGroup, label: string, cell: (run: ComparedRun) => string): ComparisonRow => {
    const values = runs.map(cell);
    return { group, label, values, differs: values.some((value) => value !== values[0]) };
  };
  const rows: ComparisonRow[] = [
    row('settings', 'Model', (run) => modelSummary(run.record.spec)),
    ...(inputShape ? [row('settings', 'Parameters', (run) => parameterCount(run.record.spec, inputShape))] : []),
    row('settings', 'Optimizer', (run) => run.record.settings.optimizer.name),
    row('settings', 'Learning rate', (run) => String(run.record.settings.optimizer.learningRate)),
    row('settings', 'Batch size', (run) => String(run.record.settings.batchSize)),
    row('settings', 'Epochs', (run) => epochsText(run.record)),
    row('settings', 'Early stopping', (run) => earlyStoppingText(run.record)),
    row('settings', 'Data split', (run) => splitText(run.record)),
  ];
  for (const name of metricNames(runs.map((run) => run.record.finalValidation))) {
    rows.push(row('validation', metricLabel(name), (run) => formatMetric(run.record.finalValidation[name])));
  }
  const tests = runs.map((run) => run.finalTest ?? run.record.finalTest ?? {});
  for (const name of metricNames(tests)) {
    rows.push(row('test', testLabel(name), (run) => formatMetric(tests[runs.indexOf(run)]![name])));
  }
  return rows;
}

/** "Dense 64 → Dropout 0.1 → Dense 3": the stack in a line, with the one number that sizes each layer. */
export function modelSummary(spec: ModelSpec): string {
  return spec.layers.map(layerSummary).join(' → ');
}

function layerSummary(layer: LayerSpec): string {
  const config = layer.config as Record<string, unknown>;
  const size = config.units ?? config.filters ?? config.rate;
  return size === undefined ? layer.className : `${layer.className} ${String(size)}`;
}

function parameterCount(spec: ModelSpec, inputShape: number[]): string {
  const report = inferShapes(inputShape, spec);
  return report.ok ? formatCount(report.totalParams) : '—';
}

function epochsText(run: RunRecord): string {
  const ran = run.history.length;
  const kept = run.keptEpoch ?? run.bestEpoch;
  return `${ran} of ${run.settings.epochs}${kept !== null && kept !== undefined ? `, kept ${kept}` : ''}`;
}

function earlyStoppingText(run: RunRecord): string {
  const stopping = run.settings.earlyStopping;
  if (!stopping.enabled) return 'off';
  const delta = stopping.minDelta > 0 ? `, min change ${stopping.minDelta}` : '';
  return `patience ${stopping.patience}${delta}${stopping.restoreBestWeights ? ', best kept' : ''}`;
}

function splitText(run: RunRecord): string {
  const { train, validation, test, seed, stratify } = run.dataSettings.split;
  const percent = (fraction: number) => Math.round(fraction * 100);
  return `${percent(train)} / ${percent(validation)} / ${percent(test)} %, seed ${seed}${stratify ? ', stratified' : ''}`;
}

/** Test metrics carry the validation names ("valAccuracy"); on screen they read "test accuracy". */
function testLabel(name: MetricName): string {
  return metricLabel(name).replace(/^validation /, 'test ');
}

/** Every metric any of the runs has, the loss first, in the order the runs report them. */
function metricNames(all: Array<Partial<Record<MetricName, number>>>): MetricName[] {
  const names: MetricName[] = [];
  for (const metrics of all)
    for (const name of Object.keys(metrics) as MetricName[]) if (!names.includes(name)) names.push(name);
  return names;
}

export interface CurvePoint {
  x: number;
  y: number;
}

/** One metric's value per epoch, x the epoch number; epochs without it are skipped. */
export function metricCurve(history: RunRecord['history'], name: MetricName): CurvePoint[] {
  return history.flatMap((epoch) => {
    const value = epoch.metrics[name];
    return value === undefined || !Number.isFinite(value) ? [] : [{ x: epoch.epoch, y: value }];
  });
}

/** The metrics every compared run recorded per epoch, so each chart has a curve for each run. */
export function sharedEpochMetrics(runs: ComparedRun[]): MetricName[] {
  const perRun = runs.map(
    (run) => new Set(run.record.history.flatMap((epoch) => Object.keys(epoch.metrics) as MetricName[])),
  );
  const first = perRun[0];
  if (!first) return [];
  return [...first].filter((name) => perRun.every((names) => names.has(name)));
}

/**
 * Whether two data settings give the model the same inputs (the same columns used the same way): then the
 * input shape of the data loaded now is also the runs', and their parameters can be counted.
 */
export function sameModelInputs(a: DataSettings, b: DataSettings): boolean {
  return JSON.stringify(a.columns) === JSON.stringify(b.columns) && JSON.stringify(a.image) === JSON.stringify(b.image);
}
