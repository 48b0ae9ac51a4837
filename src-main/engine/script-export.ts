/**
 * A run as a PyTorch or Keras training script for the window's Export & Predict panel: the script where the
 * person chooses, the run's weights beside it, and download links in browser mode.
 */
import path from 'node:path';
import type { LayerLabApi, TrainingScriptResult } from '../contract/api.js';
import { localFiles, trainingScriptFiles, weightsFileBeside } from '../app/index.js';
import type { ScriptFormat } from '../core/scripts/index.js';
import type { EngineState } from './engine-state.js';
import { exportFileName, runNumberIn } from './onnx-export.js';
import { restoreRun } from './run-results.js';
import { offerSaved } from './workspace.js';

export type ScriptExportApi = Pick<LayerLabApi, 'exportTrainingScript'>;

export function createScriptExportApi(state: EngineState): ScriptExportApi {
  const { host, projects, datasets } = state;
  return {
    async exportTrainingScript(
      runId: string,
      format: ScriptFormat,
      projectName?: string,
    ): Promise<TrainingScriptResult | null> {
      const run = await restoreRun(state, runId);
      if (!run.trained) {
        throw new Error(
          run.trainer
            ? 'This run is still training: write its script once it has finished.'
            : 'This run left no trained model: train again.',
        );
      }
      const entry = run.datasetId ? datasets.find(run.datasetId) : undefined;
      if (!entry) throw new Error("The run's data file is not loaded, and the script is written from it: open it.");
      const project = projects.find(run.projectId);
      const number = runNumberIn(project?.runs.keys() ?? [], runId);
      const suggested = exportFileName(projectName ?? project?.name ?? 'model', number).replace(
        /\.onnx$/,
        `-${format}.py`,
      );
      // Built before the dialog, so a layer the scripts cannot build is said before anything is asked.
      const files = trainingScriptFiles({
        run: {
          id: runId,
          number,
          ...run.request,
          finalValidation: run.finalValidation as Record<string, number>,
        },
        model: run.trained,
        dataset: entry.dataset,
        format,
        scriptFileName: suggested,
      });
      const target = await host.chooseSaveFile('script', suggested);
      if (!target) return null;
      const weightsPath = path.join(path.dirname(target), weightsFileBeside(path.basename(target)));
      await localFiles.writeFile(target, new TextEncoder().encode(files.script));
      await localFiles.writeFile(weightsPath, files.weights);
      const fileName = path.basename(target);
      return {
        fileName,
        weightsFileName: path.basename(weightsPath),
        message: `Saved ${fileName} and its weights ${path.basename(weightsPath)}. Run it with: python ${fileName} --report report.json (or under torchrun / a tf.distribute strategy; see the script's first lines).`,
        downloadUrl: await offerSaved(host, target),
        weightsDownloadUrl: await offerSaved(host, weightsPath),
      };
    },
  };
}
