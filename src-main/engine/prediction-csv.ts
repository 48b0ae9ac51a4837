/** A prediction table as CSV text, quoted the same way as the CLI's prediction files. */
import type { PredictionTable } from '../contract/api.js';
import { csvCell } from '../core/onnx/prediction-table.js';

export function predictionsToCsv(table: PredictionTable): string {
  const lines = [table.columns.map(csvCell).join(',')];
  for (const row of table.rows) lines.push(row.map(csvCell).join(','));
  return `${lines.join('\n')}\n`;
}
