/** Small helpers the benchmarks share: a seeded generator, percentiles, a result record. */

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(random: () => number): () => number {
  return () => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
}

export function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.round((p / 100) * (sorted.length - 1))));
  return sorted[index];
}

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** Target on the reference 2-core machine, when the issue sets one. */
  target?: { op: '>=' | '<='; value: number };
  detail?: Record<string, unknown>;
}

export function meets(result: BenchResult): boolean | null {
  if (!result.target) return null;
  return result.target.op === '>=' ? result.value >= result.target.value : result.value <= result.target.value;
}
