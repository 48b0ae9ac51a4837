/** Saving a project with its runs: each run's weights, and a data file that would not last, placed next to the project file. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { dataCopyPathFor, datasetPathForSaving, loadProject, saveProject } from '../core/project/project-file.js';
import type { ProjectDocument, RunRecord } from '../core/project/types.js';
import { weightsPathFor } from '../core/project/weights-file.js';

export function openProjectFile(filePath: string): Promise<ProjectDocument> {
  return loadProject(filePath);
}

export function recordsById(records: Iterable<RunRecord>): Map<string, RunRecord> {
  const byId = new Map<string, RunRecord>();
  for (const record of records) byId.set(record.id, record);
  return byId;
}

/**
 * Copies a data file into the project's own data folder (`<project>.data/`) and returns the copy's path, so
 * the project opens after the session that uploaded the file has ended.
 */
export async function placeDataCopy(projectPath: string, dataPath: string, fileName: string): Promise<string> {
  const target = dataCopyPathFor(projectPath, fileName);
  if (path.resolve(target) !== path.resolve(dataPath)) {
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.copyFile(dataPath, target);
  }
  return target;
}

/** The record as saved at `projectPath`, its weights copied next to the project when they are elsewhere. */
async function placeWeights(projectPath: string, record: RunRecord, known: string | null): Promise<RunRecord> {
  if (!known) return record;
  const target = weightsPathFor(projectPath, record.id);
  if (path.resolve(known) !== path.resolve(target)) {
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.copyFile(known, target);
  }
  return { ...record, weightsFile: datasetPathForSaving(projectPath, target) };
}

/**
 * Saves `document` at `target` with `runs` as its records; `weightsOf` says where each run's weights are now
 * (null: none, or already where the record says). Returns the document as saved.
 */
export async function saveProjectWithRuns(
  target: string,
  document: ProjectDocument,
  runs: Iterable<RunRecord>,
  weightsOf: (runId: string) => string | null,
): Promise<ProjectDocument> {
  const saved: ProjectDocument = { ...document, runs: [] };
  for (const record of runs) saved.runs.push(await placeWeights(target, record, weightsOf(record.id)));
  await saveProject(target, saved);
  return saved;
}
