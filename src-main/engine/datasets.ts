/** The dataset registry: CSV files read once, kept by id, summarised for the UI and checked against data settings. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CsvLoadOptions, DataCheck, DatasetSummary, LayerLabApi } from '../contract/api.js';
import type { DataSettings } from '../core/data/types.js';
import { checkData, readDataset } from '../app/index.js';
import { defaultDataSettings, rowsAsText } from './core.js';
import { throttledProgress } from './data-progress.js';
import type { EngineState } from './engine-state.js';
import { SAMPLES, findSample } from './samples.js';
import { ArgumentError } from './validate-args.js';
import { freshPath, safeFileName } from './workspace.js';

const PREVIEW_ROWS = 20;

export type DatasetApi = Pick<
  LayerLabApi,
  'openCsvDialog' | 'uploadCsv' | 'loadSampleDataset' | 'datasetRows' | 'checkData' | 'onDataProgress'
>;

export interface DatasetRegistry {
  /**
   * Reads the CSV at `filePath`, reporting progress under `fileName` (default: the file's own name), and
   * returns its new dataset id.
   */
  register(filePath: string, options?: CsvLoadOptions, fileName?: string): Promise<string>;
  summarize(id: string): DatasetSummary;
  /** The id of a loaded dataset with this content hash, if any. */
  findByHash(hash: string): string | null;
  api: DatasetApi;
}

export function createDatasetRegistry(state: EngineState): DatasetRegistry {
  const { host, datasets, dataProgressListeners } = state;

  async function register(
    filePath: string,
    options: CsvLoadOptions = {},
    fileName = path.basename(filePath),
  ): Promise<string> {
    const skipBadRows = options.skipBadRows === true;
    const progress = throttledProgress(fileName, (event) => dataProgressListeners.deliver(event));
    const dataset = await readDataset(filePath, {
      previewRows: PREVIEW_ROWS,
      skipBadRows,
      nonFinite: options.nonFinite,
      onProgress: progress.report,
    });
    progress.flush();
    return datasets.add({ dataset, path: filePath, defaults: defaultDataSettings(dataset) });
  }

  function summarize(id: string): DatasetSummary {
    const { dataset, defaults } = datasets.get(id);
    return {
      id,
      name: dataset.name,
      bytes: dataset.bytes,
      rowCount: dataset.rowCount,
      delimiter: dataset.delimiter,
      hasHeader: dataset.hasHeader,
      columns: dataset.columns.map((c) => ({ name: c.name, kind: c.kind, stats: c.stats })),
      preview: dataset.preview,
      skippedRows: dataset.skippedRows,
      warnings: dataset.warnings,
      defaults,
    };
  }

  function findByHash(hash: string): string | null {
    for (const [id, entry] of datasets.entries()) if (entry.dataset.hash === hash) return id;
    return null;
  }

  const api: DatasetApi = {
    async openCsvDialog(options?: CsvLoadOptions): Promise<DatasetSummary | null> {
      const filePath = await host.chooseOpenFile('csv');
      if (!filePath) return null;
      return summarize(await register(filePath, options));
    },

    async uploadCsv(fileName: string, bytes: Uint8Array, options?: CsvLoadOptions): Promise<DatasetSummary> {
      const filePath = await freshPath(host.workspaceDir, 'uploads', safeFileName(fileName, 'data.csv'));
      await fs.writeFile(filePath, bytes);
      const id = await register(filePath, options, fileName);
      // Keep the name the person gave, not the workspace copy's.
      datasets.get(id).dataset.name = fileName;
      return summarize(id);
    },

    async loadSampleDataset(sampleId: string): Promise<DatasetSummary> {
      const sample = findSample(sampleId);
      if (!sample)
        throw new ArgumentError(
          `loadSampleDataset: there is no sample "${sampleId}"; use one of ${SAMPLES.map((s) => s.id).join(', ')}`,
        );
      return summarize(await register(path.join(host.samplesDir, sample.fileName)));
    },

    async datasetRows(datasetId: string, start: number, count: number): Promise<string[][]> {
      return rowsAsText(datasets.get(datasetId).dataset, start, count);
    },

    async checkData(datasetId: string, settings: DataSettings): Promise<DataCheck> {
      return checkData(datasets.get(datasetId).dataset, settings);
    },

    onDataProgress: dataProgressListeners.add,
  };

  return { register, summarize, findByHash, api };
}
