/**
 * What is inside an ONNX file, read straight from its protobuf: onnxruntime does not expose producer,
 * opset or metadata_props, and this works for any model, not only LayerLab's.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { readMetadata } from './metadata.js';
import type { LayerlabMetadata } from './metadata.js';
import { onnx } from './proto/onnx.js';

export type OnnxElementType =
  | 'float32'
  | 'float64'
  | 'float16'
  | 'bfloat16'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'bool'
  | 'string'
  | 'complex64'
  | 'complex128'
  | 'unknown';

export interface OnnxValueInfo {
  name: string;
  type: OnnxElementType;
  /** Fixed sizes as numbers, symbolic ones (e.g. 'batch') as their name, unknown ones as '?'. */
  shape: Array<number | string>;
}

export interface OnnxInfo {
  producer: string;
  producerVersion: string;
  irVersion: number;
  /** Version of the default (ai.onnx) operator set. */
  opset: number;
  opsets: Array<{ domain: string; version: number }>;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  metadata: Record<string, string>;
  /** LayerLab's own metadata, parsed; null for models from elsewhere. */
  layerlab: LayerlabMetadata | null;
  /**
   * A portable model opened with its preprocessing manifest: the manifest's file name. `inputs` then lists
   * the raw columns the manifest encodes (what a record gives), not the file's one `features` tensor.
   */
  manifest?: string;
}

const DataType = onnx.TensorProto.DataType;
const ELEMENT_NAMES: Record<number, OnnxElementType> = {
  [DataType.FLOAT]: 'float32',
  [DataType.DOUBLE]: 'float64',
  [DataType.FLOAT16]: 'float16',
  [DataType.BFLOAT16]: 'bfloat16',
  [DataType.INT8]: 'int8',
  [DataType.INT16]: 'int16',
  [DataType.INT32]: 'int32',
  [DataType.INT64]: 'int64',
  [DataType.UINT8]: 'uint8',
  [DataType.UINT16]: 'uint16',
  [DataType.UINT32]: 'uint32',
  [DataType.UINT64]: 'uint64',
  [DataType.BOOL]: 'bool',
  [DataType.STRING]: 'string',
  [DataType.COMPLEX64]: 'complex64',
  [DataType.COMPLEX128]: 'complex128',
};

/** int64 fields decode as Long objects when the long package is around, as numbers otherwise. */
function toNumber(value: number | { toNumber(): number } | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

function describeValue(value: onnx.IValueInfoProto): OnnxValueInfo {
  const tensor = value.type?.tensorType;
  const dims = tensor?.shape?.dim ?? [];
  return {
    name: value.name ?? '',
    type: ELEMENT_NAMES[tensor?.elemType ?? -1] ?? 'unknown',
    shape: dims.map((d) =>
      d.dimParam ? d.dimParam : d.dimValue !== null && d.dimValue !== undefined ? toNumber(d.dimValue) : '?',
    ),
  };
}

export function decodeModel(bytes: Uint8Array, file = 'the model'): onnx.ModelProto {
  try {
    return onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new Error(`${file} is not an ONNX model (${(error as Error).message}). Choose a .onnx file.`);
  }
}

export function readModelBytes(source: Uint8Array | string): { bytes: Uint8Array; file: string } {
  if (typeof source !== 'string') return { bytes: source, file: 'the model' };
  try {
    return { bytes: readFileSync(source), file: basename(source) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`${basename(source)} cannot be read (${code ?? String(error)}): check the path (${source}).`);
  }
}

export function describeModel(model: onnx.ModelProto): OnnxInfo {
  const graph = model.graph;
  if (!graph) throw new Error('The ONNX model has no graph.');
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name));
  const opsets = (model.opsetImport ?? []).map((o) => ({ domain: o.domain ?? '', version: toNumber(o.version) }));
  const metadata: Record<string, string> = {};
  for (const prop of model.metadataProps ?? []) metadata[prop.key ?? ''] = prop.value ?? '';
  return {
    producer: model.producerName ?? '',
    producerVersion: model.producerVersion ?? '',
    irVersion: toNumber(model.irVersion),
    opset: opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 0,
    opsets,
    // Older exporters list initializers among the inputs too; those are not things a caller feeds.
    inputs: (graph.input ?? []).filter((i) => !initializers.has(i.name ?? '')).map(describeValue),
    outputs: (graph.output ?? []).map(describeValue),
    metadata,
    layerlab: readMetadata(metadata),
  };
}

/** Inputs, outputs, producer, opset and metadata of an ONNX model given as bytes or a file path. */
export function inspectOnnx(source: Uint8Array | string): OnnxInfo {
  const { bytes, file } = readModelBytes(source);
  return describeModel(decodeModel(bytes, file));
}
