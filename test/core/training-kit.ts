/**
 * Shared set-up for the training tests: a fixture CSV read and prepared by the real data engine, and a
 * small synthetic dataset (seeded) for tests that need many batches or an odd input shape.
 */
import { fileURLToPath } from 'node:url';
import { defaultDataSettings, inferTask, prepareData, readCsv } from '../../src-main/core/data/index.js';
import type { DataSettings, PreparedData, SplitData, TaskInfo } from '../../src-main/core/data/types.js';
import { defaultModelSpec } from '../../src-main/core/model/index.js';
import type { ModelSpec } from '../../src-main/core/model/spec.js';
import { createPrng } from '../../src-main/core/training/index.js';

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

export interface Fixture {
  prepared: PreparedData;
  settings: DataSettings;
  spec: ModelSpec;
}

export async function loadFixture(
  name: string,
  target: string,
  adjust: (settings: DataSettings) => DataSettings = (s) => s,
): Promise<Fixture> {
  const dataset = await readCsv(fixturePath(name));
  const settings = adjust(defaultDataSettings(dataset, target));
  const prepared = prepareData(dataset, settings);
  const task = inferTask(dataset, settings);
  const spec = defaultModelSpec({ kind: task.kind, classes: task.labels?.length }, prepared.preprocessor.inputShape);
  return { prepared, settings, spec };
}

/**
 * Rows of uniform noise in [-1, 1] with a class (or value) from a fixed linear rule, so a model can learn
 * it but not perfectly when `noise` flips some labels.
 */
export function syntheticData(options: {
  rows: number;
  inputShape: number[];
  kind: 'binary' | 'regression';
  seed?: number;
  noise?: number;
}): PreparedData {
  const { rows, inputShape, kind } = options;
  const prng = createPrng(options.seed ?? 7);
  const width = inputShape.reduce((a, b) => a * b, 1);
  const task: TaskInfo =
    kind === 'binary' ? { kind, target: 'label', labels: ['no', 'yes'] } : { kind, target: 'value' };
  const make = (count: number): SplitData => {
    const x = new Float32Array(count * width);
    const y = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      let score = 0;
      for (let j = 0; j < width; j++) {
        const v = prng.next() * 2 - 1;
        x[i * width + j] = v;
        score += (j % 3 === 0 ? 1 : -0.5) * v;
      }
      score += (options.noise ?? 0) * (prng.next() * 2 - 1);
      y[i] = kind === 'binary' ? (score > 0 ? 1 : 0) : score;
    }
    return { x, y, rows: Int32Array.from({ length: count }, (_, i) => i), count };
  };
  const train = make(Math.round(rows * 0.8));
  const validation = make(rows - train.count);
  return {
    preprocessor: {
      features: [],
      encodedWidth: width,
      inputShape,
      task,
      targetScale: kind === 'regression' ? { mean: 0, std: 1 } : undefined,
    },
    train,
    validation,
    test: make(0),
    droppedRows: 0,
    warnings: [],
  };
}
