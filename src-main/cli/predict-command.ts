/** `layerlab predict`: any ONNX model with named inputs, run on the matching columns of a CSV. */
import path from 'node:path';
// The modules themselves, not the barrels: predicting needs neither tf.js nor the ONNX writer, and a command
// that loads only what it uses starts in a fraction of the time.
import { readDataset } from '../app/datasets.js';
import { localFiles } from '../app/ports.js';
import { predictDataset, predictionsCsv, writePredictions } from '../app/predictions.js';
import { openOnnxModel } from '../core/onnx/runner.js';
import { parseFlags, requireString } from './args.js';

const USAGE = `Usage: layerlab predict --model MODEL.onnx --data FILE.csv [--out PREDICTIONS.csv] [--manifest M.preprocess.json]
Writes the input columns, then the predictions (the same file the app saves). Without --out it prints them.
A portable model reads its raw rows through MODEL.preprocess.json beside it, or the --manifest given.`;

export async function predictCommand(argv: string[]): Promise<number> {
  const values = parseFlags(
    argv,
    { model: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' }, manifest: { type: 'string' } },
    USAGE,
  );
  const modelPath = path.resolve(requireString(values, 'model', USAGE));
  const dataPath = path.resolve(requireString(values, 'data', USAGE));
  const outPath = typeof values.out === 'string' ? path.resolve(values.out) : undefined;
  const dataset = await readDataset(dataPath);
  const manifest = typeof values.manifest === 'string' ? path.resolve(values.manifest) : undefined;
  const model = await openOnnxModel(modelPath, { manifest });
  try {
    const table = await predictDataset(model, dataset);
    if (outPath) {
      await writePredictions(localFiles, outPath, table);
      process.stderr.write(`Wrote ${table.rows.length} predictions to ${outPath}\n`);
    } else {
      process.stdout.write(predictionsCsv(table));
    }
  } finally {
    await model.close();
  }
  return 0;
}
