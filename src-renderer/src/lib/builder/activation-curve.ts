/**
 * An activation function's curve as numbers: samples of f and of its slope f′ (a central difference, so every
 * function of the catalogue gets one without a second formula), and where the slope is so small that the
 * gradient through the unit almost vanishes.
 */
export interface CurvePoint {
  x: number;
  y: number;
  slope: number;
}

/** Below this slope a unit passes back less than a twentieth of the gradient: it has saturated. */
export const SATURATED_SLOPE = 0.05;
const H = 1e-3;

export function sampleCurve(fn: (x: number) => number, from: number, to: number, samples: number): CurvePoint[] {
  return Array.from({ length: samples }, (_, i) => {
    const x = from + ((to - from) * i) / (samples - 1);
    return { x, y: fn(x), slope: (fn(x + H) - fn(x - H)) / (2 * H) };
  });
}

/** The stretches of the sampled range where the slope stays under SATURATED_SLOPE, as [from, to] in x. */
export function saturatedRanges(points: CurvePoint[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let start: number | null = null;
  points.forEach((p, i) => {
    const flat = Math.abs(p.slope) < SATURATED_SLOPE;
    if (flat && start === null) start = p.x;
    if ((!flat || i === points.length - 1) && start !== null) {
      ranges.push([start, flat ? p.x : points[i - 1]!.x]);
      start = null;
    }
  });
  return ranges.filter(([a, b]) => b > a);
}

/** "x < −2.9 and x > 2.9", or null when the function never saturates in the range. */
export function describeSaturation(ranges: Array<[number, number]>, from: number, to: number): string | null {
  if (ranges.length === 0) return null;
  const fmt = (v: number) => (Math.round(v * 10) / 10).toString().replace('-', '−');
  const parts = ranges.map(([a, b]) => {
    if (a <= from && b >= to) return 'everywhere shown';
    if (a <= from) return `x < ${fmt(b)}`;
    if (b >= to) return `x > ${fmt(a)}`;
    return `${fmt(a)} < x < ${fmt(b)}`;
  });
  return parts.join(' and ');
}
