/** Which stacks can be exported, known before training, and the same verdict from the exporter. */
import { describe, expect, it } from 'vitest';
import { checkExportable } from '../../src-main/core/model/exportability.js';
import type { LayerSpec, ModelSpec } from '../../src-main/core/model/spec.js';
import { exportOnnx, inspectOnnx } from '../../src-main/core/onnx/index.js';
import { makePreprocessor, multiclass, numberFeature, numericFeatures } from './onnx-test-kit.js';

const spec = (...layers: LayerSpec[]): ModelSpec => ({ version: 1, layers });
const head: LayerSpec = { className: 'Dense', config: { units: 3, activation: 'softmax' } };

describe('checkExportable', () => {
  it('accepts every layer kind with activations ONNX can express', () => {
    expect(
      checkExportable(
        spec(
          { className: 'Conv1D', config: { filters: 2, kernelSize: 2, activation: 'selu' } },
          { className: 'LSTM', config: { units: 3, returnSequences: true } },
          { className: 'GRU', config: { units: 3, activation: 'relu', recurrentActivation: 'sigmoid' } },
          { className: 'Dense', config: { units: 3, activation: 'swish' } },
          { className: 'Activation', config: { activation: 'relu6' } },
          head,
        ),
      ),
    ).toEqual([]);
  });

  it('names the layer, the activation and what to choose instead', () => {
    const issues = checkExportable(
      spec(
        { className: 'SimpleRNN', config: { units: 4, activation: 'relu6', returnSequences: true } },
        { className: 'LSTM', config: { units: 4, recurrentActivation: 'swish', returnSequences: true } },
        { className: 'GRU', config: { units: 4, activation: 'softmax', recurrentActivation: 'selu' } },
        head,
      ),
    );
    expect(issues).toEqual([
      {
        layerIndex: 0,
        message:
          'SimpleRNN (layer 1) uses activation "relu6", which the ONNX RNN operator cannot apply inside the recurrence. Choose one of: linear, relu, elu, sigmoid, hardSigmoid, tanh, softplus, softsign.',
      },
      {
        layerIndex: 1,
        message:
          'LSTM (layer 2) uses recurrent activation "swish", which the ONNX LSTM operator cannot apply to its gates. Choose one of: linear, relu, elu, sigmoid, hardSigmoid, tanh, softplus, softsign.',
      },
      {
        layerIndex: 2,
        message:
          'GRU (layer 3) uses activation "softmax", which the ONNX GRU operator cannot apply inside the recurrence. Choose one of: linear, relu, elu, sigmoid, hardSigmoid, tanh, softplus, softsign.',
      },
      {
        layerIndex: 2,
        message:
          'GRU (layer 3) uses recurrent activation "selu", which the ONNX GRU operator cannot apply to its gates. Choose one of: linear, relu, elu, sigmoid, hardSigmoid, tanh, softplus, softsign.',
      },
    ]);
  });

  it('flags resetAfter and unknown layer kinds', () => {
    const unknown = { className: 'Embedding', config: {} } as unknown as LayerSpec;
    const issues = checkExportable(spec({ className: 'GRU', config: { units: 2, resetAfter: true } }, unknown));
    expect(issues.map((i) => i.layerIndex)).toEqual([0, 1]);
    expect(issues[0]?.message).toBe(
      'GRU (layer 1) has resetAfter turned on, which tf.js cannot build; turn resetAfter off.',
    );
    expect(issues[1]?.message).toMatch(
      /^Layer 2 is a "Embedding", which the ONNX export does not know\. Replace it with one of: Dense, /,
    );
  });

  it('the exporter refuses the same stacks with the same messages', () => {
    const preprocessor = makePreprocessor(numericFeatures(12), multiclass(), [6, 2]);
    const trained = {
      spec: spec({ className: 'SimpleRNN', config: { units: 2, activation: 'selu' } }, head),
      inputShape: [6, 2],
      task: preprocessor.task,
      preprocessor,
      weights: [],
    };
    expect(() => exportOnnx(trained, { layerlabVersion: 'test' })).toThrow(
      'This model cannot be exported to ONNX:\n- SimpleRNN (layer 1) uses activation "selu", which the ONNX RNN operator cannot apply inside the recurrence.',
    );
  });

  it('the exporter names a layer whose weights do not fit its config', () => {
    const preprocessor = makePreprocessor(numericFeatures(4), multiclass());
    const trained = {
      spec: spec(head),
      inputShape: [4],
      task: preprocessor.task,
      preprocessor,
      weights: [
        { layerIndex: 0, name: 'kernel', shape: [5, 3], values: new Float32Array(15) },
        { layerIndex: 0, name: 'bias', shape: [3], values: new Float32Array(3) },
      ],
    };
    expect(() => exportOnnx(trained, { layerlabVersion: 'test' })).toThrow(
      'Dense (layer 1): the kernel has shape [5, 3] but the layer needs [4, 3]. Retrain the model after changing its layers.',
    );
  });

  it('columns may be named like graph internals, but not like an output', () => {
    const features = [numberFeature('isnan'), numberFeature('where'), numberFeature('sub')];
    const ok = makePreprocessor(features, multiclass());
    const weights = [
      { layerIndex: 0, name: 'kernel', shape: [3, 3], values: new Float32Array(9) },
      { layerIndex: 0, name: 'bias', shape: [3], values: new Float32Array(3) },
    ];
    const bytes = exportOnnx({ spec: spec(head), preprocessor: ok, weights }, { layerlabVersion: 'test' });
    expect(inspectOnnx(bytes).inputs.map((i) => i.name)).toEqual(['isnan', 'where', 'sub']);
    const clash = makePreprocessor([numberFeature('label'), numberFeature('b'), numberFeature('c')], multiclass());
    expect(() => exportOnnx({ spec: spec(head), preprocessor: clash, weights }, { layerlabVersion: 'test' })).toThrow(
      'A feature column is named "label", like another column or one of the model\'s outputs (probabilities, label). Rename the column.',
    );
  });
});
