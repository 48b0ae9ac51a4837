/**
 * A small seeded generator (mulberry32) for everything LayerLab randomizes itself: the batch order and
 * the seeds handed to tf.js initializers and dropout. Same seed, same sequence, on every platform.
 */
import { seededRandom, shuffle } from '../data/random.js';

export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** A non-negative 31-bit integer, for seeding tf.js (which hashes the number it gets). */
  nextSeed(): number;
}

export function createPrng(seed: number): Prng {
  const next = seededRandom(seed, 0x9e3779b9);
  return { next, nextSeed: () => Math.floor(next() * 2 ** 31) };
}

/** Fisher–Yates in place. */
export function shuffleInPlace(values: Int32Array, prng: Prng): void {
  shuffle(values, prng.next);
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
