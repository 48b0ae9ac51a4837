/**
 * Frame timing as the page itself sees it: a requestAnimationFrame loop records the gap between frames, so a
 * long task on the renderer's main thread (parsing events, Svelte updates, chart redraws) shows up as a long gap.
 */
import type { Page } from 'playwright';
import { percentile } from './stats.js';

/** Where the recorder keeps its state on `window`; a name no product code uses. */
const SLOT = '__layerlabBenchFrames';

interface Recorder {
  deltas: number[];
  last: number;
  running: boolean;
}

/**
 * Sent as source text: the bench runs through tsx, whose transform would wrap named functions in a helper the
 * page does not have.
 */
const INSTALL_RECORDER = `(() => {
  const recorder = { deltas: [], last: 0, running: true };
  window[${JSON.stringify(SLOT)}] = recorder;
  const tick = (time) => {
    if (recorder.last > 0) recorder.deltas.push(time - recorder.last);
    recorder.last = time;
    if (recorder.running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

export async function startFrameRecorder(page: Page): Promise<void> {
  await page.evaluate(INSTALL_RECORDER);
}

/** Stops the loop and returns the frame gaps (ms) recorded since the start. */
export async function stopFrameRecorder(page: Page): Promise<number[]> {
  return page.evaluate((slot) => {
    const recorder = (window as unknown as Record<string, Recorder | undefined>)[slot];
    if (!recorder) throw new Error('the frame recorder was never started on this page');
    recorder.running = false;
    return recorder.deltas;
  }, SLOT);
}

export interface FrameStats {
  frames: number;
  meanMs: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Share of frames (0..1) whose gap exceeded the long-frame limit. */
  longShare: number;
}

export const LONG_FRAME_MS = 50;

export function frameStats(deltas: number[]): FrameStats {
  if (deltas.length === 0) throw new Error('no animation frames were recorded: is the page visible and rendering?');
  const sorted = [...deltas].sort((a, b) => a - b);
  const round = (ms: number): number => Math.round(ms * 100) / 100;
  return {
    frames: deltas.length,
    meanMs: round(deltas.reduce((a, b) => a + b, 0) / deltas.length),
    p95Ms: round(percentile(sorted, 95)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted[sorted.length - 1]!),
    longShare: deltas.filter((ms) => ms > LONG_FRAME_MS).length / deltas.length,
  };
}
