/** A prediction table as CSV text (RFC 4180 quoting). */
import type { PredictionTable } from '../contract/api.js';

function cell(value: string | number | null): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function predictionsToCsv(table: PredictionTable): string {
  const lines = [table.columns.map(cell).join(',')];
  for (const row of table.rows) lines.push(row.map(cell).join(','));
  return `${lines.join('\n')}\n`;
}
