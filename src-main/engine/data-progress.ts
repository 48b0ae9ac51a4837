/**
 * Progress of the CSV files the engine reads, for the UI's determinate bar. The reader reports every chunk;
 * a page needs far fewer updates than that, so reports are thinned to one per interval, but the first and the
 * last of a file always go out: the bar starts at once and is never left short of the end.
 */
import type { DataProgress } from '../contract/api.js';

/** At most about 20 updates a second reach the UI. */
export const DATA_PROGRESS_INTERVAL_MS = 50;

export interface ProgressReporter {
  /** The reader's callback: `readCsv(path, { onProgress: reporter.report })`. */
  report(bytesRead: number, totalBytes: number): void;
  /** Sends the last report if the interval held it back (the file ended shorter than its size said). */
  flush(): void;
}

export function throttledProgress(
  fileName: string,
  emit: (progress: DataProgress) => void,
  intervalMs = DATA_PROGRESS_INTERVAL_MS,
  now: () => number = Date.now,
): ProgressReporter {
  let lastSent = -Infinity;
  let held: DataProgress | null = null;

  const send = (progress: DataProgress): void => {
    held = null;
    lastSent = now();
    emit(progress);
  };

  return {
    report(bytesRead: number, totalBytes: number): void {
      const progress = { fileName, bytesRead, totalBytes };
      if (bytesRead >= totalBytes || now() - lastSent >= intervalMs) send(progress);
      else held = progress;
    },
    flush(): void {
      if (held) send(held);
    },
  };
}
