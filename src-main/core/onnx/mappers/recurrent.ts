/**
 * SimpleRNN, LSTM and GRU as the ONNX RNN, LSTM and GRU operators.
 *
 * tf.js stores kernel [input, gates·units] and recurrent kernel [units, gates·units]; ONNX wants
 * W [1, gates·units, input] and R [1, gates·units, units] with gates in its own order (LSTM: Keras i,f,c,o
 * vs ONNX i,o,f,c; GRU: z,r,h in both). The Keras bias goes to Wb, Rb stays zero. onnxruntime only runs
 * the sequence-major layout, so the batch-major tf.js input is transposed in and out.
 */
import {
  RECURRENT_DEFAULT_ACTIVATION,
  RECURRENT_ONNX_ACTIVATIONS,
  defaultRecurrentActivation,
} from '../../model/exportability.js';
import type { ActivationName, RecurrentConfig } from '../../model/spec.js';
import { int, ints } from '../graph-builder.js';
import { sliceColumns, transposeValues } from '../tensor-layout.js';
import { lastDim, takeWeights } from './context.js';
import type { LayerContext, LayerMapper } from './context.js';

type RecurrentOp = 'RNN' | 'LSTM' | 'GRU';

/** For each ONNX gate block, the Keras block it comes from. */
const GATE_SOURCES: Record<RecurrentOp, number[]> = {
  RNN: [0],
  LSTM: [0, 3, 1, 2],
  GRU: [0, 1, 2],
};

function onnxActivation(ctx: LayerContext, name: ActivationName, role: string): string {
  const onnxName = RECURRENT_ONNX_ACTIVATIONS[name];
  if (!onnxName) {
    throw new Error(
      `${ctx.label}: the ${role} "${name}" has no ONNX equivalent inside a recurrent layer. Choose one of: ${Object.keys(RECURRENT_ONNX_ACTIVATIONS).join(', ')}.`,
    );
  }
  return onnxName;
}

/**
 * onnxruntime hands out activation_alpha/beta values in order, only to the functions that take them.
 * Affine's defaults are not identity, so its values are always written, and the others get theirs
 * written explicitly to keep the sequence aligned.
 */
function activationParameters(functions: string[]): { alpha: number[]; beta: number[] } {
  const alpha: number[] = [];
  const beta: number[] = [];
  for (const f of functions) {
    if (f === 'Affine') {
      alpha.push(1);
      beta.push(0);
    }
    if (f === 'HardSigmoid') {
      alpha.push(0.2);
      beta.push(0.5);
    }
    if (f === 'Elu') alpha.push(1);
  }
  return { alpha, beta };
}

/** [rows, gates·units] in Keras gate order → [gates·units, rows] in ONNX gate order. */
function reorderGates(values: Float32Array, rows: number, units: number, sources: number[]): Float32Array {
  const gates = sources.length;
  const out = new Float32Array(values.length);
  sources.forEach((source, block) => {
    const columns = sliceColumns(values, rows, gates * units, source * units, units);
    out.set(transposeValues(columns, [rows, units], [1, 0]), block * units * rows);
  });
  return out;
}

function mapRecurrent(op: RecurrentOp): LayerMapper<RecurrentConfig> {
  return (ctx, config, input) => {
    const { g } = ctx;
    const [steps, features] = [input.shape[0]!, lastDim(input.shape)];
    const units = config.units;
    const sources = GATE_SOURCES[op];
    const gates = sources.length;
    const useBias = config.useBias ?? true;
    const tensors = takeWeights(ctx, [
      { what: 'kernel', shape: [features, gates * units] },
      { what: 'recurrent kernel', shape: [units, gates * units] },
      ...(useBias ? [{ what: 'bias', shape: [gates * units] }] : []),
    ]);
    const kernel = tensors.shift()!;
    const recurrent = tensors.shift()!;
    const bias = useBias ? tensors.shift()! : null;
    const biases = new Float32Array(2 * gates * units);
    if (bias) {
      sources.forEach((source, block) =>
        biases.set(bias.subarray(source * units, (source + 1) * units), block * units),
      );
    }
    const activation = onnxActivation(ctx, config.activation ?? RECURRENT_DEFAULT_ACTIVATION, 'activation');
    const functions =
      op === 'RNN'
        ? [activation]
        : [
            onnxActivation(ctx, config.recurrentActivation ?? defaultRecurrentActivation(op), 'recurrent activation'),
            activation,
          ];
    if (op === 'LSTM') functions.push(activation);
    const { alpha, beta } = activationParameters(functions);

    const sequenceMajor = g.op('Transpose', [input.name], { perm: ints([1, 0, 2]) });
    const outputs = g.node(
      op,
      [
        sequenceMajor,
        g.floats(
          `${op.toLowerCase()}${ctx.index}_W`,
          [1, gates * units, features],
          reorderGates(kernel, features, units, sources),
        ),
        g.floats(
          `${op.toLowerCase()}${ctx.index}_R`,
          [1, gates * units, units],
          reorderGates(recurrent, units, units, sources),
        ),
        g.floats(`${op.toLowerCase()}${ctx.index}_B`, [1, 2 * gates * units], biases),
      ],
      {
        hidden_size: int(units),
        activations: functions,
        ...(alpha.length ? { activation_alpha: alpha } : {}),
        ...(beta.length ? { activation_beta: beta } : {}),
        ...(op === 'GRU' ? { linear_before_reset: int(0) } : {}),
      },
      2,
    );
    const y = outputs[0]!;
    const yLast = outputs[1]!;

    if (config.returnSequences) {
      // Y is [steps, directions, batch, units].
      const squeezed = g.op('Squeeze', [y, g.int64s('axis1', [1], [1])]);
      return { name: g.op('Transpose', [squeezed], { perm: ints([1, 0, 2]) }), shape: [steps, units] };
    }
    // Y_h is [directions, batch, units].
    return { name: g.op('Squeeze', [yLast, g.int64s('axis0', [1], [0])]), shape: [units] };
  };
}

export const mapSimpleRNN = mapRecurrent('RNN');
export const mapLSTM = mapRecurrent('LSTM');
export const mapGRU = mapRecurrent('GRU');
