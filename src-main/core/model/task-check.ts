/**
 * Shapes can line up and the model can still be wrong for the data: 4 outputs for 3 classes, relu on a
 * regression output, an image-shaped output. This layer of checks knows the task and says what to change.
 */
import {
  applyShapeFix,
  inferShapes,
  shapeText,
  type ShapeFix,
  type ShapeIssue,
  type ShapeReport,
} from './infer-shapes.js';
import { MODEL_SPEC_VERSION, type ActivationName, type DenseConfig, type LayerSpec, type ModelSpec } from './spec.js';

export const TASK_KINDS = ['regression', 'binary', 'multiclass'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export interface ModelTask {
  kind: TaskKind;
  /** Number of classes; required for multiclass (>= 2). */
  classes?: number;
}

interface OutputNeed {
  units: number;
  activation: ActivationName;
  /** How the message names what the data needs, e.g. "the data has 3 classes". */
  phrase: string;
}

function outputNeed(task: ModelTask): OutputNeed | string {
  switch (task.kind) {
    case 'regression':
      return { units: 1, activation: 'linear', phrase: 'a regression task predicts 1 number' };
    case 'binary':
      return { units: 1, activation: 'sigmoid', phrase: 'a yes/no (binary) task needs 1 output' };
    case 'multiclass': {
      const classes = task.classes;
      if (classes === undefined || !Number.isInteger(classes) || classes < 2) {
        return `A multi-class task needs at least 2 classes, but the target has ${classes ?? 'no known'} classes: pick another target column or treat it as a number (regression)`;
      }
      return { units: classes, activation: 'softmax', phrase: `the data has ${classes} classes` };
    }
  }
}

/** The output layer a task needs: Dense with one unit per class (softmax), or 1 unit (sigmoid / linear). */
export function outputLayerFor(task: ModelTask): LayerSpec {
  const need = outputNeed(task);
  if (typeof need === 'string') throw new Error(need);
  return { className: 'Dense', config: { units: need.units, activation: need.activation } };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const who = (layer: { className: string }, index: number) => `${layer.className} (layer ${index + 1})`;

/** The last layer that does something at prediction time (Dropout is a no-op then). */
function lastEffectiveIndex(layers: readonly LayerSpec[], before = layers.length): number {
  for (let i = before - 1; i >= 0; i--) if (layers[i]!.className !== 'Dropout') return i;
  return -1;
}

function withDense(layer: LayerSpec, changes: Partial<DenseConfig>): LayerSpec {
  return { ...layer, className: 'Dense', config: { ...(layer.config as DenseConfig), ...changes } };
}

function flatOutputIssue(report: ShapeReport, layers: readonly LayerSpec[], need: OutputNeed): ShapeIssue {
  const out = report.outputShape ?? [];
  const denseOnGrid = report.layers.find((l) => l.className === 'Dense' && l.inputShape.length > 1);
  if (denseOnGrid) {
    const i = denseOnGrid.index;
    const from = i === 0 ? 'the dataset' : who(layers[i - 1]!, i - 1);
    return {
      layerIndex: i,
      message: `${who(denseOnGrid, i)} after ${from} gets ${shapeText(denseOnGrid.inputShape)}; it works on the last axis only, so the model ends with ${shapeText(out)} instead of ${shapeText([need.units])}: add Flatten before it`,
      fix: {
        description: `Insert Flatten before layer ${i + 1} (Dense)`,
        insertAt: i,
        layer: { className: 'Flatten', config: {} },
      },
    };
  }
  // inferShapes fails an empty stack, so a report that reached here has a last layer.
  const last = layers.length - 1;
  return {
    layerIndex: last,
    message: `The model ends with ${shapeText(out)} from ${who(layers[last]!, last)}, but ${need.phrase}, a flat ${shapeText([need.units])}: add Flatten (or global pooling) and a Dense output layer with ${plural(need.units, 'unit')}`,
    fix: {
      description: 'Add Flatten at the end',
      insertAt: layers.length,
      layer: { className: 'Flatten', config: {} },
    },
  };
}

function appendOutput(layers: readonly LayerSpec[], need: OutputNeed): ShapeFix {
  return {
    description: `Add a Dense output layer with ${plural(need.units, 'unit')} and ${need.activation}`,
    insertAt: layers.length,
    layer: { className: 'Dense', config: { units: need.units, activation: need.activation } },
  };
}

function outputIssue(
  report: ShapeReport,
  layers: readonly LayerSpec[],
  task: ModelTask,
  need: OutputNeed,
): ShapeIssue | undefined {
  const out = report.outputShape ?? [];
  if (out.length !== 1) return flatOutputIssue(report, layers, need);
  const size = out[0]!;

  const lastIndex = lastEffectiveIndex(layers);
  const activationLayer = layers[lastIndex]?.className === 'Activation' ? lastIndex : -1;
  const sizingIndex = activationLayer >= 0 ? lastEffectiveIndex(layers, activationLayer) : lastIndex;
  const sizing = layers[sizingIndex];

  if (lastIndex < 0) {
    return {
      layerIndex: 0,
      message: `The model has only Dropout layers, but ${need.phrase}: add a Dense output layer with ${plural(need.units, 'unit')} and ${need.activation} at the end`,
      fix: appendOutput(layers, need),
    };
  }
  if (!sizing || (sizing.className !== 'Dense' && activationLayer < 0)) {
    return {
      layerIndex: lastIndex,
      message: `The model ends with ${who(layers[lastIndex]!, lastIndex)}, which gives ${plural(size, 'output')}, but ${need.phrase}: add a Dense output layer with ${plural(need.units, 'unit')} and ${need.activation} at the end`,
      fix: appendOutput(layers, need),
    };
  }

  const activationHolder = activationLayer >= 0 ? layers[activationLayer]! : sizing;
  const holderIndex = activationLayer >= 0 ? activationLayer : sizingIndex;
  const activation: ActivationName =
    activationHolder.className === 'Activation'
      ? activationHolder.config.activation
      : ((activationHolder.config as DenseConfig).activation ?? 'linear');

  // Two softmax outputs is an equally good way to do a yes/no task.
  const twoClassSoftmax = task.kind === 'binary' && size === 2 && activation === 'softmax';
  if (size !== need.units && !twoClassSoftmax) {
    const message =
      `The last layer gives ${plural(size, 'output')} but ${need.phrase}: set units to ${need.units}` +
      (activation === need.activation ? '' : ` and activation to ${need.activation}`);
    if (sizing.className !== 'Dense') {
      return {
        layerIndex: sizingIndex,
        message: `${message} (add a Dense output layer)`,
        fix: appendOutput(layers, need),
      };
    }
    const changes: Partial<DenseConfig> = { units: need.units };
    if (activationLayer < 0 && activation !== need.activation) changes.activation = need.activation;
    return {
      layerIndex: sizingIndex,
      message,
      fix: {
        description: `Set units of layer ${sizingIndex + 1} (Dense) to ${need.units}${changes.activation ? ` and activation to ${need.activation}` : ''}`,
        insertAt: sizingIndex,
        replaceAt: sizingIndex,
        layer: withDense(sizing, changes),
      },
    };
  }

  const wanted: ActivationName = twoClassSoftmax ? 'softmax' : need.activation;
  if (activation === wanted) return undefined;
  const why: Record<TaskKind, string> = {
    multiclass: `a ${need.units}-class task needs softmax so its outputs are class probabilities`,
    binary: 'a yes/no (binary) task with 1 output needs sigmoid so it gives a probability',
    regression: 'a regression task needs linear so it can predict any number',
  };
  const replacement: LayerSpec =
    activationHolder.className === 'Activation'
      ? { ...activationHolder, config: { activation: wanted } }
      : withDense(activationHolder, { activation: wanted });
  return {
    layerIndex: holderIndex,
    message: `The last layer uses ${activation}, but ${why[task.kind]}: set activation to ${wanted}`,
    fix: {
      description: `Set activation of layer ${holderIndex + 1} (${activationHolder.className}) to ${wanted}`,
      insertAt: holderIndex,
      replaceAt: holderIndex,
      layer: replacement,
    },
  };
}

/**
 * inferShapes plus the checks that need the task. On a task problem the report keeps every layer's
 * shapes and the output shape (they are fine) and sets ok: false with the issue.
 */
export function checkModelForTask(inputShape: number[], spec: ModelSpec, task: ModelTask): ShapeReport {
  const report = inferShapes(inputShape, spec);
  const need = outputNeed(task);
  if (typeof need === 'string') return { ...report, ok: false, issue: { layerIndex: -1, message: need } };
  const layers = Array.isArray(spec?.layers) ? spec.layers : [];
  if (!report.ok) {
    if (layers.length === 0 && report.issue?.layerIndex === 0) {
      return { ...report, issue: { ...report.issue, fix: appendOutput(layers, need) } };
    }
    return report;
  }
  const issue = outputIssue(report, layers, task, need);
  return issue ? { ...report, ok: false, issue } : report;
}

/**
 * A sensible first model for the data: a small MLP for a flat row of features, a small CNN for an image,
 * an LSTM for a sequence. Always passes checkModelForTask for the same task and input shape.
 */
export function defaultModelSpec(task: ModelTask, inputShape: number[]): ModelSpec {
  const body: LayerSpec[] = [];
  if (inputShape.length === 3) {
    body.push({
      className: 'Conv2D',
      config: { filters: 16, kernelSize: [3, 3], padding: 'same', activation: 'relu' },
    });
    // Pooling a tiny image would leave nothing to learn from.
    if (inputShape[0]! >= 4 && inputShape[1]! >= 4)
      body.push({ className: 'MaxPooling2D', config: { poolSize: [2, 2] } });
    body.push({ className: 'Flatten', config: {} }, { className: 'Dense', config: { units: 64, activation: 'relu' } });
  } else if (inputShape.length === 2) {
    body.push(
      { className: 'LSTM', config: { units: 32 } },
      { className: 'Dense', config: { units: 32, activation: 'relu' } },
    );
  } else {
    if (inputShape.length > 3) body.push({ className: 'Flatten', config: {} });
    body.push(
      { className: 'Dense', config: { units: 64, activation: 'relu' } },
      { className: 'Dropout', config: { rate: 0.1 } },
      { className: 'Dense', config: { units: 32, activation: 'relu' } },
    );
  }
  body.push(outputLayerFor(task));
  return {
    version: MODEL_SPEC_VERSION,
    layers: body.map((layer, i) => ({ ...layer, id: `l${i + 1}` }) as LayerSpec),
  };
}

/** Applies the suggested fixes one after another until the model fits the task or no fix is offered. */
export function autoFixModel(
  inputShape: number[],
  spec: ModelSpec,
  task: ModelTask,
  maxSteps = 8,
): { spec: ModelSpec; report: ShapeReport } {
  let current = spec;
  let report = checkModelForTask(inputShape, current, task);
  for (let step = 0; step < maxSteps && !report.ok && report.issue?.fix; step++) {
    current = applyShapeFix(current, report.issue.fix);
    report = checkModelForTask(inputShape, current, task);
  }
  return { spec: current, report };
}
