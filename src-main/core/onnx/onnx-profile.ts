/**
 * The two ways a model is written. full: raw column values in (strings for categories), preprocessing in the
 * graph, class names out; for onnxruntime. portable: one float32 `features` input of encoded values, no string
 * tensor and no ai.onnx.ml operator, so runtimes without them (TensorRT, OpenVINO, Core ML) load it; its sidecar
 * preprocessing manifest encodes raw rows. The default is full.
 */
export const ONNX_PROFILES = ['full', 'portable'] as const;
export type OnnxProfile = (typeof ONNX_PROFILES)[number];
export const DEFAULT_ONNX_PROFILE: OnnxProfile = 'full';
