/**
 * A small helper that collects ONNX nodes, initializers and graph inputs/outputs as plain protobuf
 * objects. Mappers only ask it for "a node of this op" or "a constant with these values"; names are made
 * unique here so two layers never collide.
 */
import { onnx } from './proto/onnx.js';

export const OPSET_VERSION = 17;
/** ai.onnx.ml holds LabelEncoder (string → int64), which the default domain lacks at opset 17. */
export const ML_DOMAIN = 'ai.onnx.ml';
export const ML_OPSET_VERSION = 3;
export const IR_VERSION = 8;
export const BATCH_DIM = 'batch';

const DataType = onnx.TensorProto.DataType;
const AttributeType = onnx.AttributeProto.AttributeType;

export type ElementType = 'float' | 'int64' | 'string' | 'bool';

const ELEMENT_TYPES: Record<ElementType, number> = {
  float: DataType.FLOAT,
  int64: DataType.INT64,
  string: DataType.STRING,
  bool: DataType.BOOL,
};

/** A value in the graph: its name and its shape without the batch dimension. */
export interface TensorRef {
  name: string;
  shape: number[];
}

export type AttributeValue = number | string | number[] | string[] | { int: number } | { ints: number[] };

const utf8 = new TextEncoder();

function attribute(name: string, value: AttributeValue): onnx.IAttributeProto {
  if (typeof value === 'number') return { name, type: AttributeType.FLOAT, f: value };
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: utf8.encode(value) };
  if (Array.isArray(value)) {
    if (value.length > 0 && typeof value[0] === 'string') {
      return { name, type: AttributeType.STRINGS, strings: (value as string[]).map((s) => utf8.encode(s)) };
    }
    return { name, type: AttributeType.FLOATS, floats: value as number[] };
  }
  if ('int' in value) return { name, type: AttributeType.INT, i: value.int };
  return { name, type: AttributeType.INTS, ints: value.ints };
}

/** Shorthand so integer attributes read naturally at the call site: `{ axis: int(1) }`. */
export const int = (value: number): { int: number } => ({ int: value });
export const ints = (values: number[]): { ints: number[] } => ({ ints: values });

function valueInfo(name: string, type: ElementType, shape: number[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEMENT_TYPES[type],
        shape: { dim: [{ dimParam: BATCH_DIM }, ...shape.map((d) => ({ dimValue: d }))] },
      },
    },
  };
}

export class GraphBuilder {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly used = new Set<string>();
  private usesMlDomain = false;

  /**
   * `inputNames` and `outputNames` are claimed up front, so no intermediate value can take a name a
   * column or an output needs.
   */
  constructor(inputNames: string[], outputNames: string[]) {
    for (const name of [...inputNames, ...outputNames]) {
      if (this.used.has(name)) {
        throw new Error(
          `A feature column is named "${name}", like another column or one of the model's outputs (${outputNames.join(', ')}). Rename the column.`,
        );
      }
      this.used.add(name);
    }
  }

  /** A fresh name built from `hint`, never one already taken. */
  fresh(hint: string): string {
    const base = hint.replace(/[^A-Za-z0-9_]/g, '_') || 'value';
    let name = base;
    for (let n = 1; this.used.has(name); n++) name = `${base}_${n}`;
    this.used.add(name);
    return name;
  }

  /** Declares a graph input; its name must have been claimed in the constructor. */
  addInput(name: string, type: ElementType, shape: number[]): string {
    this.inputs.push(valueInfo(name, type, shape));
    return name;
  }

  /** Names `source` as a graph output (through Identity so any value can be exposed under any name). */
  addOutput(name: string, source: string, type: ElementType, shape: number[]): void {
    this.nodes.push({ opType: 'Identity', input: [source], output: [name], name: this.fresh(`${name}_out`) });
    this.outputs.push(valueInfo(name, type, shape));
  }

  /** Adds one node and returns the names of its outputs (one fresh name per requested output). */
  node(
    opType: string,
    inputs: string[],
    attributes: Record<string, AttributeValue> = {},
    outputCount = 1,
    domain?: string,
  ): string[] {
    const outputs = Array.from({ length: outputCount }, () => this.fresh(opType.toLowerCase()));
    if (domain === ML_DOMAIN) this.usesMlDomain = true;
    this.nodes.push({
      opType,
      input: inputs,
      output: outputs,
      name: this.fresh(`${opType}_node`),
      attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
      ...(domain ? { domain } : {}),
    });
    return outputs;
  }

  /** One-output node; the usual case. */
  op(opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}, domain?: string): string {
    return this.node(opType, inputs, attributes, 1, domain)[0]!;
  }

  floats(hint: string, dims: number[], values: ArrayLike<number>): string {
    const data = Float32Array.from(values);
    if (data.length !== dims.reduce((a, b) => a * b, 1)) {
      throw new Error(`Constant ${hint}: ${data.length} values do not fill shape [${dims.join(', ')}].`);
    }
    const name = this.fresh(hint);
    // raw_data is little-endian by the ONNX spec; every platform Node runs on is little-endian.
    this.initializers.push({
      name,
      dims,
      dataType: DataType.FLOAT,
      rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    });
    return name;
  }

  scalar(hint: string, value: number): string {
    return this.floats(hint, [], [value]);
  }

  int64s(hint: string, dims: number[], values: number[]): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dims, dataType: DataType.INT64, int64Data: values });
    return name;
  }

  strings(hint: string, dims: number[], values: string[]): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dims, dataType: DataType.STRING, stringData: values.map((s) => utf8.encode(s)) });
    return name;
  }

  toModel(producerVersion: string, metadata: Record<string, string>, docString: string): onnx.IModelProto {
    const opsetImport: onnx.IOperatorSetIdProto[] = [{ domain: '', version: OPSET_VERSION }];
    if (this.usesMlDomain) opsetImport.push({ domain: ML_DOMAIN, version: ML_OPSET_VERSION });
    return {
      irVersion: IR_VERSION,
      opsetImport,
      producerName: 'LayerLab',
      producerVersion,
      docString,
      graph: {
        name: 'layerlab_model',
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
      metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    };
  }
}
