/**
 * The preprocessing part of the graph: raw column values in, the model's input tensor out. It mirrors
 * the fitted Preprocessor exactly, so an exported model takes the same raw values as the CSV file.
 */
import type { CategoryFeature, NumericFeature, Preprocessor } from '../data/types.js';
import { ML_DOMAIN, int } from './graph-builder.js';
import type { GraphBuilder, TensorRef } from './graph-builder.js';

/** The text a missing category cell arrives as. */
export const MISSING_CATEGORY = '';

/**
 * A run of neighbouring numeric columns is joined first and then filled and scaled as one [batch, k] tensor:
 * a handful of nodes instead of four per column, which is what keeps single-row latency low. The arithmetic per
 * value is unchanged (fill, subtract, divide, in float32); a column without scaling subtracts 0 and divides by 1,
 * which is exact.
 */
function numericRun(g: GraphBuilder, features: NumericFeature[], inputs: string[], runIndex: number): string {
  const width = features.length;
  const joined = inputs.length === 1 ? inputs[0]! : g.op('Concat', inputs, { axis: int(1) });
  const fills = g.floats(
    `numeric${runIndex}_fill`,
    [width],
    features.map((f) => f.fill),
  );
  const filled = g.op('Where', [g.op('IsNaN', [joined]), fills, joined]);
  if (features.every((f) => f.scale.kind === 'none')) return filled;
  const offsets = features.map(({ scale }) =>
    scale.kind === 'standardize' ? scale.mean : scale.kind === 'minmax' ? scale.min : 0,
  );
  const divisors = features.map(({ scale }) => {
    const divisor = scale.kind === 'standardize' ? scale.std : scale.kind === 'minmax' ? scale.max - scale.min : 1;
    return divisor === 0 ? 1 : divisor;
  });
  const centered = g.op('Sub', [filled, g.floats(`numeric${runIndex}_offset`, [width], offsets)]);
  return g.op('Div', [centered, g.floats(`numeric${runIndex}_divisor`, [width], divisors)]);
}

/**
 * Category → index with LabelEncoder (opset 17's Equal has no string support). Unseen text maps to -1,
 * so its one-hot row is all zeros and its ordinal code is -1: never another category.
 */
function categoryPart(g: GraphBuilder, feature: CategoryFeature, input: string): { name: string; width: number } {
  const keys = [...feature.categories];
  const codes = keys.map((_, i) => i);
  if (feature.fill !== null && !keys.includes(MISSING_CATEGORY)) {
    const fillIndex = keys.indexOf(feature.fill);
    if (fillIndex < 0) {
      throw new Error(
        `Column "${feature.name}": its missing-value fill "${feature.fill}" is not one of its categories.`,
      );
    }
    keys.push(MISSING_CATEGORY);
    codes.push(fillIndex);
  }
  const code = g.op(
    'LabelEncoder',
    [input],
    {
      keys_strings: keys,
      values_int64s: { ints: codes },
      default_int64: int(-1),
    },
    ML_DOMAIN,
  );
  if (feature.encoding === 'ordinal') return { name: g.op('Cast', [code], { to: int(1) }), width: 1 };
  const count = feature.categories.length;
  const range = g.int64s(
    `${feature.name}_codes`,
    [count],
    feature.categories.map((_, i) => i),
  );
  const hot = g.op('Equal', [code, range]);
  return { name: g.op('Cast', [hot], { to: int(1) }), width: count };
}

/** Adds one graph input per feature column and returns the model's input tensor. */
export function buildPreprocessing(g: GraphBuilder, preprocessor: Preprocessor): TensorRef {
  const parts: string[] = [];
  let width = 0;
  let run: { features: NumericFeature[]; inputs: string[] } = { features: [], inputs: [] };
  let runs = 0;
  const closeRun = (): void => {
    if (run.features.length === 0) return;
    parts.push(numericRun(g, run.features, run.inputs, runs++));
    run = { features: [], inputs: [] };
  };
  for (const feature of preprocessor.features) {
    if (feature.type === 'number') {
      run.features.push(feature);
      run.inputs.push(g.addInput(feature.name, 'float', [1]));
      width += 1;
    } else {
      closeRun();
      const part = categoryPart(g, feature, g.addInput(feature.name, 'string', [1]));
      parts.push(part.name);
      width += part.width;
    }
  }
  closeRun();
  if (width !== preprocessor.encodedWidth) {
    throw new Error(
      `The preprocessor says ${preprocessor.encodedWidth} encoded values per row, but its features make ${width}.`,
    );
  }
  const flat = parts.length === 1 ? parts[0]! : g.op('Concat', parts, { axis: int(1) });
  return shapedAsInput(g, flat, preprocessor);
}

/** The encoded row [batch, encodedWidth] in the model's input shape (an image stays flat until here). */
function shapedAsInput(g: GraphBuilder, flat: string, preprocessor: Preprocessor): TensorRef {
  const width = preprocessor.encodedWidth;
  const shape = preprocessor.inputShape;
  if (shape.length === 1 && shape[0] === width) return { name: flat, shape: [width] };
  const target = g.int64s('image_shape', [shape.length + 1], [0, ...shape]);
  return { name: g.op('Reshape', [flat, target]), shape: [...shape] };
}

/**
 * The portable profile's input: the already encoded row as one float32 [batch, encodedWidth] tensor named
 * `inputName`. The encoding happens outside the graph, from the preprocessing manifest.
 */
export function buildEncodedInput(g: GraphBuilder, preprocessor: Preprocessor, inputName: string): TensorRef {
  return shapedAsInput(g, g.addInput(inputName, 'float', [preprocessor.encodedWidth]), preprocessor);
}
