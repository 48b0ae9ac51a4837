/**
 * A small seeded generator (mulberry32) for everything LayerLab randomizes itself: the batch order and
 * the seeds handed to tf.js initializers and dropout. Same seed, same sequence, on every platform.
 */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** A non-negative 31-bit integer, for seeding tf.js (which hashes the number it gets). */
  nextSeed(): number;
}

export function createPrng(seed: number): Prng {
  let state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  const nextUint = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    next: () => nextUint() / 4294967296,
    nextSeed: () => nextUint() >>> 1,
  };
}

/** Fisher–Yates in place. */
export function shuffleInPlace(values: Int32Array, prng: Prng): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(prng.next() * (i + 1));
    const tmp = values[i];
    values[i] = values[j];
    values[j] = tmp;
  }
}

/** A stable seed for one named purpose (layer 3's kernel, say) derived from the run's seed. */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = (Math.trunc(seed) ^ 0x811c9dc5) >>> 0;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x01000193) >>> 0;
    h ^= h >>> 13;
  }
  return createPrng(h).nextSeed();
}
