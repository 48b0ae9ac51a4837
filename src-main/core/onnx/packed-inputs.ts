/**
 * Fewer tensors per run for files that take one input per column. A LayerLab file (and any file built the same
 * way) joins its neighbouring numeric columns with one Concat of [batch, 1] float inputs; onnxruntime-node
 * charges a few microseconds for every input tensor it is handed, which for 32 columns was most of a single
 * row's time. For a few rows the runner therefore runs a copy of the graph in which each such Concat reads one
 * [batch, k] input instead, and packs the columns into it before each run (a batch skips it, runner.ts says
 * why): the Concat's output is the very same tensor, so every value downstream is unchanged. The file itself,
 * its input names and what users feed stay as they are.
 */
import type * as ort from 'onnxruntime-node';
import type { OnnxValueInfo } from './model-info.js';
import { onnx } from './proto/onnx.js';

type Feeds = Record<string, ort.Tensor>;
type TensorType = ort.Tensor.Type;

/** One packed input: the columns a Concat joined, in its order. */
interface Pack {
  name: string;
  columns: string[];
}

export interface PackedGraph {
  /** The rewritten model, for the session. */
  bytes: Uint8Array;
  /** Per-column feeds in, packed feeds out; null when the feeds are not plain per-column tensors of one size. */
  pack(feeds: Feeds, makeTensor: (type: TensorType, data: Float32Array, dims: number[]) => ort.Tensor): Feeds | null;
}

const isColumnInput = (input: OnnxValueInfo | undefined): boolean =>
  input !== undefined && input.type === 'float32' && input.shape.length === 2 && input.shape[1] === 1;

function intAttribute(node: onnx.INodeProto, name: string): number | null {
  const value = node.attribute?.find((a) => a.name === name)?.i as number | { toNumber(): number } | null | undefined;
  if (value === null || value === undefined) return null;
  return typeof value === 'number' ? value : value.toNumber();
}

/** The rewritten graph, or null when no Concat joins two or more column inputs that nothing else reads. */
export function packColumnInputs(bytes: Uint8Array, inputs: OnnxValueInfo[]): PackedGraph | null {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph;
  if (!graph?.node || !graph.input) return null;
  const byName = new Map(inputs.map((input) => [input.name, input]));
  const readers = new Map<string, number>();
  for (const node of graph.node) for (const name of node.input ?? []) readers.set(name, (readers.get(name) ?? 0) + 1);
  const outputs = new Set((graph.output ?? []).map((o) => o.name));
  const packs: Pack[] = [];
  const taken = new Set<string>();
  const used = new Set<string>([
    ...graph.node.flatMap((n) => [...(n.input ?? []), ...(n.output ?? [])]),
    ...inputs.map((i) => i.name),
    ...(graph.initializer ?? []).map((t) => t.name ?? ''),
  ]);
  const nodes = graph.node.map((node): onnx.INodeProto => {
    const columns = node.input ?? [];
    const joinsColumns =
      node.opType === 'Concat' &&
      !node.domain &&
      intAttribute(node, 'axis') === 1 &&
      columns.length >= 2 &&
      new Set(columns).size === columns.length &&
      columns.every((c) => isColumnInput(byName.get(c)) && readers.get(c) === 1 && !outputs.has(c) && !taken.has(c));
    if (!joinsColumns) return node;
    let name = `${node.output![0]}__columns`;
    while (used.has(name)) name = `${name}_`;
    used.add(name);
    columns.forEach((c) => taken.add(c));
    packs.push({ name, columns: [...columns] });
    return { opType: 'Identity', input: [name], output: node.output, name: node.name } satisfies onnx.INodeProto;
  });
  if (packs.length === 0) return null;

  const packedInputs: onnx.IValueInfoProto[] = packs.map((p) => {
    const first = graph.input!.find((i) => i.name === p.columns[0]);
    const batch = first?.type?.tensorType?.shape?.dim?.[0] ?? { dimParam: 'batch' };
    return {
      name: p.name,
      type: {
        tensorType: {
          elemType: onnx.TensorProto.DataType.FLOAT,
          shape: { dim: [batch, { dimValue: p.columns.length }] },
        },
      },
    };
  });
  const rewritten: onnx.IModelProto = {
    ...model,
    graph: { ...graph, node: nodes, input: [...graph.input.filter((i) => !taken.has(i.name ?? '')), ...packedInputs] },
  };
  const passThrough = inputs.map((i) => i.name).filter((n) => !taken.has(n));

  return {
    bytes: onnx.ModelProto.encode(rewritten).finish(),
    pack(feeds, makeTensor) {
      const packed: Feeds = {};
      for (const name of passThrough) if (feeds[name]) packed[name] = feeds[name];
      let rows = -1;
      for (const { name, columns } of packs) {
        const width = columns.length;
        const sources: Float32Array[] = [];
        for (const column of columns) {
          const tensor = feeds[column];
          if (!tensor || tensor.type !== 'float32' || tensor.dims.length !== 2 || tensor.dims[1] !== 1) return null;
          if (rows < 0) rows = tensor.dims[0]!;
          const data = tensor.data as Float32Array;
          if (tensor.dims[0] !== rows || data.length !== rows) return null;
          sources.push(data);
        }
        const data = new Float32Array(rows * width);
        for (let c = 0; c < width; c++) {
          const source = sources[c]!;
          for (let r = 0, at = c; r < rows; r++, at += width) data[at] = source[r]!;
        }
        packed[name] = makeTensor('float32', data, [rows, width]);
      }
      return packed;
    },
  };
}
