/**
 * Shared set-up for the training-script tests: a fixture trained by the real engine (modest epochs), the
 * script and weights file written as `layerlab export --format` writes them, and the scripts run in Python.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { defaultDataSettings, prepareData, readCsv } from '../../src-main/core/data/index.js';
import type { Dataset, DataSettings, PreparedData } from '../../src-main/core/data/types.js';
import { defaultModelSpec } from '../../src-main/core/model/index.js';
import type { ModelSpec } from '../../src-main/core/model/spec.js';
import { encodeTrainedModel } from '../../src-main/core/project/weights-file.js';
import { scriptPlan, trainingScript, type ScriptFormat } from '../../src-main/core/scripts/index.js';
import { buildModel } from '../../src-main/core/training/build-model.js';
import { defaultTrainingSettings } from '../../src-main/core/training/defaults.js';
import { train } from '../../src-main/core/training/train.js';
import type { TrainingResult, TrainingSettings } from '../../src-main/core/training/types.js';
import { fixturePath } from './training-kit.js';

const run = promisify(execFile);

export interface TrainedFixture {
  name: string;
  dataset: Dataset;
  dataSettings: DataSettings;
  prepared: PreparedData;
  spec: ModelSpec;
  settings: TrainingSettings;
  result: TrainingResult;
  parameters: number;
}

export interface FixtureCase {
  file: string;
  target: string;
  epochs: number;
  spec?: (inputShape: number[]) => ModelSpec;
  adjust?: (settings: TrainingSettings) => TrainingSettings;
}

export async function trainFixture(c: FixtureCase): Promise<TrainedFixture> {
  const dataset = await readCsv(fixturePath(c.file));
  const dataSettings = defaultDataSettings(dataset, c.target);
  const prepared = prepareData(dataset, dataSettings);
  const task = prepared.preprocessor.task;
  const inputShape = prepared.preprocessor.inputShape;
  const spec = c.spec?.(inputShape) ?? defaultModelSpec({ kind: task.kind, classes: task.labels?.length }, inputShape);
  const base: TrainingSettings = { ...defaultTrainingSettings(task), epochs: c.epochs, backend: 'wasm' };
  const settings = c.adjust ? c.adjust(base) : base;
  settings.earlyStopping = { ...settings.earlyStopping, patience: Math.min(settings.earlyStopping.patience, c.epochs) };
  const result = await train(spec, prepared, settings);
  const model = buildModel(spec, inputShape);
  const parameters = model.countParams();
  model.dispose();
  return { name: c.file.replace(/\.csv$/, ''), dataset, dataSettings, prepared, spec, settings, result, parameters };
}

/** Writes the script and the run's weights as the export does; returns their paths. */
export async function writeScript(
  dir: string,
  fixture: TrainedFixture,
  format: ScriptFormat,
  useFitted = false,
): Promise<{ script: string; weights: string }> {
  const plan = scriptPlan(
    {
      id: `run-${fixture.name}`,
      number: 1,
      spec: fixture.spec,
      dataSettings: fixture.dataSettings,
      settings: fixture.settings,
      finalValidation: fixture.result.finalValidation as Record<string, number>,
    },
    fixture.dataset,
    fixture.prepared.preprocessor,
    { useFitted },
  );
  const script = path.join(dir, `${fixture.name}-${format}.py`);
  const weights = path.join(dir, `${fixture.name}-${format}.weights.bin`);
  await fs.writeFile(script, trainingScript(plan, format));
  await fs.writeFile(weights, encodeTrainedModel(fixture.result.model));
  return { script, weights };
}

export interface ScriptReport {
  parameters: number;
  finalValidation: Record<string, number>;
  validationRows: number[];
  validationPredictions: number[][];
  onnx: string | null;
  epochsCompleted: number;
}

export async function runPython(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run(command, args, {
      maxBuffer: 64 << 20,
      timeout: 300_000,
      env: { ...process.env, OMP_NUM_THREADS: '1', CUDA_VISIBLE_DEVICES: '', ...env },
    });
  } catch (error) {
    const e = error as Error & { stderr?: string; stdout?: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

export async function readReport(file: string): Promise<ScriptReport> {
  return JSON.parse(await fs.readFile(file, 'utf8')) as ScriptReport;
}
