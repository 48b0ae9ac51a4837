/**
 * Projects: new, opened from disk (the sample project as a template that is never overwritten), uploaded, and
 * saved with every run made in this session merged in and its weights file placed next to the project.
 */
import path from 'node:path';
import type { LayerLabApi, OpenedProject, SavedProject } from '../contract/api.js';
import type { ProjectDocument } from '../core/project/types.js';
import { validateModelSpec } from '../core/model/schema.js';
import { openProjectFile as readProjectFile, recordsById, saveProjectWithRuns } from '../app/index.js';
import {
  createProject,
  datasetPathForSaving,
  defaultTrainingSettings,
  parseProjectText,
  resolveProjectPath,
} from './core.js';
import type { DatasetRegistry } from './datasets.js';
import type { EngineState } from './engine-state.js';
import { errorMessage } from './error-message.js';
import { SAMPLE_PROJECT_FILE, SAMPLES } from './samples.js';
import { offerSaved } from './workspace.js';

const PROJECT_SUFFIX = '.layerlab.json';

export type ProjectApi = Pick<
  LayerLabApi,
  'newProject' | 'openSampleProject' | 'openProjectDialog' | 'uploadProject' | 'saveProject'
>;

/** Where an opened document came from: `datasetBase` is the path its relative file paths start from. */
interface DocumentOrigin {
  path: string | null;
  fileName: string;
  datasetBase: string | null;
}

export function createProjectApi(state: EngineState, datasets: DatasetRegistry): ProjectApi {
  const { host, projects, runs, weightsOfOldRuns } = state;

  /** Loads the project's dataset and remembers its runs; problems become warnings, not failures. */
  async function openDocument(document: ProjectDocument, where: DocumentOrigin): Promise<OpenedProject> {
    const warnings: string[] = [];
    let datasetId: string | null = null;
    if (document.dataset) {
      const ref = document.dataset;
      datasetId = datasets.findByHash(ref.hash);
      if (!datasetId && where.datasetBase) {
        const csvPath = resolveProjectPath(where.datasetBase, ref.path);
        try {
          datasetId = await datasets.register(csvPath);
          if (state.datasets.get(datasetId).dataset.hash !== ref.hash) {
            warnings.push(
              `${ref.name} has changed since the project was saved: results may differ from the recorded runs.`,
            );
          }
        } catch (error) {
          warnings.push(
            `The project's data file ${ref.path} could not be read (${errorMessage(error)}): load the CSV again.`,
          );
        }
      } else if (!datasetId) {
        warnings.push(`This project uses ${ref.name}: load or upload that CSV file to train.`);
      }
    }
    const projectId = projects.add({
      path: where.path,
      fileName: where.fileName,
      name: document.name,
      datasetId,
      runs: recordsById(document.runs),
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
      // An uploaded file has no folder: its dataset can only be one already loaded, or a sample of the same name.
      const sample = SAMPLES.find((s) => s.fileName === path.basename(document.dataset?.path ?? ''));
      if (document.dataset && sample && !datasets.findByHash(document.dataset.hash)) {
        await datasets.register(path.join(host.samplesDir, sample.fileName)).catch(() => null);
      }
      return openDocument(document, { path: null, fileName, datasetBase: null });
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
        base.dataset = {
          path: datasetPathForSaving(target, dataset.path),
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
      for (const [id, record] of project.runs) if (!records.has(id)) records.set(id, record);
      const saved = await saveProjectWithRuns(
        target,
        base,
        records.values(),
        (id) => runs.find(id)?.weightsPath ?? weightsOfOldRuns.get(id)?.path ?? null,
      );
      project.path = target;
      project.fileName = path.basename(target);
      project.name = saved.name;
      for (const record of saved.runs) project.runs.set(record.id, record);
      return { projectId, fileName: project.fileName, downloadUrl: await offerSaved(host, target) };
    },
  };
}
