/**
 * The layer statistics of each epoch of the run in view, kept as the run's insight arrives (TrainingRun keeps
 * only the newest), so the layer-stats view can draw a line per layer across the epochs.
 */
import type { EpochInsight, LayerEpochStats } from '$contract/api.js';

/** Enough epochs for the lines; a longer run keeps its latest ones. */
const MAX_EPOCHS = 500;

export class LayerHistory {
  /** Each recorded epoch's statistics, oldest first. */
  epochs = $state.raw<Array<{ epoch: number; layers: LayerEpochStats[] }>>([]);
  private runId: string | null = null;

  /** Follows one run: a new run id starts a fresh history. */
  add(runId: string | null, insight: EpochInsight | null): void {
    if (runId !== this.runId) {
      this.runId = runId;
      this.epochs = [];
    }
    if (!insight?.layers) return;
    // The run's insight keeps the last layers it got while newer epochs bring only other parts: the same
    // array again is no new epoch of statistics.
    if (this.epochs.at(-1)?.layers === insight.layers || this.epochs.at(-1)?.epoch === insight.epoch) return;
    this.epochs = [...this.epochs.slice(-(MAX_EPOCHS - 1)), { epoch: insight.epoch, layers: insight.layers }];
  }

  /** One layer's values of `key` per epoch (the epochs that know it). */
  series(index: number, key: 'gradientNorm' | 'updateRatio'): Array<{ x: number; y: number }> {
    const out: Array<{ x: number; y: number }> = [];
    for (const { epoch, layers } of this.epochs) {
      const value = layers.find((l) => l.index === index)?.[key];
      if (typeof value === 'number') out.push({ x: epoch, y: value });
    }
    return out;
  }
}
