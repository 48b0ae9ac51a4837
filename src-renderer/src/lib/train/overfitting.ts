/**
 * When a run starts to overfit: validation loss has climbed from its best epoch for OVERFIT_PATIENCE epochs,
 * by more than OVERFIT_RISE of that best, while the training loss kept falling. The marker sits at the best
 * epoch, where the two curves part.
 */

/** Epochs validation loss must stay above its best before the marker shows (one bad epoch is noise). */
export const OVERFIT_PATIENCE = 3;
/** How far above its best (a share of it) the validation loss must be at the latest epoch. */
export const OVERFIT_RISE = 0.05;

export interface OverfitOnset {
  /** The epoch of the lowest validation loss: after it, validation loss rises while training loss falls. */
  epoch: number;
  bestValLoss: number;
  latestValLoss: number;
  trainLossAtBest: number;
  latestTrainLoss: number;
}

type Curve = ReadonlyArray<{ x: number; y: number }>;

/** The onset of overfitting in per-epoch loss curves (x = epoch), or null when there is none (yet). */
export function overfitOnset(trainLoss: Curve, valLoss: Curve): OverfitOnset | null {
  if (valLoss.length === 0) return null;
  let best = valLoss[0]!;
  for (const point of valLoss) if (point.y < best.y) best = point;
  const latest = valLoss[valLoss.length - 1]!;
  if (latest.x - best.x < OVERFIT_PATIENCE) return null;
  const after = valLoss.filter((p) => p.x > best.x);
  if (after.length < OVERFIT_PATIENCE || after.some((p) => !(p.y > best.y))) return null;
  if (!(latest.y > best.y * (1 + OVERFIT_RISE))) return null;
  const trainAt = (x: number) => trainLoss.find((p) => p.x === x)?.y;
  const trainAtBest = trainAt(best.x);
  const trainLatest = trainAt(latest.x);
  if (trainAtBest === undefined || trainLatest === undefined || !(trainLatest < trainAtBest)) return null;
  return {
    epoch: best.x,
    bestValLoss: best.y,
    latestValLoss: latest.y,
    trainLossAtBest: trainAtBest,
    latestTrainLoss: trainLatest,
  };
}
