/** Small helpers the benchmarks share: normal samples, percentiles, a result record. */

export function gaussian(random: () => number): () => number {
  return () => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
}

export function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.round((p / 100) * (sorted.length - 1))));
  return sorted[index]!;
}

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** Target on the reference 2-core machine, when the issue sets one. */
  target?: { op: '>=' | '<='; value: number };
  detail?: Record<string, unknown>;
  /**
   * The same work by a peer (PyTorch, Keras, pandas, Python onnxruntime) measured in the same run, with
   * LayerLab's advantage as a ratio (above 1: LayerLab is ahead), per interleaved round and the median.
   */
  peer?: {
    name: string;
    value: number;
    ratio: number;
    ratios: number[];
    raw: { layerlab: number[]; peer: number[] };
    target?: number;
  };
}

export function meets(result: BenchResult): boolean | null {
  if (!result.target) return null;
  return result.target.op === '>=' ? result.value >= result.target.value : result.value <= result.target.value;
}
