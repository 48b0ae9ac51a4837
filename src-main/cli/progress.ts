/**
 * Training progress for a terminal: a redrawn bar with the live loss on a TTY, plain lines otherwise (CI logs,
 * pipes), so output stays readable in both.
 */
import { formatCount } from '../core/format/numbers.js';
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

export function createProgressPrinter(stream: NodeJS.WriteStream = process.stderr): ProgressPrinter {
  const interactive = Boolean(stream.isTTY);
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
          if (!interactive) return;
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
