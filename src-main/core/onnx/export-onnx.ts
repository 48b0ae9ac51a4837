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
import { buildOutputs, OUTPUT_LABEL, OUTPUT_PREDICTION, OUTPUT_PROBABILITIES } from './output-heads.js';
import { buildPreprocessing } from './preprocess-graph.js';
import { onnx } from './proto/onnx.js';

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
export function buildOnnxModel(model: TrainedModel, meta: ExportMeta): onnx.IModelProto {
  const issues = checkExportable(model.spec);
  if (issues.length > 0)
    throw new Error(`This model cannot be exported to ONNX:\n${issues.map((i) => `- ${i.message}`).join('\n')}`);
  const { preprocessor } = model;
  const { task } = preprocessor;
  const outputNames = task.kind === 'regression' ? [OUTPUT_PREDICTION] : [OUTPUT_PROBABILITIES, OUTPUT_LABEL];
  const g = new GraphBuilder(
    preprocessor.features.map((f) => f.name),
    outputNames,
  );
  let value = buildPreprocessing(g, preprocessor);
  const weights = weightsByLayer(model.weights, model.spec.layers.length);
  const channelsFirstOf = new Map<string, string>();
  model.spec.layers.forEach((layer, index) => {
    const label = `${layer.className} (layer ${index + 1})`;
    value = mapLayer({ g, index, label, weights: weights[index]!, channelsFirstOf }, layer, value);
  });
  buildOutputs(g, value, preprocessor);
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
  });
  const description =
    task.kind === 'regression'
      ? `Predicts ${task.target} from raw column values.`
      : `Classifies ${task.target} (${(task.labels ?? []).join(', ')}) from raw column values.`;
  return g.toModel(meta.layerlabVersion, metadata, description);
}

/** The trained model as ONNX file bytes. */
export function exportOnnx(model: TrainedModel, meta: ExportMeta): Uint8Array {
  return onnx.ModelProto.encode(buildOnnxModel(model, meta)).finish();
}
