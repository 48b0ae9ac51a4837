export type { FromTrainer, ToTrainer, StartRun, RunEvaluation } from './protocol.js';
export {
  spawnTrainer,
  forkNodeTrainer,
  type TrainerHandle,
  type TrainerChannel,
  type SpawnTrainer,
} from './trainer-client.js';
