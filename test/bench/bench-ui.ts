/**
 * The window's numbers: frame times while a real run streams events at the UI, and the wait from `npm start`
 * to a window ready to train. The issue sets no targets for these, so none are given.
 */
import { chromium } from 'playwright';
import { CHROMIUM_ARGS, chromiumExecutable } from '../e2e/browser.js';
import type { BenchResult } from './stats.js';
import { LONG_FRAME_MS } from './ui-frames.js';
import { timeBuild, timeStartToInteractive, type StartTiming } from './ui-startup.js';
import {
  BATCH_EVENT_HZ_ENV,
  BATCH_STREAM,
  EPOCH_FLOOD,
  measureEventStream,
  REQUESTED_BATCH_EVENT_HZ,
  type StreamMeasurement,
  type StreamWorkload,
} from './ui-stream.js';

const START_REPEATS = 3;

const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

function log(line: string): void {
  process.stderr.write(`  ${line}\n`);
}

function streamResults(label: string, workload: StreamWorkload, m: StreamMeasurement): BenchResult[] {
  const detail = {
    workload,
    backend: m.backend,
    seconds: round(m.seconds, 2),
    batchEventsPerSecond: round(m.batchEventsPerSecond),
    epochEventsPerSecond: round(m.epochEventsPerSecond),
    lossChartPointsPerSecond: round(m.lossPointsPerSecond),
    epochsCompleted: m.epochsCompleted,
    streaming: m.streaming,
    idle: m.idle,
    batchEventRateSetting: `${BATCH_EVENT_HZ_ENV}=${process.env[BATCH_EVENT_HZ_ENV] ?? ''}`,
  };
  const name = (what: string): string => `UI ${what} (${label})`;
  return [
    { name: name('batch events received'), value: round(m.batchEventsPerSecond), unit: 'events/s', detail },
    { name: name('epoch events received'), value: round(m.epochEventsPerSecond), unit: 'events/s', detail },
    { name: name('frame time mean'), value: m.streaming.meanMs, unit: 'ms', detail },
    { name: name('frame time p95'), value: m.streaming.p95Ms, unit: 'ms', detail },
    { name: name('frame time p99'), value: m.streaming.p99Ms, unit: 'ms', detail },
    { name: name(`frames over ${LONG_FRAME_MS} ms`), value: round(m.streaming.longShare * 100, 2), unit: '%', detail },
  ];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function startResults(): Promise<BenchResult[]> {
  const buildSeconds = await timeBuild();
  log(`npm run build: ${round(buildSeconds, 2)} s`);
  const executablePath = chromiumExecutable();
  const browser = await chromium.launch({
    headless: true,
    args: CHROMIUM_ARGS,
    ...(executablePath ? { executablePath } : {}),
  });
  const starts: StartTiming[] = [];
  try {
    for (let i = 0; i < START_REPEATS; i++) {
      const timing = await timeStartToInteractive(browser);
      log(
        `start ${i + 1}: address after ${round(timing.secondsToUrl, 2)} s, interactive after ${round(timing.secondsToInteractive, 2)} s`,
      );
      starts.push(timing);
    }
  } finally {
    await browser.close();
  }
  const toInteractive = median(starts.map((s) => s.secondsToInteractive));
  const detail = {
    runs: starts.map((s) => ({
      secondsToUrl: round(s.secondsToUrl, 2),
      secondsToInteractive: round(s.secondsToInteractive, 2),
    })),
    buildSeconds: round(buildSeconds, 2),
    interactiveMeans: "the sample project's dataset shown on the Data tab and Start enabled",
  };
  return [
    { name: 'npm run build (the build step of npm start)', value: round(buildSeconds, 2), unit: 's', detail },
    {
      name: `layerlab start to address printed (median of ${START_REPEATS})`,
      value: round(median(starts.map((s) => s.secondsToUrl)), 2),
      unit: 's',
      detail,
    },
    {
      name: `layerlab start to interactive window, browser mode (median of ${START_REPEATS})`,
      value: round(toInteractive, 2),
      unit: 's',
      detail,
    },
    {
      name: 'npm start to interactive window, including the build',
      value: round(buildSeconds + toInteractive, 2),
      unit: 's',
      detail,
    },
  ];
}

export async function benchUi(): Promise<BenchResult[]> {
  // The start figures time the build, and the event streams need the built window: so they come first.
  const starts = await startResults();
  const results: BenchResult[] = [];
  for (const [label, workload] of [
    ['digits, batch 8: batch-event stream', BATCH_STREAM],
    ['iris, one batch per epoch: epoch-event flood', EPOCH_FLOOD],
  ] as const) {
    const measured = await measureEventStream(workload);
    log(
      `${label}: ${round(measured.batchEventsPerSecond)} batch + ${round(measured.epochEventsPerSecond)} epoch events/s on ${measured.backend}; ` +
        `frames mean ${measured.streaming.meanMs} ms, p95 ${measured.streaming.p95Ms} ms, p99 ${measured.streaming.p99Ms} ms (idle p95 ${measured.idle.p95Ms} ms)`,
    );
    if (workload === BATCH_STREAM && measured.batchEventsPerSecond < REQUESTED_BATCH_EVENT_HZ * 0.9) {
      log(
        `batch events arrived at ${round(measured.batchEventsPerSecond)}/s, not the ${REQUESTED_BATCH_EVENT_HZ}/s asked for through ${BATCH_EVENT_HZ_ENV}: ` +
          'the trainer spaces batch events at least 100 ms apart and has no setting for it yet',
      );
    }
    results.push(...streamResults(label, workload, measured));
  }
  results.push(...starts);
  return results;
}
