/**
 * Progress of long work for a terminal: a redrawn bar (training) or percentage (reading) on a TTY, and a plain
 * line every few seconds otherwise (CI logs, pipes), so a long run is never silent and output stays readable.
 */
import { formatBytes, formatCount } from '../core/format/numbers.js';
import type { TrainingEvent } from '../core/training/types.js';

export interface ProgressPrinter {
  onEvent(event: TrainingEvent): void;
  done(): void;
}

function formatMetrics(metrics: Record<string, number | undefined>): string {
  return Object.entries(metrics)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .map(([name, value]) => `${name} ${value.toFixed(4)}`)
    .join('  ');
}

/** Seconds between two plain progress lines when output is not a terminal. */
export const PLAIN_PROGRESS_SECONDS = 5;
/** Files smaller than this read too fast to need progress. */
const READ_PROGRESS_FROM_BYTES = 8 * 1024 * 1024;

/** The part of a stream progress needs; `now` is injectable so tests need not wait. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** True at most once per PLAIN_PROGRESS_SECONDS, and not before the first PLAIN_PROGRESS_SECONDS have passed. */
function everyFewSeconds(now: () => number): () => boolean {
  let last = now();
  return () => {
    const t = now();
    if (t - last < PLAIN_PROGRESS_SECONDS * 1000) return false;
    last = t;
    return true;
  };
}

/** Progress of reading a CSV, for ReadCsvOptions.onProgress. */
export function createReadProgress(
  file: string,
  stream: ProgressStream = process.stderr,
  now: () => number = Date.now,
): (read: number, total: number) => void {
  const interactive = Boolean(stream.isTTY);
  const due = everyFewSeconds(now);
  let printed = false;
  return (read, total) => {
    if (total < READ_PROGRESS_FROM_BYTES) return;
    const percent = Math.round((100 * read) / total);
    if (interactive) {
      stream.write(`\rReading ${file} ${percent}%`);
      if (read >= total) stream.write('\n');
      return;
    }
    if (read >= total) {
      if (printed) stream.write(`Read ${file}: ${formatBytes(total)}\n`);
      return;
    }
    if (!due()) return;
    printed = true;
    stream.write(`Reading ${file}: ${formatBytes(read)} of ${formatBytes(total)} (${percent}%)\n`);
  };
}

export function createProgressPrinter(
  stream: ProgressStream = process.stderr,
  now: () => number = Date.now,
): ProgressPrinter {
  const interactive = Boolean(stream.isTTY);
  const due = everyFewSeconds(now);
  let epochs = 0;
  let lastLength = 0;
  const clearLine = () => {
    if (interactive && lastLength > 0) stream.write(`\r${' '.repeat(lastLength)}\r`);
    lastLength = 0;
  };
  return {
    onEvent(event) {
      switch (event.type) {
        case 'started':
          epochs = event.epochs;
          stream.write(
            `Training on ${event.backend} (${event.backendNote}): ${formatCount(event.trainSamples)} training rows, ` +
              `${formatCount(event.validationSamples)} validation rows, ${formatCount(event.parameters)} parameters\n`,
          );
          break;
        case 'batch': {
          if (!interactive) {
            if (!due()) return;
            const percent = Math.round((100 * event.batch) / Math.max(1, event.batchesPerEpoch));
            stream.write(
              `epoch ${event.epoch}/${epochs}: batch ${formatCount(event.batch)}/${formatCount(event.batchesPerEpoch)} (${percent}%)  ` +
                `loss ${event.loss.toFixed(4)}  ${formatCount(event.samplesPerSecond)} rows/s\n`,
            );
            return;
          }
          const width = 24;
          const filled = Math.round((event.batch / Math.max(1, event.batchesPerEpoch)) * width);
          const line =
            `epoch ${event.epoch}/${epochs} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` +
            `loss ${event.loss.toFixed(4)}  ${formatCount(event.samplesPerSecond)} rows/s`;
          stream.write(`\r${line}`);
          lastLength = line.length;
          break;
        }
        case 'epoch':
          clearLine();
          stream.write(
            `epoch ${event.epoch}/${epochs}  ${formatMetrics(event.metrics)}  (${event.seconds.toFixed(2)} s)\n`,
          );
          break;
        case 'stopped':
        case 'finished':
          clearLine();
          stream.write(`${event.type === 'stopped' ? 'Stopped' : 'Finished'}: ${event.reason}\n`);
          break;
        case 'error':
          clearLine();
          stream.write(`Error: ${event.message}\n`);
          break;
        default:
          break;
      }
    },
    done: clearLine,
  };
}
