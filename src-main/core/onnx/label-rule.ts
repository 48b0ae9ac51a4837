/**
 * The `label` of a LayerLab classifier, worked out from its `probabilities` by the rule its own graph applies.
 *
 * The graph names each row's class with a string tensor, and onnxruntime-node makes one JavaScript string per
 * row of it: on the benchmark MLP that was about half of a 10,000-row run. The runner therefore fetches only
 * the probabilities and applies the graph's rule here. The rule is read from the graph itself, never assumed:
 * only the two layouts output-heads.ts writes are recognized, with their own constants (threshold, class names),
 * and any other file keeps getting its label from onnxruntime.
 */
import * as ort from 'onnxruntime-node';
import { OUTPUT_LABEL, OUTPUT_PROBABILITIES } from './output-heads.js';
import { onnx } from './proto/onnx.js';

type Node = onnx.INodeProto;
type Initializer = onnx.ITensorProto;

export interface LabelRule {
  /**
   * The `label` tensor the graph gives for these probabilities; null when only the graph can tell (the
   * probabilities are not shaped as the rule expects, or a row has NaN, where ArgMax's choice is the runtime's).
   */
  labelFor(probabilities: ort.Tensor): ort.Tensor | null;
}

const DataType = onnx.TensorProto.DataType;
const utf8 = new TextDecoder();

/** int64 fields decode as Long objects when the long package is around, as numbers otherwise. */
const toNumber = (value: number | { toNumber(): number } | null | undefined): number | null =>
  value === null || value === undefined ? null : typeof value === 'number' ? value : value.toNumber();

function intAttribute(node: Node, name: string): number | null {
  return toNumber(node.attribute?.find((a) => a.name === name)?.i as number | { toNumber(): number } | undefined);
}

/** The attributes a node has, other than those listed: a rule only holds for nodes set exactly as expected. */
const hasOtherAttributes = (node: Node, known: string[]): boolean =>
  (node.attribute ?? []).some((a) => !known.includes(a.name ?? ''));

function floatScalar(tensor: Initializer | undefined): number | null {
  if (!tensor || tensor.dataType !== DataType.FLOAT || (tensor.dims ?? []).length !== 0) return null;
  if (tensor.floatData?.length === 1) return tensor.floatData[0]!;
  const raw = tensor.rawData;
  if (raw?.length !== 4) return null;
  return new DataView(raw.buffer, raw.byteOffset, 4).getFloat32(0, true);
}

function int64Values(tensor: Initializer | undefined): number[] | null {
  if (!tensor || tensor.dataType !== DataType.INT64) return null;
  if (tensor.int64Data?.length) return tensor.int64Data.map((v) => toNumber(v as number)!);
  const raw = tensor.rawData;
  if (!raw || raw.length % 8 !== 0) return null;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
  return Array.from({ length: raw.length / 8 }, (_, i) => Number(view.getBigInt64(i * 8, true)));
}

function stringValues(tensor: Initializer | undefined): string[] | null {
  if (!tensor || tensor.dataType !== DataType.STRING || (tensor.dims ?? []).length !== 1) return null;
  return (tensor.stringData ?? []).map((bytes) => utf8.decode(bytes));
}

/** The graph as lookups: which node makes a value (past Identity nodes), and the constants. */
function graphLookups(graph: onnx.IGraphProto) {
  const producers = new Map<string, Node>();
  for (const node of graph.node ?? []) for (const output of node.output ?? []) producers.set(output, node);
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  /** The value a name stands for once Identity nodes are looked through. */
  const source = (name: string): string => {
    let at = name;
    for (let node = producers.get(at); node?.opType === 'Identity' && !node.domain; node = producers.get(at))
      at = node.input![0]!;
    return at;
  };
  const made = (name: string, opType: string, inputs: number): Node | null => {
    const node = producers.get(source(name));
    return node && node.opType === opType && !node.domain && (node.input ?? []).length === inputs ? node : null;
  };
  const constant = (name: string) => initializers.get(source(name));
  return { source, made, constant };
}

type Lookups = ReturnType<typeof graphLookups>;

/** `Gather(class names, indices)` along axis 0: the class names and the indices' name. */
function namedByGather(g: Lookups, name: string): { names: string[]; indices: string } | null {
  const gather = g.made(name, 'Gather', 2);
  if (!gather || hasOtherAttributes(gather, ['axis']) || (intAttribute(gather, 'axis') ?? 0) !== 0) return null;
  const names = stringValues(g.constant(gather.input![0]!));
  return names && names.length >= 2 ? { names, indices: gather.input![1]! } : null;
}

const labelTensor = (names: string[], rows: number) => new ort.Tensor('string', names, [rows]);

/** Multi-class: `label = names[ArgMax(probabilities, axis 1)]`, the first of equal largest values. */
function argmaxRule(g: Lookups, label: string, probabilities: string): LabelRule | null {
  const named = namedByGather(g, label);
  const argmax = named && g.made(named.indices, 'ArgMax', 1);
  if (!named || !argmax || hasOtherAttributes(argmax, ['axis', 'keepdims', 'select_last_index'])) return null;
  const firstOfTies = (intAttribute(argmax, 'select_last_index') ?? 0) === 0;
  if (intAttribute(argmax, 'axis') !== 1 || intAttribute(argmax, 'keepdims') !== 0 || !firstOfTies) return null;
  if (g.source(argmax.input![0]!) !== g.source(probabilities)) return null;
  const { names } = named;
  const width = names.length;
  return {
    labelFor(tensor) {
      if (tensor.type !== 'float32' || tensor.dims.length !== 2 || tensor.dims[1] !== width) return null;
      const rows = tensor.dims[0]!;
      const p = tensor.data as Float32Array;
      const out = new Array<string>(rows);
      for (let r = 0, at = 0; r < rows; r++, at += width) {
        let best = 0;
        let top = p[at]!;
        if (top !== top) return null;
        for (let k = 1; k < width; k++) {
          const v = p[at + k]!;
          if (v !== v) return null;
          if (v > top) {
            top = v;
            best = k;
          }
        }
        out[r] = names[best]!;
      }
      return labelTensor(out, rows);
    },
  };
}

/**
 * Binary with one sigmoid unit p: `probabilities = [1 - p, p]` and `label = names[p >= threshold]`, so the
 * second probability is p itself and the comparison is made on the very same float32 value.
 */
function thresholdRule(g: Lookups, label: string, probabilities: string): LabelRule | null {
  const squeeze = g.made(label, 'Squeeze', 2);
  if (!squeeze || hasOtherAttributes(squeeze, [])) return null;
  const axes = int64Values(g.constant(squeeze.input![1]!));
  const named = namedByGather(g, squeeze.input![0]!);
  if (axes?.length !== 1 || axes[0] !== 1 || !named || named.names.length !== 2) return null;
  const cast = g.made(named.indices, 'Cast', 1);
  if (!cast || hasOtherAttributes(cast, ['to']) || intAttribute(cast, 'to') !== DataType.INT64) return null;
  const compare = g.made(cast.input![0]!, 'GreaterOrEqual', 2);
  const threshold = compare && floatScalar(g.constant(compare.input![1]!));
  const joined = g.made(probabilities, 'Concat', 2);
  if (!compare || threshold === null || !joined || hasOtherAttributes(joined, ['axis'])) return null;
  if (intAttribute(joined, 'axis') !== 1 || g.source(joined.input![1]!) !== g.source(compare.input![0]!)) return null;
  const [negative, positive] = named.names as [string, string];
  return {
    labelFor(tensor) {
      if (tensor.type !== 'float32' || tensor.dims.length !== 2 || tensor.dims[1] !== 2) return null;
      const rows = tensor.dims[0]!;
      const p = tensor.data as Float32Array;
      const out = new Array<string>(rows);
      // NaN >= threshold is false here as in the graph: both give the first class.
      for (let r = 0; r < rows; r++) out[r] = p[2 * r + 1]! >= threshold ? positive : negative;
      return labelTensor(out, rows);
    },
  };
}

/** The rule by which the graph's string `label` follows from its `probabilities`, or null when it has none known. */
export function readLabelRule(model: onnx.IModelProto): LabelRule | null {
  const graph = model.graph;
  const outputs = graph?.output ?? [];
  const label = outputs.find((o) => o.name === OUTPUT_LABEL);
  const probabilities = outputs.find((o) => o.name === OUTPUT_PROBABILITIES);
  if (!graph || !label || !probabilities || label.type?.tensorType?.elemType !== DataType.STRING) return null;
  const g = graphLookups(graph);
  return thresholdRule(g, OUTPUT_LABEL, OUTPUT_PROBABILITIES) ?? argmaxRule(g, OUTPUT_LABEL, OUTPUT_PROBABILITIES);
}
