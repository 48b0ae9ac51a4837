/**
 * What a run (and a backend trial) builds before its first batch: the layers model from the spec, the loss
 * that fits the task and the output, and the training step that will drive them.
 */
import type * as tf from '@tensorflow/tfjs';
import type { PreparedData } from '../data/types.js';
import type { ModelSpec } from '../model/spec.js';
import { buildModel } from './build-model.js';
import { resolveLoss, type ConcreteLoss } from './defaults.js';
import { usesOneHotTargets } from './losses.js';
import { createPrng, deriveSeed } from './prng.js';
import { chooseTrainStep, type TrainStep } from './train-step.js';
import type { TrainingSettings } from './types.js';

export interface StepSetup {
  model: tf.Sequential;
  step: TrainStep;
  loss: ConcreteLoss;
  outputWidth: number;
}

/** Builds the model and its step; the caller disposes both. Throws, leaving nothing behind, when they do not fit. */
export function setUpStep(spec: ModelSpec, prepared: PreparedData, settings: TrainingSettings): StepSetup {
  const model = buildModel(spec, prepared.preprocessor.inputShape, settings.seed);
  try {
    const outputWidth = checkOutput(model, prepared);
    const loss = resolveLoss(prepared.preprocessor.task, settings.loss, outputWidth);
    checkLossFits(loss, outputWidth, prepared);
    const step = chooseTrainStep({
      spec,
      model,
      inputShape: prepared.preprocessor.inputShape,
      loss,
      optimizer: settings.optimizer,
      dropoutPrng: createPrng(deriveSeed(settings.seed, 2)),
    });
    return { model, step, loss, outputWidth };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** The model's output width; the loss needs a flat [batch, units] output. */
function checkOutput(model: tf.Sequential, prepared: PreparedData): number {
  // A built Sequential model has exactly one output.
  const shape = model.outputs[0]!.shape;
  if (shape.length !== 2) {
    throw new Error(
      `The last layer outputs shape [${shape.slice(1).join(', ')}] per row; ${prepared.preprocessor.task.kind} needs a flat output. ` +
        'Add Flatten or GlobalAveragePooling before the final Dense layer.',
    );
  }
  return shape[1] as number;
}

function checkLossFits(loss: ConcreteLoss, width: number, prepared: PreparedData): void {
  const task = prepared.preprocessor.task;
  const classes = task.labels?.length ?? 0;
  if (task.kind === 'regression') {
    if (width !== 1)
      throw new Error(
        `Regression on "${task.target}" needs a final layer with 1 unit; the model's last layer has ${width}.`,
      );
    if (usesOneHotTargets(loss) || loss === 'binaryCrossentropy') {
      throw new Error(
        `The ${loss} loss is for classification; "${task.target}" is a regression target. Use meanSquaredError, meanAbsoluteError or huber.`,
      );
    }
    return;
  }
  if (loss === 'binaryCrossentropy' && (task.kind !== 'binary' || width !== 1)) {
    throw new Error(
      `binaryCrossentropy needs a binary target and a final Dense layer with 1 sigmoid unit; "${task.target}" has ${classes} classes and the last layer has ${width} units.`,
    );
  }
  if (usesOneHotTargets(loss) && width !== classes) {
    throw new Error(
      `"${task.target}" has ${classes} classes, so the final Dense layer needs ${classes} units with softmax; it has ${width}.`,
    );
  }
  if (!usesOneHotTargets(loss) && loss !== 'binaryCrossentropy') {
    throw new Error(
      `The ${loss} loss is for regression; "${task.target}" is a classification target. Use 'auto' or a cross-entropy loss.`,
    );
  }
}
