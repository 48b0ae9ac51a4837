/** Reading files the person picked or dropped, with progress, before they go to the engine. */

export interface ByteProgress {
  loaded: number;
  total: number;
}

export function readFileBytes(file: File, onProgress?: (progress: ByteProgress) => void): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onprogress = (event) => onProgress?.({ loaded: event.loaded, total: event.total || file.size });
    reader.onload = () => {
      onProgress?.({ loaded: file.size, total: file.size });
      resolve(new Uint8Array(reader.result as ArrayBuffer));
    };
    reader.onerror = () =>
      reject(new Error(`Could not read "${file.name}": ${reader.error?.message ?? 'unknown error'}.`));
    reader.readAsArrayBuffer(file);
  });
}

export type DroppedKind = 'csv' | 'project' | 'onnx' | 'unknown';

export function kindOfFile(name: string): DroppedKind {
  const lower = name.toLowerCase();
  if (lower.endsWith('.layerlab.json') || lower.endsWith('.json')) return 'project';
  if (lower.endsWith('.onnx')) return 'onnx';
  if (lower.endsWith('.csv') || lower.endsWith('.tsv') || lower.endsWith('.txt')) return 'csv';
  return 'unknown';
}
