/**
 * A small seeded generator (mulberry32) so the same seed gives the same sequence on every machine. `salt` keeps
 * the streams of different users of one seed (the split, the batch order) independent of each other.
 */
export function seededRandom(seed: number, salt = 0x5bd1e995): () => number {
  let state = (Math.trunc(seed) ^ salt) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates, in place. */
export function shuffle(values: Int32Array, random: () => number): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = values[i]!;
    values[i] = values[j]!;
    values[j] = t;
  }
}
