/** `layerlab predict`: any ONNX model with named inputs, run on the matching columns of a CSV. */
import path from 'node:path';
import { predictCsv } from '../core/onnx/index.js';
import { parseFlags, requireString } from './args.js';

const USAGE = `Usage: layerlab predict --model MODEL.onnx --data FILE.csv [--out PREDICTIONS.csv]
Without --out the predictions are printed as CSV.`;

export async function predictCommand(argv: string[]): Promise<number> {
  const values = parseFlags(argv, { model: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' } }, USAGE);
  const modelPath = path.resolve(requireString(values, 'model', USAGE));
  const dataPath = path.resolve(requireString(values, 'data', USAGE));
  const outPath = typeof values.out === 'string' ? path.resolve(values.out) : undefined;
  const result = await predictCsv(modelPath, dataPath, outPath);
  if (outPath) process.stderr.write(`Wrote ${result.rows.length} predictions to ${outPath}\n`);
  else process.stdout.write(result.csv ?? '');
  return 0;
}
