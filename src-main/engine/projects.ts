/**
 * Projects: new, opened from disk (the sample project as a template that is never overwritten), uploaded, and
 * saved with every run made in this session merged in and its weights file placed next to the project.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DatasetProblem, DatasetSummary, LayerLabApi, OpenedProject, SavedProject } from '../contract/api.js';
import type { ExportRecord, ProjectDocument, RunRecord } from '../core/project/types.js';
import { validateModelSpec } from '../core/model/schema.js';
import { openProjectFile as readProjectFile, placeDataCopy, recordsById, saveProjectWithRuns } from '../app/index.js';
import {
  createProject,
  datasetPathForSaving,
  mergeExports,
  defaultTrainingSettings,
  parseProjectText,
  resolveProjectPath,
} from './core.js';
import type { DatasetRegistry } from './datasets.js';
import type { EngineState } from './engine-state.js';
import { errorMessage } from './error-message.js';
import { SAMPLE_PROJECT_FILE, SAMPLES } from './samples.js';
import { isInside, offerSaved, safeFileName } from './workspace.js';

const PROJECT_SUFFIX = '.layerlab.json';

export type ProjectApi = Pick<
  LayerLabApi,
  'newProject' | 'openSampleProject' | 'openProjectDialog' | 'uploadProject' | 'saveProject' | 'relinkDataset'
>;

/** The data file at hand is not the recorded one: said by name, with what to do. */
function changedData(name: string, recordedName: string): DatasetProblem {
  const what =
    name === recordedName
      ? `${name} has changed since the project was saved (its content differs from the file the runs were trained on)`
      : `${name} differs from ${recordedName}, the file the runs were trained on`;
  return {
    name: recordedName,
    reason: 'changed',
    message: `${what}: results may differ from the recorded runs. Pick the original file to re-link it, or keep this one.`,
  };
}

/** Where an opened document came from: `datasetBase` is the path its relative file paths start from. */
interface DocumentOrigin {
  path: string | null;
  fileName: string;
  datasetBase: string | null;
}

export function createProjectApi(state: EngineState, datasets: DatasetRegistry): ProjectApi {
  const { host, projects, runs, weightsOfOldRuns } = state;

  /** Loads the project's dataset and remembers its runs; a data file that is not the recorded one is named, not fatal. */
  async function openDocument(document: ProjectDocument, where: DocumentOrigin): Promise<OpenedProject> {
    const warnings: string[] = [];
    let datasetId: string | null = null;
    let datasetProblem: DatasetProblem | null = null;
    if (document.dataset) {
      const ref = document.dataset;
      datasetId = datasets.findByHash(ref.hash);
      if (!datasetId && where.datasetBase) {
        const csvPath = resolveProjectPath(where.datasetBase, ref.path);
        try {
          datasetId = await datasets.register(csvPath);
          state.datasets.get(datasetId).dataset.name = ref.name;
          if (state.datasets.get(datasetId).dataset.hash !== ref.hash) datasetProblem = changedData(ref.name, ref.name);
        } catch (error) {
          datasetProblem = {
            name: ref.name,
            reason: 'missing',
            message: `The project's data file ${ref.name} could not be read (${errorMessage(error)}): pick the file to re-link it.`,
          };
        }
      } else if (!datasetId) {
        datasetProblem = {
          name: ref.name,
          reason: 'missing',
          message: `This project uses ${ref.name}: pick that CSV file to re-link it and train.`,
        };
      }
    }
    const projectId = projects.add({
      path: where.path,
      fileName: where.fileName,
      name: document.name,
      datasetId,
      runs: recordsById(document.runs),
      document,
      datasetProblem,
    });
    for (const record of document.runs) {
      if (record.weightsFile && where.datasetBase) {
        weightsOfOldRuns.set(record.id, {
          projectId,
          path: resolveProjectPath(where.datasetBase, record.weightsFile),
          record,
        });
      }
    }
    return {
      projectId,
      fileName: where.fileName,
      document,
      dataset: datasetId ? datasets.summarize(datasetId) : null,
      datasetProblem,
      warnings,
    };
  }

  async function openProjectFile(filePath: string, asTemplate: boolean): Promise<OpenedProject> {
    const document = await readProjectFile(filePath);
    return openDocument(document, {
      path: asTemplate ? null : filePath,
      fileName: path.basename(filePath),
      datasetBase: filePath,
    });
  }

  return {
    async newProject(): Promise<OpenedProject> {
      const document = createProject({
        name: 'Untitled',
        model: { version: 1, layers: [] },
        training: defaultTrainingSettings({ kind: 'multiclass', target: '' }),
      });
      return openDocument(document, { path: null, fileName: `Untitled${PROJECT_SUFFIX}`, datasetBase: null });
    },

    async openSampleProject(): Promise<OpenedProject> {
      return openProjectFile(path.join(host.samplesDir, SAMPLE_PROJECT_FILE), true);
    },

    async openProjectDialog(): Promise<OpenedProject | null> {
      const filePath = await host.chooseOpenFile('project');
      if (!filePath) return null;
      return openProjectFile(filePath, false);
    },

    async uploadProject(fileName: string, bytes: Uint8Array): Promise<OpenedProject> {
      const document = parseProjectText(new TextDecoder().decode(bytes), fileName);
      // Browser mode saves projects in the workspace: an upload of one finds its data and weights beside that copy.
      const savedCopy = path.join(host.workspaceDir, 'saved', safeFileName(fileName));
      const datasetBase = (await fileExists(savedCopy)) ? savedCopy : null;
      // Any other upload has no folder: its dataset can only be one already loaded, or a sample of the same name.
      const sample = SAMPLES.find((s) => s.fileName === path.basename(document.dataset?.path ?? ''));
      if (!datasetBase && document.dataset && sample && !datasets.findByHash(document.dataset.hash)) {
        await datasets.register(path.join(host.samplesDir, sample.fileName)).catch(() => null);
      }
      return openDocument(document, { path: null, fileName, datasetBase });
    },

    async relinkDataset(
      projectId: string,
      datasetId: string,
    ): Promise<{ dataset: DatasetSummary; problem: DatasetProblem | null }> {
      const project = projects.get(projectId);
      const entry = state.datasets.get(datasetId);
      project.datasetId = datasetId;
      const recorded = project.document.dataset;
      project.datasetProblem =
        recorded && recorded.hash !== entry.dataset.hash ? changedData(entry.dataset.name, recorded.name) : null;
      // Recorded runs opened on the old data are opened again on this one (their evaluation, the export check).
      for (const [runId, old] of weightsOfOldRuns) {
        if (old.projectId === projectId && state.runs.find(runId)?.trainer === null) state.runs.delete(runId);
      }
      return { dataset: datasets.summarize(datasetId), problem: project.datasetProblem };
    },

    async saveProject(
      projectId: string,
      document: ProjectDocument,
      options: { saveAs: boolean; datasetId?: string; fileName?: string },
    ): Promise<SavedProject | null> {
      const project = projects.get(projectId);
      const model = validateModelSpec(document.model);
      if (!model.ok) {
        throw new Error(
          `The project cannot be saved while its model has problems: ${model.errors.slice(0, 3).join('; ')}. Fix the layer, then save again.`,
        );
      }
      if (options.datasetId) {
        state.datasets.get(options.datasetId);
        project.datasetId = options.datasetId;
      }
      let target =
        !options.saveAs && project.path
          ? project.path
          : await host.chooseSaveFile('project', options.fileName ?? project.fileName);
      if (!target) return null;
      if (!/\.json$/i.test(target)) target += PROJECT_SUFFIX;

      const base: ProjectDocument = { ...document };
      const dataset = project.datasetId ? state.datasets.find(project.datasetId) : undefined;
      if (dataset) {
        // An upload lives in this session's workspace, which may not outlive it: the project keeps its own copy.
        const dataPath = isInside(host.workspaceDir, dataset.path)
          ? await placeDataCopy(target, dataset.path, safeFileName(dataset.dataset.name, 'data.csv'))
          : dataset.path;
        base.dataset = {
          path: datasetPathForSaving(target, dataPath),
          hash: dataset.dataset.hash,
          name: dataset.dataset.name,
        };
      } else if (document.dataset && project.path) {
        // Keep pointing at the same file from the new place.
        base.dataset = {
          ...document.dataset,
          path: datasetPathForSaving(target, resolveProjectPath(project.path, document.dataset.path)),
        };
      }
      // The document's own records win; runs it does not list yet (made since it was sent) are added.
      const records = recordsById(document.runs);
      for (const [id, record] of project.runs) {
        const sent = records.get(id);
        // The exports are the engine's to know: the window's copy of a record may not list them yet.
        records.set(id, sent ? withExports(sent, mergeExports(sent.exports, record.exports)) : record);
      }
      const saved = await saveProjectWithRuns(
        target,
        base,
        records.values(),
        (id) => runs.find(id)?.weightsPath ?? weightsOfOldRuns.get(id)?.path ?? null,
      );
      project.path = target;
      project.fileName = path.basename(target);
      project.name = saved.name;
      project.document = saved;
      for (const record of saved.runs) project.runs.set(record.id, record);
      return { projectId, fileName: project.fileName, downloadUrl: await offerSaved(host, target) };
    },
  };
}

function withExports(record: RunRecord, exports: ExportRecord[]): RunRecord {
  return exports.length > 0 ? { ...record, exports } : record;
}

async function fileExists(filePath: string): Promise<boolean> {
  try {
    return (await fs.stat(filePath)).isFile();
  } catch {
    return false;
  }
}
