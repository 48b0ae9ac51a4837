/** `layerlab` entry: dispatches to one subcommand and turns every failure into a message and an exit code. */
import { UsageError } from './args.js';

const HELP = `layerlab — build, train and export neural networks for CSV data

Usage:
  layerlab train   --data FILE.csv --target COLUMN [options]   train a model (see layerlab train --help)
                   [--data-settings S.json] [--kind|--role|--encoding|--missing COL=VALUE] [--split T,V,T]
  layerlab lr-find --data FILE.csv --target COLUMN [options]   sweep learning rates and suggest one (train's flags)
  layerlab inspect --data FILE.csv                              show the columns LayerLab infers
  layerlab inspect --model MODEL.onnx                           show an ONNX model's inputs, outputs, metadata
  layerlab runs    --project P.layerlab.json [--json]          list the project's runs and their final metrics
  layerlab export  --project P.layerlab.json --out MODEL.onnx   export the project's latest trained run
                   [--run N|RUN_ID]                             or run N (1 for the first, as runs lists them)
                   [--format pytorch|keras --out train.py]      or a training script for PyTorch or Keras
  layerlab predict --model MODEL.onnx --data FILE.csv [--out PREDICTIONS.csv]
  layerlab serve   [--port N] [--host 127.0.0.1]                the app in your browser
  layerlab start                                                the desktop app (browser mode where it cannot start)
`;

type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  train: async () => (await import('./train-command.js')).trainCommand,
  'lr-find': async () => (await import('./lr-find-command.js')).lrFindCommand,
  inspect: async () => (await import('./inspect-command.js')).inspectCommand,
  runs: async () => (await import('./runs-command.js')).runsCommand,
  export: async () => (await import('./export-command.js')).exportCommand,
  predict: async () => (await import('./predict-command.js')).predictCommand,
  serve: async () => (await import('./serve-command.js')).serveCommand,
  start: async () => (await import('./serve-command.js')).startCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return name ? 0 : 1;
  }
  if (name === '--version') {
    const { LAYERLAB_VERSION } = await import('./version.js');
    process.stdout.write(`${LAYERLAB_VERSION}\n`);
    return 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`Unknown command "${name}".\n\n${HELP}`);
    return 2;
  }
  try {
    return await (
      await load()
    )(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`Error: ${message}\n`);
    if (process.env.LAYERLAB_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}
