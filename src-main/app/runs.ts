/** Recording a run: its weights written to a file, and the record a project keeps of it. */
import path from 'node:path';
import type { DataSettings, Dataset } from '../core/data/types.js';
import type { ModelSpec } from '../core/model/spec.js';
import { createProject } from '../core/project/create-project.js';
import { datasetPathForSaving, saveProject } from '../core/project/project-file.js';
import { runRecordFrom } from '../core/project/record-run.js';
import type { ProjectDocument, RunRecord } from '../core/project/types.js';
import { weightsPathFor, writeTrainedModel } from '../core/project/weights-file.js';
import { keptEpochOf } from '../core/training/kept-weights.js';
import type { EpochRecord, MetricName, RunOutcome, TrainingResult, TrainingSettings } from '../core/training/types.js';

/** What a run was asked to do: immutable once it started. */
export interface RunInputs {
  id: string;
  startedAt: Date;
  spec: ModelSpec;
  dataSettings: DataSettings;
  settings: TrainingSettings;
}

/**
 * Writes the trained weights to `weightsPath` and returns the run's record. The record names the weights
 * relative to the project when the project has a file, so the two can move together.
 */
export async function recordRun(
  run: RunInputs,
  result: TrainingResult,
  weightsPath: string,
  projectPath: string | null,
): Promise<RunRecord> {
  await writeTrainedModel(weightsPath, result.model);
  return runRecordFrom({
    ...run,
    result,
    weightsFile: projectPath ? datasetPathForSaving(projectPath, weightsPath) : weightsPath,
  });
}

/** The record of a run that failed: what it was asked and what it did before it stopped, no weights. */
export function failedRunRecord(
  run: RunInputs,
  done: { backend: RunRecord['backend']; seconds: number; history: EpochRecord[] },
): RunRecord {
  return {
    id: run.id,
    startedAt: run.startedAt.toISOString(),
    spec: run.spec,
    dataSettings: run.dataSettings,
    settings: run.settings,
    backend: done.backend,
    seconds: done.seconds,
    outcome: 'error',
    bestEpoch: null,
    keptEpoch: null,
    history: done.history,
    finalValidation: {},
    finalTest: {},
    weightsFile: null,
  };
}

/**
 * Records a finished run in the project file at `projectPath` (weights beside it), creating the project from
 * the run's own inputs when the file does not exist yet. Returns the saved document.
 */
export async function recordRunInProjectFile(
  projectPath: string,
  existing: ProjectDocument | null,
  run: RunInputs,
  result: TrainingResult,
  dataset: Dataset,
): Promise<ProjectDocument> {
  const record = await recordRun(run, result, weightsPathFor(projectPath, run.id), projectPath);
  const document =
    existing ??
    createProject({
      name: path.basename(projectPath).replace(/\.layerlab\.json$/i, ''),
      model: run.spec,
      training: run.settings,
      dataset: dataset.path
        ? { path: datasetPathForSaving(projectPath, dataset.path), hash: dataset.hash, name: dataset.name }
        : null,
      dataSettings: run.dataSettings,
    });
  document.runs.push(record);
  await saveProject(projectPath, document);
  return document;
}

/** A run as a listing shows it: its number in the project (1 for the first), what it did and what it kept. */
export interface RunListing {
  number: number;
  id: string;
  startedAt: string;
  outcome: RunOutcome;
  epochs: number;
  bestEpoch: number | null;
  /** The epoch whose weights were kept; null when none completed. */
  keptEpoch: number | null;
  /** Why those weights: early stopping restored the best epoch, or the run kept its last one. */
  kept: 'best' | 'last' | null;
  /** Null when the run can be exported, else why not, in words. */
  notExportable: string | null;
  finalValidation: Partial<Record<MetricName, number>>;
  finalTest: Partial<Record<MetricName, number>>;
}

function whyNotExportable(record: RunRecord): string | null {
  if (record.history.length === 0)
    return record.outcome === 'error' ? 'it failed before training an epoch' : 'it trained no epoch';
  if (!record.weightsFile)
    return record.outcome === 'error' ? 'it failed and kept no weights' : 'its weights were not kept';
  return null;
}

export function listRuns(project: ProjectDocument): RunListing[] {
  return project.runs.map((record, index) => {
    // Records saved before the kept epoch was written down get it from the same rule training uses.
    const keptEpoch = record.keptEpoch !== undefined ? record.keptEpoch : keptEpochOf(record);
    return {
      number: index + 1,
      id: record.id,
      startedAt: record.startedAt,
      outcome: record.outcome,
      epochs: record.history.length,
      bestEpoch: record.bestEpoch,
      keptEpoch,
      kept: keptEpoch === null ? null : keptEpoch === record.history.at(-1)?.epoch ? 'last' : 'best',
      notExportable: whyNotExportable(record),
      finalValidation: record.finalValidation,
      finalTest: record.finalTest ?? {},
    };
  });
}

/** A --run that names no run, or one that cannot be used: the message says which runs can. */
export class RunChoiceError extends Error {}

function describeExportable(runs: RunListing[]): string {
  const usable = runs.filter((r) => r.notExportable === null).map((r) => String(r.number));
  return usable.length ? `Runs that can be exported: ${usable.join(', ')}.` : 'No run can be exported yet: train one.';
}

/** The run `ref` names: its number in the project (1 for the first) or its id. */
export function findRun(project: ProjectDocument, ref: string): { listing: RunListing; record: RunRecord } {
  const runs = listRuns(project);
  const index = /^\d+$/.test(ref) ? Number(ref) - 1 : project.runs.findIndex((r) => r.id === ref);
  const listing = runs[index];
  if (!listing) {
    const known = runs.length
      ? `It has ${runs.length} run${runs.length === 1 ? '' : 's'}, numbered 1 to ${runs.length}.`
      : 'It has no runs yet.';
    throw new RunChoiceError(`"${project.name}" has no run "${ref}". ${known}`);
  }
  return { listing, record: project.runs[index]! };
}

/** The run to export: the one `ref` names, else the latest that has trained weights; refused when it has none. */
export function runToExport(project: ProjectDocument, ref?: string): { listing: RunListing; record: RunRecord } {
  const runs = listRuns(project);
  if (ref === undefined) {
    const latest = runs.findLast((r) => r.notExportable === null);
    if (!latest)
      throw new RunChoiceError(`"${project.name}" has no run with trained weights. ${describeExportable(runs)}`);
    return { listing: latest, record: project.runs[latest.number - 1]! };
  }
  const found = findRun(project, ref);
  const why = found.listing.notExportable;
  if (why)
    throw new RunChoiceError(
      `Run ${found.listing.number} (${found.listing.id}) cannot be exported: ${why}. ${describeExportable(runs)}`,
    );
  return found;
}
