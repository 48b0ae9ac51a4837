/** `--onnx-profile full|portable` for `layerlab export`, and the sidecar manifest a portable file needs. */
import path from 'node:path';
import { localFiles } from '../app/index.js';
import { DEFAULT_ONNX_PROFILE, manifestPathFor, ONNX_PROFILES, type OnnxProfile } from '../core/onnx/index.js';
import { UsageError } from './args.js';

export const ONNX_PROFILE_FLAG = { 'onnx-profile': { type: 'string' } } as const;

export const ONNX_PROFILE_USAGE = `--onnx-profile full|portable   full (the default): raw column values in, for onnxruntime. portable: one
  float32 input "features" of encoded values, no string tensors and no ai.onnx.ml operators (for TensorRT,
  OpenVINO, Core ML), written with MODEL.preprocess.json beside it, which encodes raw rows.`;

export function onnxProfileOf(values: Record<string, unknown>): OnnxProfile {
  const raw = values['onnx-profile'];
  if (raw === undefined) return DEFAULT_ONNX_PROFILE;
  const profile = ONNX_PROFILES.find((p) => p === raw);
  if (!profile) throw new UsageError(`--onnx-profile must be ${ONNX_PROFILES.join(' or ')} (got "${String(raw)}").`);
  return profile;
}

/** Writes a portable export's manifest beside the model and returns its path (null for a full export). */
export async function writeManifestBeside(modelPath: string, manifest: string | undefined): Promise<string | null> {
  if (manifest === undefined) return null;
  const target = manifestPathFor(modelPath);
  await localFiles.writeFile(target, manifest);
  process.stderr.write(`Wrote ${path.basename(target)} beside it: the preprocessing that encodes raw rows.\n`);
  return target;
}
