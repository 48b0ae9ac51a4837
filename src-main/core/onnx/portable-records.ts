/**
 * How raw records reach a model. A full-profile model (or any model with one value per row per input) takes
 * them as they are; a portable model takes one float `features` tensor, which its preprocessing manifest makes
 * from the records with LayerLab's own encoding (core/data/encode.ts), and gives class indices that the
 * manifest's labels name again, so its prediction table reads like the full profile's.
 */
import { basename, dirname } from 'node:path';
import * as ort from 'onnxruntime-node';
import { encodeRecords } from '../data/encode.js';
import type { Preprocessor, RawRecord } from '../data/types.js';
import { BATCH_DIM } from './graph-builder.js';
import type { OnnxInfo, OnnxValueInfo } from './model-info.js';
import { OUTPUT_LABEL } from './output-heads.js';
import {
  findManifestBeside,
  manifestFileFor,
  manifestPathFor,
  PORTABLE_INPUT,
  readManifest,
  type PreprocessManifest,
} from './preprocess-manifest.js';
import { checkRecords, recordFeeds, type RowNamer } from './record-feeds.js';

/** A manifest as data, or the path of its file. */
export type ManifestChoice = PreprocessManifest | string;

export interface RecordPath {
  /** What the model looks like to a caller with records (the raw columns for a portable model). */
  info: OnnxInfo;
  feeds(records: RawRecord[], rowName?: RowNamer, source?: string): Record<string, ort.Tensor>;
  /** The session's outputs as the records' caller reads them. */
  readOutputs(outputs: Record<string, ort.Tensor>): Record<string, ort.Tensor>;
  /** True when the model's inputs are the raw columns themselves, so columns can be fed without records. */
  takesRawColumns: boolean;
}

/**
 * The one float [batch, n] input a portable model takes, or null when the model takes raw columns. LayerLab's
 * own files say which profile they are; a file from elsewhere is portable when its one input has that form.
 */
function encodedInput(info: OnnxInfo): OnnxValueInfo | null {
  if (info.layerlab && info.layerlab.profile !== 'portable') return null;
  const sole = info.inputs.length === 1 ? info.inputs[0]! : null;
  return sole && sole.type === 'float32' && sole.shape.length === 2 ? sole : null;
}

const rawRecords = (info: OnnxInfo): RecordPath => ({
  info,
  takesRawColumns: true,
  feeds: (records, rowName, source) => recordFeeds(info.inputs, records, rowName, source),
  readOutputs: (outputs) => outputs,
});

function missingManifest(info: OnnxInfo, input: OnnxValueInfo, file: string, modelPath?: string): RecordPath {
  const manifest = manifestFileFor(file);
  const where = modelPath
    ? `and ${manifest} is not beside it in ${dirname(modelPath)}`
    : `and no manifest came with it`;
  const message =
    `${file} is a portable model: it takes encoded features (input "${input.name}", ${String(input.shape[1])} values per row) ` +
    `that its preprocessing manifest makes from raw rows, ${where}. Put the ${manifest} exported with the model in ` +
    `the model's folder and open the model from there (or give the manifest with --manifest).`;
  return {
    info,
    takesRawColumns: false,
    feeds: () => {
      throw new Error(message);
    },
    readOutputs: (outputs) => outputs,
  };
}

/** The raw columns a preprocessor reads, as the inputs a record fills. */
function rawColumns(pre: Preprocessor): OnnxValueInfo[] {
  return pre.features.map((f) => ({
    name: f.name,
    type: f.type === 'number' ? 'float32' : 'string',
    shape: [BATCH_DIM, 1],
  }));
}

/** What LayerLab knows of a model from elsewhere through its manifest (its own metadata wins when it has some). */
function manifestMetadata(info: OnnxInfo, pre: Preprocessor): OnnxInfo['layerlab'] {
  return (
    info.layerlab ?? {
      layerlabVersion: '',
      task: pre.task,
      features: pre.features.map((f) => ({ name: f.name, kind: f.type })),
      classLabels: pre.task.labels ?? [],
      preprocessing: pre,
    }
  );
}

/** Class indices back to class names, when the model gives indices. */
function namedLabels(outputs: Record<string, ort.Tensor>, labels: string[] | undefined): Record<string, ort.Tensor> {
  const label = outputs[OUTPUT_LABEL];
  if (!label || !labels || label.type === 'string') return outputs;
  const names = Array.from(label.data as ArrayLike<number | bigint>, (index) => {
    const name = labels[Number(index)];
    if (name === undefined)
      throw new Error(`The model gave class index ${String(index)}, but its manifest names ${labels.length} classes.`);
    return name;
  });
  return { ...outputs, [OUTPUT_LABEL]: new ort.Tensor('string', names, label.dims) };
}

function encodedRecords(info: OnnxInfo, input: OnnxValueInfo, manifest: PreprocessManifest, file: string): RecordPath {
  const pre = manifest.preprocessor;
  const inputs = rawColumns(pre);
  const view: OnnxInfo = {
    ...info,
    inputs,
    outputs: info.outputs.map((o) => (o.name === OUTPUT_LABEL && pre.task.labels ? { ...o, type: 'string' } : o)),
    layerlab: manifestMetadata(info, pre),
    manifest: file,
  };
  return {
    info: view,
    takesRawColumns: false,
    feeds: (records, rowName, source) => {
      checkRecords(inputs, records, rowName, source);
      const { x, count } = encodeRecords(pre, records);
      return { [input.name]: new ort.Tensor('float32', x, [count, pre.encodedWidth]) };
    },
    readOutputs: (outputs) => namedLabels(outputs, pre.task.labels),
  };
}

/**
 * The way records reach the model in `info`: through the manifest given (data or path) or found beside
 * `modelPath` when the model takes encoded features, as raw columns otherwise.
 */
export function attachManifest(
  info: OnnxInfo,
  where: { file: string; modelPath?: string; manifest?: ManifestChoice },
): RecordPath {
  const input = encodedInput(info);
  if (!input) return rawRecords(info);
  const { file, modelPath } = where;
  const given = where.manifest;
  const manifestFile =
    typeof given === 'string'
      ? basename(given)
      : modelPath
        ? basename(manifestPathFor(modelPath))
        : manifestFileFor(file);
  const manifest =
    typeof given === 'string' ? readManifest(given) : (given ?? (modelPath ? findManifestBeside(modelPath) : null));
  if (!manifest) {
    // A one-column model of the full profile also takes one float per row: only a wider input needs a manifest.
    return input.name === PORTABLE_INPUT && input.shape[1] !== 1
      ? missingManifest(info, input, file, modelPath)
      : rawRecords(info);
  }
  if (manifest.input !== input.name) {
    throw new Error(
      `${manifestFile} encodes rows for an input named "${manifest.input}", but ${file} takes "${input.name}": it belongs to another model. Use the manifest exported with ${file}.`,
    );
  }
  const width = input.shape[1];
  if (typeof width === 'number' && width !== manifest.preprocessor.encodedWidth) {
    throw new Error(
      `${manifestFile} encodes ${manifest.preprocessor.encodedWidth} values per row, but ${file} takes ${width}: it belongs to another model. Use the manifest exported with ${file}.`,
    );
  }
  return encodedRecords(info, input, manifest, manifestFile);
}
