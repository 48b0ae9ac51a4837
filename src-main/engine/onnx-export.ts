/**
 * ONNX export of a trained run, checked by the application layer's one parity rule (validation rows, else
 * training rows). A model that fails the check is still opened (not saved) so it can be inspected.
 */
import path from 'node:path';
import type { ExportResult, LayerLabApi } from '../contract/api.js';
import { exportWithParity, localFiles, PARITY_TOLERANCE, runExportMeta } from '../app/index.js';
import { checkExportable, manifestPathFor, parseManifest, type OnnxProfile } from './core.js';
import type { EngineState } from './engine-state.js';
import { registerModel } from './onnx-models.js';
import { restoreRun } from './run-results.js';
import { offerSaved, safeFileName } from './workspace.js';

export type OnnxExportApi = Pick<LayerLabApi, 'exportOnnx'>;

function stripProjectSuffix(fileName: string): string {
  return fileName.replace(/\.layerlab\.json$/i, '').replace(/\.json$/i, '');
}

/** A run's export is named after its project and its number there, so two runs' files never share a name. */
export function exportFileName(projectName: string, runNumber: number): string {
  return `${safeFileName(stripProjectSuffix(projectName), 'model')}-run-${runNumber}.onnx`;
}

/** A run's number in its project: its place among the project's runs (1 for the first); a run not yet recorded comes next. */
export function runNumberIn(runIds: Iterable<string>, runId: string): number {
  const ids = [...runIds];
  const index = ids.indexOf(runId);
  return index >= 0 ? index + 1 : ids.length + 1;
}

/** The manifest of a portable export, as the runner takes it (none for a full export). */
function manifestOf(text: string | undefined) {
  return text === undefined ? undefined : parseManifest(text, 'the exported manifest');
}

export function createOnnxExportApi(state: EngineState): OnnxExportApi {
  const { host, projects, datasets } = state;
  return {
    async exportOnnx(runId: string, projectName?: string, profile?: OnnxProfile): Promise<ExportResult | null> {
      const run = await restoreRun(state, runId);
      if (run.history.length === 0 && !run.trainer) {
        throw new Error('This run trained no epoch, so it has no model to export: train again.');
      }
      if (!run.trained) {
        throw new Error(
          run.trainer
            ? 'This run is still training: export once it has finished.'
            : 'This run left no trained model to export: train again.',
        );
      }
      const trained = run.trained;
      const issues = checkExportable(trained.spec);
      if (issues.length)
        throw new Error(`This model cannot be exported to ONNX: ${issues.map((i) => i.message).join('; ')}`);
      const project = projects.find(run.projectId);
      const datasetEntry = run.datasetId ? datasets.find(run.datasetId) : undefined;
      const source = run.prepared && datasetEntry ? { dataset: datasetEntry.dataset, prepared: run.prepared } : null;
      const checked = await exportWithParity(
        trained,
        source,
        runExportMeta(run, { layerlabVersion: host.version, datasetHash: datasetEntry?.dataset.hash }),
        state.ensureTf,
        profile,
      );
      const { bytes, maxDifference, rowsCompared, comparedOn } = checked;
      const baseName = exportFileName(
        projectName ?? project?.name ?? 'model',
        runNumberIn(project?.runs.keys() ?? [], runId),
      );
      if (!checked.ok) {
        return {
          fileName: baseName,
          bytes: bytes.length,
          maxDifference,
          rowsCompared,
          ok: false,
          message: `The exported model differs from the trained one by up to ${maxDifference.toExponential(2)} (allowed ${PARITY_TOLERANCE}) on ${rowsCompared} ${comparedOn} rows, so it was not saved. Please report this model.`,
          model: await registerModel(state, bytes, baseName, { manifest: manifestOf(checked.manifest) }),
        };
      }
      const target = await host.chooseSaveFile('onnx', baseName);
      if (!target) return null;
      await localFiles.writeFile(target, bytes);
      const fileName = path.basename(target);
      // A portable model is useless without its manifest: it is written beside the model, under its name.
      const manifestPath = checked.manifest === undefined ? null : manifestPathFor(target);
      if (manifestPath) await localFiles.writeFile(manifestPath, checked.manifest!);
      const record = project?.runs.get(runId);
      if (project && record) {
        const made = { fileName, exportedAt: new Date().toISOString(), maxDifference, rowsCompared };
        project.runs.set(runId, { ...record, exports: [...(record.exports ?? []), made] });
      }
      return {
        fileName,
        bytes: bytes.length,
        maxDifference,
        rowsCompared,
        ok: true,
        message:
          (rowsCompared > 0
            ? `Saved ${fileName}; onnxruntime matches tf.js on ${rowsCompared} ${comparedOn} rows (largest difference ${maxDifference.toExponential(2)}).`
            : `Saved ${fileName}; the training data was not at hand to compare against tf.js.`) +
          (manifestPath
            ? ` Its preprocessing manifest ${path.basename(manifestPath)} is beside it: keep the two together.`
            : ''),
        downloadUrl: await offerSaved(host, target),
        ...(manifestPath
          ? { manifest: { fileName: path.basename(manifestPath), downloadUrl: await offerSaved(host, manifestPath) } }
          : {}),
        model: await registerModel(state, target, fileName),
      };
    },
  };
}
