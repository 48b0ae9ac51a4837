/**
 * The benchmark network as ONNX without LayerLab's raw-column prologue, to price the prologue: the same
 * layers, weights and answer heads as the exported file, fed differently.
 *  - `bare`: one pre-encoded float input `features` [batch, 32] (what a portable file takes);
 *  - `joined`: the same 32 raw-column inputs as the exported file, only joined (no fill of missing values),
 *    i.e. the least any graph with one input per column can do.
 */
import { GraphBuilder, int } from '../../src-main/core/onnx/graph-builder.js';
import type { TensorRef } from '../../src-main/core/onnx/graph-builder.js';
import { LAYER_MAPPERS } from '../../src-main/core/onnx/mappers/index.js';
import type { LayerMapper } from '../../src-main/core/onnx/mappers/index.js';
import { buildOutputs, OUTPUT_LABEL, OUTPUT_PROBABILITIES } from '../../src-main/core/onnx/output-heads.js';
import { onnx } from '../../src-main/core/onnx/proto/onnx.js';
import type { TrainedModel } from '../../src-main/core/training/types.js';

export type PrologueVariant = 'bare' | 'joined';

export function networkOnnx(model: TrainedModel, variant: PrologueVariant): Uint8Array {
  const { preprocessor } = model;
  const columns = preprocessor.features.map((f) => f.name);
  const g = new GraphBuilder(variant === 'bare' ? ['features'] : columns, [OUTPUT_PROBABILITIES, OUTPUT_LABEL]);
  const width = preprocessor.encodedWidth;
  let value: TensorRef =
    variant === 'bare'
      ? { name: g.addInput('features', 'float', [width]), shape: [width] }
      : {
          name: g.op(
            'Concat',
            columns.map((name) => g.addInput(name, 'float', [1])),
            { axis: int(1) },
          ),
          shape: [width],
        };
  const channelsFirstOf = new Map<string, string>();
  model.spec.layers.forEach((layer, index) => {
    const mapper = LAYER_MAPPERS[layer.className] as LayerMapper<unknown>;
    const weights = model.weights.filter((w) => w.layerIndex === index);
    value = mapper(
      { g, index, label: `${layer.className} ${index + 1}`, weights, channelsFirstOf },
      layer.config,
      value,
    );
  });
  buildOutputs(g, value, preprocessor);
  return onnx.ModelProto.encode(g.toModel('bench', {}, `benchmark network, ${variant} inputs`)).finish();
}
