/** Recording a run: its weights written to a file, and the record a project keeps of it. */
import path from 'node:path';
import type { DataSettings, Dataset } from '../core/data/types.js';
import type { ModelSpec } from '../core/model/spec.js';
import { createProject } from '../core/project/create-project.js';
import { datasetPathForSaving, saveProject } from '../core/project/project-file.js';
import { runRecordFrom } from '../core/project/record-run.js';
import type { ProjectDocument, RunRecord } from '../core/project/types.js';
import { weightsPathFor, writeTrainedModel } from '../core/project/weights-file.js';
import type { EpochRecord, TrainingResult, TrainingSettings } from '../core/training/types.js';

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
    history: done.history,
    finalValidation: {},
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
