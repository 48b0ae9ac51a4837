/**
 * A model LayerLab did not write: a Gemm + Relu graph built here with the generated protobuf code, then
 * inspected and run like any ONNX file a person might open.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectOnnx, onnx, openOnnxModel } from '../../src-main/core/onnx/index.js';

const dir = mkdtempSync(join(tmpdir(), 'layerlab-onnx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// y = relu(x · W + b), x: [n, 3], W: [3, 2]
const W = [
  [1, -1],
  [0.5, 2],
  [-2, 0.25],
];
const B = [0.1, -0.3];

function floatTensor(name: string, dims: number[], values: number[]): onnx.ITensorProto {
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, floatData: values };
}

function gemmReluModel(): Uint8Array {
  const tensorType = (dims: Array<number | string>) => ({
    tensorType: {
      elemType: onnx.TensorProto.DataType.FLOAT,
      shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
    },
  });
  return onnx.ModelProto.encode({
    irVersion: 7,
    producerName: 'hand-made',
    producerVersion: '1.2',
    opsetImport: [{ domain: '', version: 13 }],
    metadataProps: [{ key: 'author', value: 'a test' }],
    graph: {
      name: 'gemm_relu',
      node: [
        { opType: 'Gemm', input: ['x', 'W', 'B'], output: ['gemm'], name: 'gemm' },
        { opType: 'Relu', input: ['gemm'], output: ['y'], name: 'relu' },
      ],
      initializer: [floatTensor('W', [3, 2], W.flat()), floatTensor('B', [2], B)],
      input: [{ name: 'x', type: tensorType(['N', 3]) }],
      output: [{ name: 'y', type: tensorType(['N', 2]) }],
    },
  }).finish();
}

const byHand = (x: number[]): number[] =>
  [0, 1].map((j) =>
    Math.max(
      0,
      x.reduce((sum, v, i) => sum + v * W[i]![j]!, B[j]!),
    ),
  );

describe('a third-party model', () => {
  const path = join(dir, 'gemm-relu.onnx');
  writeFileSync(path, gemmReluModel());

  it('lists its inputs, outputs, producer, opset and metadata', () => {
    const info = inspectOnnx(path);
    expect(info.inputs).toEqual([{ name: 'x', type: 'float32', shape: ['N', 3] }]);
    expect(info.outputs).toEqual([{ name: 'y', type: 'float32', shape: ['N', 2] }]);
    expect(info.producer).toBe('hand-made');
    expect(info.producerVersion).toBe('1.2');
    expect(info.opset).toBe(13);
    expect(info.irVersion).toBe(7);
    expect(info.metadata).toEqual({ author: 'a test' });
    expect(info.layerlab).toBeNull();
  });

  it('runs tensors and matches the hand computation', async () => {
    const rows = [
      [1, 2, 3],
      [-1, 0.5, 0],
      [0.2, -0.4, 1.5],
      [3, 1, -1],
    ];
    const model = await openOnnxModel(path);
    const out = await model.runFeeds({
      x: new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, 3]),
    });
    await model.close();
    expect(out.y?.dims).toEqual([rows.length, 2]);
    const values = Array.from(out.y!.data as Float32Array);
    rows.forEach((row, r) => byHand(row).forEach((v, j) => expect(values[r * 2 + j]).toBeCloseTo(v, 5)));
    // At least one value is clipped by Relu and one is not, so both branches are exercised.
    expect(values.some((v) => v === 0)).toBe(true);
    expect(values.some((v) => v > 0)).toBe(true);
  });

  it('says why records cannot feed an input of several values per row', async () => {
    const model = await openOnnxModel(path);
    await expect(model.runRecords([{ x: 1 }])).rejects.toThrow(/Input "x" takes shape \[N, 3\].*runFeeds/);
    await expect(model.runFeeds({})).rejects.toThrow(/No value given for model input "x"/);
    await model.close();
  });

  it('rejects a file that is not ONNX with its name', () => {
    const bogus = join(dir, 'notes.onnx');
    writeFileSync(bogus, 'this is not a protobuf at all, just text that goes on and on');
    expect(() => inspectOnnx(bogus)).toThrow(/notes\.onnx is not an ONNX model/);
    expect(() => inspectOnnx(join(dir, 'missing.onnx'))).toThrow(/missing\.onnx cannot be read \(ENOENT\)/);
  });
});
