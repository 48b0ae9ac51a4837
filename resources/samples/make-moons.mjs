// Writes moons.csv: two interleaved half-moons in the plane, a two-feature problem whose decision boundary a
// straight line cannot draw, so the boundary view shows what hidden layers buy. Seeded, so the file is the
// same on every run:  node resources/samples/make-moons.mjs > resources/samples/moons.csv
const ROWS_PER_MOON = 200;
const NOISE = 0.2;

// A 32-bit seeded generator (mulberry32) and Box-Muller normals: the file must not depend on Math.random.
let state = 20261202;
function uniform() {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function normal() {
  return Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

const rows = [];
for (let i = 0; i < ROWS_PER_MOON; i++) {
  const angle = Math.PI * uniform();
  rows.push([Math.cos(angle), Math.sin(angle), 'upper']);
  rows.push([1 - Math.cos(angle), 0.5 - Math.sin(angle), 'lower']);
}
const lines = ['x1,x2,moon'];
for (const [x, y, moon] of rows) {
  lines.push(`${(x + NOISE * normal()).toFixed(4)},${(y + NOISE * normal()).toFixed(4)},${moon}`);
}
process.stdout.write(`${lines.join('\n')}\n`);
