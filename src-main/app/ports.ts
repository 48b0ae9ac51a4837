/**
 * The small interfaces the use cases work through. The engine behind the window and the CLI each supply their
 * own (a session workspace or the person's folder, a training process or this process).
 */
import { promises as fs } from 'node:fs';
import type { ModelSpec } from '../core/model/spec.js';
import type { PreparedData } from '../core/data/types.js';
import type { Evaluation } from '../core/training/evaluate.js';
import type { TrainingEvent, TrainingResult, TrainingSettings } from '../core/training/types.js';

/** Where finished files go: ONNX models, predictions. */
export interface FileOutput {
  /** Writes the whole file, replacing an older one. */
  writeFile(filePath: string, data: Uint8Array | string): Promise<void>;
}

export const localFiles: FileOutput = {
  writeFile: (filePath, data) => fs.writeFile(filePath, data),
};

/**
 * Makes tf.js ready to predict in this process (evaluation, the export check). The engine's process only
 * predicts, so its adapter loads the plain cpu backend; the CLI has trained in-process and is ready already.
 */
export type TfReady = () => Promise<unknown>;

/** One run handed to a trainer: the data is already prepared, so no trainer reads the CSV again. */
export interface TrainRequest {
  spec: ModelSpec;
  prepared: PreparedData;
  settings: TrainingSettings;
}

/** The returned model on the splits it did not train on (null when a split is empty). */
export interface RunEvaluation {
  validation: Evaluation | null;
  test: Evaluation | null;
}

export interface TrainedRun {
  result: TrainingResult;
  evaluation: RunEvaluation;
}

/** Trains one run: in this process (CLI) or in a training process (the engine). */
export interface TrainerPort {
  train(request: TrainRequest, onEvent: (event: TrainingEvent) => void): Promise<TrainedRun>;
}
