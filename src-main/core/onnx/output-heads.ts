/**
 * Turns the network's raw output into answers: `probabilities` + `label` for classification,
 * `prediction` in the target's own units for regression.
 */
import type { TaskInfo, Preprocessor } from '../data/types.js';
import { int } from './graph-builder.js';
import type { GraphBuilder, TensorRef } from './graph-builder.js';

export const OUTPUT_PROBABILITIES = 'probabilities';
export const OUTPUT_LABEL = 'label';
export const OUTPUT_PREDICTION = 'prediction';

function classLabels(task: TaskInfo): string[] {
  if (!task.labels || task.labels.length < 2) {
    throw new Error(
      `The ${task.kind} task on "${task.target}" has no class labels; prepare the data again before exporting.`,
    );
  }
  return task.labels;
}

/**
 * How `label` is given: the class name (a string tensor, the full profile) or the class index as int64 (the
 * portable profile, for runtimes without string tensors; the manifest's labels name the index).
 */
export type LabelOutput = 'name' | 'index';

export function buildOutputs(
  g: GraphBuilder,
  output: TensorRef,
  preprocessor: Preprocessor,
  labelOutput: LabelOutput = 'name',
): void {
  const { task } = preprocessor;
  if (output.shape.length !== 1) {
    throw new Error(
      `The last layer gives shape [${output.shape.join(', ')}] per row; add Flatten and a Dense layer so it gives one row of values.`,
    );
  }
  const width = output.shape[0]!;
  if (task.kind === 'regression') {
    const scale = preprocessor.targetScale;
    const value = scale
      ? g.op('Add', [
          g.op('Mul', [output.name, g.floats('target_std', [1], [scale.std])]),
          g.floats('target_mean', [1], [scale.mean]),
        ])
      : output.name;
    g.addOutput(OUTPUT_PREDICTION, value, 'float', [width]);
    return;
  }
  const labels = classLabels(task);
  const byName = labelOutput === 'name';
  const labelTable = byName ? g.strings('class_labels', [labels.length], labels) : null;
  /** [batch] int64 class indices → the `label` output. */
  const addLabel = (index: string): void => {
    if (labelTable) g.addOutput(OUTPUT_LABEL, g.op('Gather', [labelTable, index]), 'string', []);
    else g.addOutput(OUTPUT_LABEL, index, 'int64', []);
  };
  if (width === 1 && labels.length === 2) {
    // A single sigmoid unit is P(second class).
    const p = output.name;
    const probabilities = g.op('Concat', [g.op('Sub', [g.scalar('one', 1), p]), p], { axis: int(1) });
    g.addOutput(OUTPUT_PROBABILITIES, probabilities, 'float', [2]);
    const positive = g.op('Cast', [g.op('GreaterOrEqual', [p, g.scalar('threshold', 0.5)])], { to: int(7) });
    // The full profile looks the name up before squeezing, as it always has, so its files stay the same.
    if (labelTable) {
      const label = g.op('Squeeze', [g.op('Gather', [labelTable, positive]), g.int64s('axis1', [1], [1])]);
      g.addOutput(OUTPUT_LABEL, label, 'string', []);
    } else addLabel(g.op('Squeeze', [positive, g.int64s('axis1', [1], [1])]));
    return;
  }
  if (width !== labels.length) {
    throw new Error(
      `The last layer gives ${width} values per row but "${task.target}" has ${labels.length} classes; set the last Dense layer to ${labels.length} units.`,
    );
  }
  g.addOutput(OUTPUT_PROBABILITIES, output.name, 'float', [width]);
  const best = g.op('ArgMax', [output.name], { axis: int(1), keepdims: int(0) });
  addLabel(best);
}
