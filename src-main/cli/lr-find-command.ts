/**
 * `layerlab lr-find`: the learning-rate finder on the data and model `train` would use (the same flags), printing
 * the sweep's summary and the suggested rate. Nothing is recorded: it is a look before the real run.
 */
import { prepareRun } from '../app/index.js';
import { findLearningRate, sweepSummary } from '../core/insight/lr-finder.js';
import { chooseBackendByTrial, defaultTrainingSettings, selectBackend } from '../core/training/index.js';
import { optionalNumber, parseFlags } from './args.js';
import { DATA_FLAGS_USAGE } from './data-flags.js';
import { applyTrainingFlags, loadInputs, modelForRun, TRAIN_FLAGS } from './train-command.js';

const USAGE = `Usage: layerlab lr-find --data FILE.csv --target COLUMN [options]
   or: layerlab lr-find --project P.layerlab.json

Trains a fresh copy of the model for a few hundred batches while the learning rate grows from 1e-6 to 1,
stops when the loss diverges, and suggests a rate (a tenth of the rate with the lowest smoothed loss).

Options:
  --steps N                   batches in the sweep (default 200)
  --json                      print the whole sweep as JSON
  --model SPEC.json  --optimizer NAME  --batch-size N  --seed N  --backend NAME  --project P.layerlab.json
                              as for layerlab train

${DATA_FLAGS_USAGE}`;

const FLAGS = { ...TRAIN_FLAGS, steps: { type: 'string' }, json: { type: 'boolean' } } as const;

export async function lrFindCommand(argv: string[]): Promise<number> {
  const values = parseFlags(argv, FLAGS, USAGE);
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const steps = optionalNumber(values, 'steps', { integer: true, min: 10, max: 5000 });
  const { dataset, dataSettings, project } = await loadInputs(values);
  const prepared = prepareRun(dataset, dataSettings);
  const spec = await modelForRun(values, project, prepared.preprocessor);
  const settings = applyTrainingFlags(project?.training ?? defaultTrainingSettings(prepared.preprocessor.task), values);
  if (settings.backend === 'auto') await chooseBackendByTrial(spec, prepared, settings);
  else await selectBackend(settings.backend);
  const sweep = await findLearningRate(spec, prepared, settings, steps === undefined ? {} : { steps });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(sweep, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(`${sweepSummary(sweep).join('\n')}\n`);
  return sweep.suggested === null ? 1 : 0;
}
