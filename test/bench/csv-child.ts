/** Reads one CSV in a fresh process so its peak memory is the reader's alone. Prints JSON. */
import { readCsv } from '../../src-main/core/data/index.js';

const file = process.argv[2];
if (file === undefined) throw new Error('csv-child needs the path of the CSV file to read.');
const started = process.hrtime.bigint();
const dataset = await readCsv(file);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stdout.write(
  JSON.stringify({
    seconds,
    bytes: dataset.bytes,
    rows: dataset.rowCount,
    columns: dataset.columns.length,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
