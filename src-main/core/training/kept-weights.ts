/** Which epoch's weights a run keeps: one rule for the training loop and for records saved before it said so. */
import type { RunOutcome, TrainingSettings } from './types.js';

/**
 * Early stopping with restoreBestWeights hands back the best epoch, but only for a run that ended by itself: a
 * stopped or diverged run keeps its last complete epoch, so what the person saw last is what they get.
 */
export function restoresBestEpoch(settings: TrainingSettings, outcome: RunOutcome, bestEpoch: number | null): boolean {
  const { enabled, restoreBestWeights } = settings.earlyStopping;
  return enabled && restoreBestWeights && bestEpoch !== null && (outcome === 'finished' || outcome === 'early-stopped');
}

/** The kept epoch (null when no epoch completed). */
export function keptEpochOf(run: {
  settings: TrainingSettings;
  outcome: RunOutcome;
  bestEpoch: number | null;
  history: readonly { epoch: number }[];
}): number | null {
  if (restoresBestEpoch(run.settings, run.outcome, run.bestEpoch)) return run.bestEpoch;
  return run.history.at(-1)?.epoch ?? null;
}
