/**
 * The metadata_props LayerLab writes into every model, as plain strings (JSON where structured), and the
 * reader that turns them back into typed data.
 */
import type { Preprocessor, TaskInfo } from '../data/types.js';
import type { ModelSpec } from '../model/spec.js';
import { ONNX_PROFILES, type OnnxProfile } from './onnx-profile.js';

export const METADATA_KEYS = {
  version: 'layerlab_version',
  task: 'task',
  features: 'features',
  classLabels: 'class_labels',
  preprocessing: 'preprocessing',
  modelSpec: 'model_spec',
  datasetHash: 'dataset_hash',
  validationMetrics: 'validation_metrics',
  testMetrics: 'test_metrics',
  profile: 'onnx_profile',
} as const;

export interface FeatureSummary {
  name: string;
  kind: 'number' | 'category';
}

export interface LayerlabMetadata {
  layerlabVersion: string;
  task: TaskInfo;
  features: FeatureSummary[];
  classLabels: string[];
  preprocessing: Preprocessor;
  modelSpec?: ModelSpec;
  datasetHash?: string;
  /** The kept weights' metrics, exactly as the run's record and the CLI report give them. */
  validationMetrics?: Record<string, number>;
  /** The same metrics on the test split (absent when the run had no test rows). */
  testMetrics?: Record<string, number>;
  /** How the file was written; absent in files from before the portable profile, which are all full. */
  profile?: OnnxProfile;
}

export function writeMetadata(data: LayerlabMetadata): Record<string, string> {
  const props: Record<string, string> = {
    [METADATA_KEYS.version]: data.layerlabVersion,
    [METADATA_KEYS.task]: JSON.stringify(data.task),
    [METADATA_KEYS.features]: JSON.stringify(data.features),
    [METADATA_KEYS.classLabels]: JSON.stringify(data.classLabels),
    [METADATA_KEYS.preprocessing]: JSON.stringify(data.preprocessing),
  };
  if (data.modelSpec) props[METADATA_KEYS.modelSpec] = JSON.stringify(data.modelSpec);
  if (data.datasetHash) props[METADATA_KEYS.datasetHash] = data.datasetHash;
  if (data.validationMetrics) props[METADATA_KEYS.validationMetrics] = JSON.stringify(data.validationMetrics);
  if (data.testMetrics && Object.keys(data.testMetrics).length > 0)
    props[METADATA_KEYS.testMetrics] = JSON.stringify(data.testMetrics);
  if (data.profile) props[METADATA_KEYS.profile] = data.profile;
  return props;
}

function parseJson<T>(props: Record<string, string>, key: string): T | undefined {
  const text = props[key];
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`The model's metadata entry "${key}" is not valid JSON.`);
  }
}

/** LayerLab's metadata from a model's metadata_props, or null when the model was not made by LayerLab. */
export function readMetadata(props: Record<string, string>): LayerlabMetadata | null {
  const version = props[METADATA_KEYS.version];
  const task = parseJson<TaskInfo>(props, METADATA_KEYS.task);
  const preprocessing = parseJson<Preprocessor>(props, METADATA_KEYS.preprocessing);
  if (version === undefined || !task || !preprocessing) return null;
  return {
    layerlabVersion: version,
    task,
    features: parseJson<FeatureSummary[]>(props, METADATA_KEYS.features) ?? [],
    classLabels: parseJson<string[]>(props, METADATA_KEYS.classLabels) ?? [],
    preprocessing,
    modelSpec: parseJson<ModelSpec>(props, METADATA_KEYS.modelSpec),
    datasetHash: props[METADATA_KEYS.datasetHash],
    validationMetrics: parseJson<Record<string, number>>(props, METADATA_KEYS.validationMetrics),
    testMetrics: parseJson<Record<string, number>>(props, METADATA_KEYS.testMetrics),
    profile: ONNX_PROFILES.find((p) => p === props[METADATA_KEYS.profile]),
  };
}
