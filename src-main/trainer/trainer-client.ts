/**
 * The host's side of the training process. The handle does not care how the process was started: Node
 * hosts (CLI, tests, browser-mode server) use forkNodeTrainer; the Electron host passes a spawn function
 * built on utilityProcess.
 */
import type { InsightRequest } from '../core/training/insight-types.js';
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FromTrainer, StartRun, ToTrainer } from './protocol.js';

/** A started training process, whatever started it. */
export interface TrainerChannel {
  send(message: ToTrainer): void;
  onMessage(listener: (message: FromTrainer) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export type SpawnTrainer = () => TrainerChannel;

export interface TrainerHandle {
  start(request: Omit<StartRun, 'type'>): void;
  pause(): void;
  resume(): void;
  stop(): void;
  /** What the open insight views ask for from the next epoch's end on. */
  setInsight(request: InsightRequest): void;
  /** Returns a function that unsubscribes. */
  onMessage(listener: (message: FromTrainer) => void): () => void;
  onExit(listener: (code: number | null) => void): () => void;
  readonly exited: boolean;
  dispose(): void;
}

export function spawnTrainer(spawn: SpawnTrainer = forkNodeTrainer): TrainerHandle {
  const channel = spawn();
  const messageListeners = new Set<(message: FromTrainer) => void>();
  const exitListeners = new Set<(code: number | null) => void>();
  let exited = false;
  channel.onMessage((message) => {
    for (const listener of [...messageListeners]) listener(message);
  });
  channel.onExit((code) => {
    exited = true;
    for (const listener of [...exitListeners]) listener(code);
  });
  const send = (message: ToTrainer): void => {
    if (exited) throw new Error('The training process has exited; start a new one.');
    channel.send(message);
  };
  return {
    start: (request) => send({ type: 'start', ...request }),
    pause: () => send({ type: 'pause' }),
    resume: () => send({ type: 'resume' }),
    stop: () => send({ type: 'stop' }),
    setInsight: (request) => send({ type: 'insight', request }),
    onMessage(listener) {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
    onExit(listener) {
      exitListeners.add(listener);
      return () => exitListeners.delete(listener);
    },
    get exited() {
      return exited;
    },
    dispose() {
      messageListeners.clear();
      if (!exited) channel.kill();
    },
  };
}

/**
 * Forks the training process as a Node child. From a build, trainer-main.js sits next to this file;
 * from source, the .ts entry runs through tsx. 'advanced' serialization lets typed arrays cross intact.
 */
export function forkNodeTrainer(): TrainerChannel {
  const built = fileURLToPath(new URL('./trainer-main.js', import.meta.url));
  const source = fileURLToPath(new URL('./trainer-main.ts', import.meta.url));
  const fromSource = !existsSync(built);
  const child: ChildProcess = fork(fromSource ? source : built, [], {
    execArgv: fromSource ? ['--import', tsxLoader()] : [],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    send: (message) => child.send(message),
    onMessage: (listener) => child.on('message', (message) => listener(message as FromTrainer)),
    onExit: (listener) => child.on('exit', (code) => listener(code)),
    kill: () => child.kill(),
  };
}

/** tsx by absolute location when the runtime can resolve it, so the child's working folder does not matter. */
function tsxLoader(): string {
  try {
    return import.meta.resolve('tsx');
  } catch {
    return 'tsx';
  }
}
