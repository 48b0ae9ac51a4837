/**
 * Pause, resume and stop for a running training loop. The loop checks it between batches, so a request
 * takes effect within one batch; a new insight request, at the next epoch's end. The same object works in-process (tests, CLI) and behind the trainer
 * process' messages.
 */
import { NO_INSIGHT, type InsightRequest } from './insight-types.js';

export class RunControl {
  /** What the open insight views ask the loop to compute at each epoch's end. */
  insight: InsightRequest = NO_INSIGHT;
  private paused = false;
  private stopped = false;
  private wake: (() => void) | null = null;

  get isPaused(): boolean {
    return this.paused;
  }

  get isStopRequested(): boolean {
    return this.stopped;
  }

  pause(): void {
    if (!this.stopped) this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.release();
  }

  /** Stopping also releases a paused loop so it can finish cleanly. */
  stop(): void {
    this.stopped = true;
    this.paused = false;
    this.release();
  }

  /** Resolves at once when running; otherwise when resumed or stopped. */
  waitWhilePaused(): Promise<void> {
    if (!this.paused) return Promise.resolve();
    return new Promise((resolve) => {
      const previous = this.wake;
      this.wake = () => {
        previous?.();
        resolve();
      };
    });
  }

  private release(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
