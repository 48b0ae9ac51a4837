/** Training in an Electron utilityProcess: the built trainer entry, spoken to with the trainer protocol. */
import { utilityProcess } from 'electron';
import type { FromTrainer } from '../trainer/protocol.js';
import { spawnTrainer, type TrainerHandle } from '../trainer/trainer-client.js';

export function createUtilityTrainer(entry: string): TrainerHandle {
  return spawnTrainer(() => {
    const child = utilityProcess.fork(entry, [], { serviceName: 'LayerLab training', stdio: 'inherit' });
    return {
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', (message: unknown) => listener(message as FromTrainer)),
      onExit: (listener) => child.on('exit', (code) => listener(code)),
      kill: () => {
        child.kill();
      },
    };
  });
}
