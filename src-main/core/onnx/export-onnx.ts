/**
 * Writes a trained model as an ONNX graph: preprocessing, every layer, and the answer heads. Works on
 * plain data only (no tf.js), so it runs anywhere the engine runs.
 */
import { checkExportable } from '../model/exportability.js';
import type { LayerSpec } from '../model/spec.js';
import type { TrainedModel, WeightTensor } from '../training/types.js';
import { GraphBuilder } from './graph-builder.js';
import type { TensorRef } from './graph-builder.js';
import { LAYER_MAPPERS } from './mappers/index.js';
import type { LayerContext, LayerMapper } from './mappers/index.js';
import { writeMetadata } from './metadata.js';
import type { OnnxProfile } from './onnx-profile.js';
import { buildOutputs, OUTPUT_LABEL, OUTPUT_PREDICTION, OUTPUT_PROBABILITIES } from './output-heads.js';
import { PORTABLE_INPUT } from './preprocess-manifest.js';
import { buildEncodedInput, buildPreprocessing } from './preprocess-graph.js';
import { onnx } from './proto/onnx.js';

export type { OnnxProfile };

export interface ExportMeta {
  layerlabVersion: string;
  datasetHash?: string;
  validationMetrics?: Record<string, number>;
  testMetrics?: Record<string, number>;
}

function weightsByLayer(weights: WeightTensor[], layerCount: number): WeightTensor[][] {
  const grouped = Array.from({ length: layerCount }, () => [] as WeightTensor[]);
  for (const w of weights) {
    if (w.layerIndex < 0 || w.layerIndex >= layerCount) {
      throw new Error(
        `Weight tensor "${w.name}" belongs to layer ${w.layerIndex + 1}, but the model has ${layerCount} layers. Retrain the model.`,
      );
    }
    grouped[w.layerIndex]!.push(w);
  }
  return grouped;
}

function mapLayer(ctx: LayerContext, layer: LayerSpec, input: TensorRef): TensorRef {
  const mapper = LAYER_MAPPERS[layer.className] as LayerMapper<unknown>;
  return mapper(ctx, layer.config, input);
}

/** Builds the ONNX model as a protobuf object (encode it with `onnx.ModelProto.encode`). */
export function buildOnnxModel(model: TrainedModel, meta: ExportMeta, profile: OnnxProfile = 'full'): onnx.IModelProto {
  const issues = checkExportable(model.spec);
  if (issues.length > 0)
    throw new Error(`This model cannot be exported to ONNX:\n${issues.map((i) => `- ${i.message}`).join('\n')}`);
  const { preprocessor } = model;
  const { task } = preprocessor;
  const outputNames = task.kind === 'regression' ? [OUTPUT_PREDICTION] : [OUTPUT_PROBABILITIES, OUTPUT_LABEL];
  const portable = profile === 'portable';
  const g = new GraphBuilder(portable ? [PORTABLE_INPUT] : preprocessor.features.map((f) => f.name), outputNames);
  let value = portable ? buildEncodedInput(g, preprocessor, PORTABLE_INPUT) : buildPreprocessing(g, preprocessor);
  const weights = weightsByLayer(model.weights, model.spec.layers.length);
  const channelsFirstOf = new Map<string, string>();
  model.spec.layers.forEach((layer, index) => {
    const label = `${layer.className} (layer ${index + 1})`;
    value = mapLayer({ g, index, label, weights: weights[index]!, channelsFirstOf }, layer, value);
  });
  buildOutputs(g, value, preprocessor, portable ? 'index' : 'name');
  const metadata = writeMetadata({
    layerlabVersion: meta.layerlabVersion,
    task,
    features: preprocessor.features.map((f) => ({ name: f.name, kind: f.type })),
    classLabels: task.labels ?? [],
    preprocessing: preprocessor,
    modelSpec: model.spec,
    datasetHash: meta.datasetHash,
    validationMetrics: meta.validationMetrics,
    testMetrics: meta.testMetrics,
    // Only portable files say so: a full file stays byte for byte what it was before the profiles.
    ...(portable ? { profile } : {}),
  });
  const from = portable
    ? `encoded features (input "${PORTABLE_INPUT}"; encode raw rows with the .preprocess.json manifest)`
    : 'raw column values';
  const description =
    task.kind === 'regression'
      ? `Predicts ${task.target} from ${from}.`
      : `Classifies ${task.target} (${(task.labels ?? []).join(', ')}) from ${from}.`;
  return g.toModel(meta.layerlabVersion, metadata, description);
}

/** The trained model as ONNX file bytes. */
export function exportOnnx(model: TrainedModel, meta: ExportMeta, profile: OnnxProfile = 'full'): Uint8Array {
  return onnx.ModelProto.encode(buildOnnxModel(model, meta, profile)).finish();
}
