/**
 * Entry of the training process. Runs under Electron's utilityProcess (messages on process.parentPort)
 * or as a Node child process (process.send / 'message'). One run at a time; pause/resume/stop act on the
 * current run.
 */
import { RunControl } from '../core/training/run-control.js';
import { isToTrainer, type FromTrainer, type ToTrainer } from './protocol.js';
import { runTraining } from './run-trainer.js';

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

interface Port {
  listen(listener: (message: unknown) => void): void;
  post(message: FromTrainer): void;
}

function connect(): Port {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      listen: (listener) => parentPort.on('message', (event) => listener(event.data)),
      post: (message) => parentPort.postMessage(message),
    };
  }
  if (typeof process.send === 'function') {
    return {
      listen: (listener) => process.on('message', listener),
      post: (message) => process.send?.(message),
    };
  }
  throw new Error(
    'The training process must be started by LayerLab (utilityProcess or a Node child process with IPC).',
  );
}

const port = connect();
let control: RunControl | null = null;

port.listen((message) => {
  if (!isToTrainer(message)) {
    port.post({
      type: 'fatal',
      message: `The training process got a message it does not understand: ${JSON.stringify(message)?.slice(0, 200)}`,
    });
    return;
  }
  handle(message);
});

function handle(message: ToTrainer): void {
  switch (message.type) {
    case 'start': {
      if (control) {
        port.post({
          type: 'fatal',
          runId: message.runId,
          message: 'A training run is already in progress; stop it before starting another.',
        });
        return;
      }
      const current = new RunControl();
      if (message.insight) current.insight = message.insight;
      control = current;
      void runTraining(message, current, (m) => port.post(m)).finally(() => {
        if (control === current) control = null;
      });
      return;
    }
    case 'pause':
      control?.pause();
      return;
    case 'resume':
      control?.resume();
      return;
    case 'stop':
      control?.stop();
      return;
    case 'insight':
      if (control) control.insight = message.request;
      return;
  }
}

process.on('uncaughtException', (error) => {
  port.post({ type: 'fatal', message: `The training process failed: ${error.message}` });
});
