/** The memory budget for training on this machine, for the adapters to hand to core/model's size check. */
import os from 'node:os';
import { formatBytes } from '../core/format/numbers.js';
import type { TrainingBudget } from '../core/model/limits.js';

/** Half the machine's memory: the rest is the system's, the window's and the data's. */
export function machineTrainingBudget(): TrainingBudget {
  const total = os.totalmem();
  return { bytes: Math.floor(total / 2), source: `half of this machine's ${formatBytes(total)}` };
}
