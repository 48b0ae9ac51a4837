/** Reading a dataset and checking data settings against it: the verdict the window shows and the CLI prints. */
import { DataError } from '../core/data/errors.js';
import { prepareData } from '../core/data/prepare.js';
import { readCsv } from '../core/data/read-csv.js';
import type { DataCheck, DataSettings, Dataset, PreparedData, ReadCsvOptions } from '../core/data/types.js';
import { fitTrainingToRows } from '../core/training/defaults.js';

export function readDataset(filePath: string, options: ReadCsvOptions = {}): Promise<Dataset> {
  return readCsv(filePath, options);
}

/** The verdict the window shows and the CLI prints; declared with the data types so the contract can carry it. */
export type DataCheckResult = DataCheck;

export function describePrepared(prepared: PreparedData): DataCheckResult {
  return {
    ok: true,
    task: prepared.preprocessor.task,
    inputShape: prepared.preprocessor.inputShape,
    counts: {
      train: prepared.train.count,
      validation: prepared.validation.count,
      test: prepared.test.count,
      dropped: prepared.droppedRows,
    },
    fit: fitTrainingToRows({ train: prepared.train.count, validation: prepared.validation.count }),
    warnings: prepared.warnings,
  };
}

/** Data problems become a failed check with their message; anything else is a bug and is thrown. */
export function checkData(dataset: Dataset, settings: DataSettings): DataCheckResult {
  try {
    return describePrepared(prepareData(dataset, settings));
  } catch (error) {
    if (error instanceof DataError) return { ok: false, error: error.message, warnings: [] };
    throw error;
  }
}

/** The one preparation of a run: its split arrays go to the trainer as they are, so the CSV is read once. */
export function prepareRun(dataset: Dataset, settings: DataSettings): PreparedData {
  return prepareData(dataset, settings);
}
