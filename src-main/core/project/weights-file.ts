/**
 * Trained weights on disk: `LLW1`, a little-endian uint32 header length, a JSON header (spec, preprocessor, tensor
 * table), zero padding to a 4-byte boundary, then every tensor's float32 values back to back.
 * One file per run, so a project can keep many runs without growing the JSON.
 *
 * Older files also carry `inputShape` and `task` at the top of the header, copies of the preprocessor's own; they
 * are read and ignored, so the header never needs a new signature for dropping them.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ModelSpec } from '../model/spec.js';
import type { TrainedModel, WeightTensor } from '../training/types.js';
import { writeFileAtomic } from './project-file.js';

const MAGIC = 'LLW1';

interface TensorEntry {
  layerIndex: number;
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

export function encodeTrainedModel(model: TrainedModel): Uint8Array {
  let offset = 0;
  const tensors: TensorEntry[] = model.weights.map((w) => {
    const entry = { layerIndex: w.layerIndex, name: w.name, shape: w.shape, offset, length: w.values.length };
    offset += w.values.length;
    return entry;
  });
  const header = JSON.stringify({ spec: model.spec, preprocessor: model.preprocessor, tensors });
  const headerBytes = new TextEncoder().encode(header);
  const dataStart = Math.ceil((8 + headerBytes.length) / 4) * 4;
  const out = new Uint8Array(dataStart + offset * 4);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(4, headerBytes.length, true);
  out.set(headerBytes, 8);
  const data = new Float32Array(out.buffer, dataStart, offset);
  model.weights.forEach((w, i) => data.set(w.values, tensors[i]!.offset));
  return out;
}

export function decodeTrainedModel(bytes: Uint8Array, fileName: string): TrainedModel {
  const fail = (why: string): never => {
    throw new Error(`${fileName} is not a LayerLab weights file (${why}); train the model again to recreate it.`);
  };
  if (bytes.length < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) fail('wrong signature');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(4, true);
  if (8 + headerLength > bytes.length) fail('truncated header');
  let header: Omit<TrainedModel, 'weights'> & { tensors: TensorEntry[] };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    return fail('damaged header');
  }
  const dataStart = Math.ceil((8 + headerLength) / 4) * 4;
  const total = header.tensors.reduce((sum, t) => Math.max(sum, t.offset + t.length), 0);
  if (dataStart + total * 4 > bytes.length) fail('truncated data');
  // Copy so the floats are aligned and independent of the file buffer.
  const data = new Float32Array(bytes.slice(dataStart, dataStart + total * 4).buffer);
  const weights: WeightTensor[] = header.tensors.map((t) => ({
    layerIndex: t.layerIndex,
    name: t.name,
    shape: t.shape,
    values: data.slice(t.offset, t.offset + t.length),
  }));
  return { spec: header.spec, preprocessor: header.preprocessor, weights };
}

export async function writeTrainedModel(filePath: string, model: TrainedModel): Promise<void> {
  await fs.mkdir(path.dirname(filePath), { recursive: true });
  await writeFileAtomic(filePath, encodeTrainedModel(model));
}

export async function readTrainedModel(filePath: string): Promise<TrainedModel> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(filePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new Error(
      `The weights file ${path.basename(filePath)} is missing (looked in ${path.dirname(filePath)}). ` +
        `It holds this run's trained weights: put the project's .weights folder back beside the project file, ` +
        `or train the run again.`,
    );
  }
  return decodeTrainedModel(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path.basename(filePath));
}

/** Where a run's weights live: a folder named after the project, beside it. */
export function weightsPathFor(projectPath: string, runId: string): string {
  const base = path.basename(projectPath).replace(/\.layerlab\.json$/i, '');
  return path.join(path.dirname(projectPath), `${base}.weights`, `${runId}.llw`);
}

/**
 * A weights file swapped in from another run or project describes a different network or input: said plainly
 * here, before its numbers meet data they were never trained on.
 */
export function weightsMismatch(
  model: TrainedModel,
  fileName: string,
  expected: { spec?: ModelSpec; inputShape?: number[] },
): string | null {
  const layersOf = (spec: ModelSpec) => spec.layers.map((layer) => layer.className).join(', ');
  if (expected.spec && JSON.stringify(layersOf(model.spec)) !== JSON.stringify(layersOf(expected.spec)))
    return (
      `${fileName} holds the weights of another model (${layersOf(model.spec)}), not of this run ` +
      `(${layersOf(expected.spec)}): put back the run's own weights file, or train the run again.`
    );
  const width = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  const own = model.preprocessor.inputShape;
  if (expected.inputShape && width(own) !== width(expected.inputShape))
    return (
      `${fileName} was trained on ${width(own)} input values per row, but this data gives ` +
      `${width(expected.inputShape)}: use the dataset the run was trained on, or train the run again.`
    );
  return null;
}
