/** Training one prepared run and evaluating the model it returns: what every trainer does, in any process. */
import type { SplitData } from '../core/data/types.js';
import { evaluate, type Evaluation } from '../core/training/evaluate.js';
import { RunControl } from '../core/training/run-control.js';
import type { InsightRequest } from '../core/training/insight-types.js';
import { train } from '../core/training/train.js';
import { createEpochObserver } from '../core/insight/epoch-observer.js';
import type { TrainedModel, TrainingEvent } from '../core/training/types.js';
import type { TrainedRun, TrainerPort, TrainRequest } from './ports.js';

export interface TrainHooks {
  onEvent: (event: TrainingEvent) => void;
  control?: RunControl;
  signal?: AbortSignal;
  batchEventIntervalMs?: number;
  /** Every epoch carries all the insight asked for (a report); otherwise the open views share a time budget. */
  everyEpoch?: boolean;
}

/** The model on one split, or null when the split has no rows. */
export function evaluateSplit(model: TrainedModel, split: SplitData): Evaluation | null {
  return split.count > 0 ? evaluate(model, split) : null;
}

export async function trainAndEvaluate(request: TrainRequest, hooks: TrainHooks): Promise<TrainedRun> {
  const { spec, prepared, settings } = request;
  // Always there, so views opened mid-run get their insight; it computes nothing while none is open.
  const observer = createEpochObserver({ spec, prepared, settings, everyEpoch: hooks.everyEpoch });
  let result;
  try {
    result = await train(spec, prepared, settings, {
      control: hooks.control,
      signal: hooks.signal,
      batchEventIntervalMs: hooks.batchEventIntervalMs,
      onEvent: hooks.onEvent,
      observer,
    });
  } finally {
    observer.dispose();
  }
  return {
    result,
    evaluation: {
      validation: evaluateSplit(result.model, prepared.validation),
      test: evaluateSplit(result.model, prepared.test),
    },
  };
}

/**
 * A trainer in this process (the CLI): stopped through `signal`. `insight`: what each epoch should carry, computed
 * every epoch (a report wants them all, where a live view may skip epochs to stay cheap).
 */
export function inProcessTrainer(signal?: AbortSignal, insight?: InsightRequest): TrainerPort {
  return {
    train: (request, onEvent) => {
      const control = new RunControl();
      if (insight) control.insight = insight;
      return trainAndEvaluate(request, {
        onEvent,
        signal,
        control,
        everyEpoch: insight !== undefined,
      });
    },
  };
}
