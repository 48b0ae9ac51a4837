import type { ModelSpec } from '../model/spec.js';
import type { DataSettings } from '../data/types.js';
import type { TrainingResult, TrainingSettings } from '../training/types.js';
import type { ExportRecord, RunRecord } from './types.js';

/** A short, sortable, unique-enough id for a run: the start time plus a random tail. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `run-${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}

/** What a project remembers of a finished run (the weights themselves go to their own file). */
export function runRecordFrom(parts: {
  id: string;
  startedAt: Date;
  spec: ModelSpec;
  dataSettings: DataSettings;
  settings: TrainingSettings;
  result: TrainingResult;
  weightsFile: string | null;
}): RunRecord {
  const { result } = parts;
  return {
    id: parts.id,
    startedAt: parts.startedAt.toISOString(),
    spec: parts.spec,
    dataSettings: parts.dataSettings,
    settings: parts.settings,
    backend: result.backend,
    seconds: result.seconds,
    outcome: result.outcome,
    bestEpoch: result.bestEpoch,
    keptEpoch: result.keptEpoch,
    history: result.history,
    finalValidation: result.finalValidation,
    finalTest: result.finalTest,
    weightsFile: parts.weightsFile,
  };
}

/** Both lists of a run's exports as one, oldest first, each export once (by file name and time). */
export function mergeExports(...lists: Array<ExportRecord[] | undefined>): ExportRecord[] {
  const byKey = new Map<string, ExportRecord>();
  for (const list of lists) for (const entry of list ?? []) byKey.set(`${entry.exportedAt} ${entry.fileName}`, entry);
  return [...byKey.values()].sort((a, b) => a.exportedAt.localeCompare(b.exportedAt));
}
