/**
 * What the command line shows about hostile data: `inspect` prints the column table even when no task can be
 * inferred, says how numbers were read and which cells hold no float32 value; long reads and trainings print
 * plain progress lines when output is not a terminal.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createProgressPrinter, createReadProgress, PLAIN_PROGRESS_SECONDS } from '../../src-main/cli/progress.js';
import { seededRandom } from '../../src-main/core/data/index.js';
import { layerlab } from './cli-kit.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'layerlab-cli-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const full = path.join(dir, name);
  writeFileSync(full, content);
  return full;
}

describe('layerlab inspect on hostile data', () => {
  it('prints the column table, then why no task can be inferred, when the last column has one value', async () => {
    const random = seededRandom(21);
    const rows = Array.from({ length: 30 }, () => `${Math.round(random() * 100)},${(random() * 10).toFixed(2)},same`);
    const result = await layerlab(['inspect', '--data', file('one-value.csv', `a,b,label\n${rows.join('\n')}\n`)]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('one-value.csv: 30 rows, 3 columns');
    expect(result.stdout).toMatch(/^column\s+kind\s+role/m);
    expect(result.stdout).toMatch(/^label\s+category\s+target/m);
    const table = result.stdout.indexOf('column  kind');
    const reason = result.stdout.indexOf(
      "Task: none can be inferred. one-value.csv column 'label' has only one value (same), so there is nothing to classify. Choose another target column.",
    );
    expect(table).toBeGreaterThan(0);
    expect(reason).toBeGreaterThan(table);
  });

  it('says how written numbers were read and counts inf/NaN and overflow per column', async () => {
    const content = [
      'price,rate,big,y',
      '"$1,234.50",inf,1e300,1',
      '$3.00,NaN,2,0',
      '$2.50,0.5,3,1',
      '$9.99,0.25,4,0',
    ].join('\n');
    const result = await layerlab(['inspect', '--data', file('written.csv', `${content}\n`)]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^price\s.*"\$1,234\.50" read as 1234\.5$/m);
    expect(result.stdout).toMatch(/^rate\s.*2 inf\/NaN read as missing$/m);
    expect(result.stdout).toMatch(/^big\s.*1 too large for float32$/m);
    expect(result.stdout).toContain("Warning: written.csv column 'big': 1 value is too large");
  });

  it('refuses inf words when asked, naming the line and column', async () => {
    const result = await layerlab([
      'inspect',
      '--data',
      file('refuse.csv', 'x,y\n1,2\n2,-inf\n3,4\n'),
      '--non-finite',
      'refuse',
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("refuse.csv line 3, column 2 ('y'): '-inf' is not a number");
  });

  it('train takes the same choice: refused before any training, or read as missing with a warning', async () => {
    const csv = file(
      'train-inf.csv',
      `x,y\n${Array.from({ length: 40 }, (_, i) => `${i},${i % 7 === 3 ? 'inf' : i * 2}`).join('\n')}\n`,
    );
    const refused = await layerlab([
      'train',
      '--data',
      csv,
      '--target',
      'x',
      '--epochs',
      '1',
      '--non-finite',
      'refuse',
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("train-inf.csv line 5, column 2 ('y'): 'inf' is not a number");
    expect(refused.stderr).not.toContain('Training on');
    const read = await layerlab(['train', '--data', csv, '--target', 'x', '--epochs', '1']);
    expect(read.code, read.stderr).toBe(0);
    expect(read.stderr).toContain("column 'y': 6 cells say inf or NaN (line 5 'inf'");
    expect(read.stderr).toContain('they are read as missing values');
    const bad = await layerlab(['train', '--data', csv, '--target', 'x', '--non-finite', 'skip']);
    expect(bad.stderr).toContain('--non-finite must be missing or refuse (got "skip")');
  }, 120_000);

  it('reads a Latin-1 file when told its encoding, and says so', async () => {
    const bytes = Buffer.concat([Buffer.from('name,x\ncaf'), Buffer.from([0xe9]), Buffer.from(',1\nthé,2\n')]);
    const latin1 = path.join(dir, 'latin1.csv');
    writeFileSync(latin1, bytes);
    const refused = await layerlab(['inspect', '--data', latin1]);
    expect(refused.stderr).toContain('latin1.csv line 2, column 4: the byte 0xE9 is not UTF-8 text');
    const read = await layerlab(['inspect', '--data', latin1, '--encoding', 'windows-1252']);
    expect(read.code).toBe(0);
    expect(read.stdout).toContain('latin1.csv: 2 rows, 2 columns, delimiter ",", header, windows-1252');
  });
});

describe('progress when output is not a terminal', () => {
  function captured() {
    const lines: string[] = [];
    let clock = 0;
    return {
      stream: { isTTY: false, write: (text: string) => lines.push(text) },
      now: () => clock,
      advance: (seconds: number) => (clock += seconds * 1000),
      lines,
    };
  }

  it('reading a large file prints a plain line every few seconds, and the total at the end', () => {
    const out = captured();
    const report = createReadProgress('big.csv', out.stream, out.now);
    const total = 300 * (1 << 20);
    for (let read = 1 << 20; read < total; read += 1 << 20) {
      out.advance(0.1);
      report(read, total);
    }
    report(total, total);
    const seconds = (total / (1 << 20)) * 0.1;
    expect(out.lines.length).toBeGreaterThanOrEqual(Math.floor(seconds / PLAIN_PROGRESS_SECONDS) - 1);
    expect(out.lines.length).toBeLessThanOrEqual(Math.floor(seconds / PLAIN_PROGRESS_SECONDS) + 1);
    expect(out.lines[0]).toMatch(/^Reading big\.csv: 5[0-9.]+ MB of 300\.0 MB \(\d+%\)\n$/);
    expect(out.lines.at(-1)).toMatch(/^Read big\.csv: 300\.0 MB\n$/);
    expect(out.lines.every((line) => !line.includes('\r'))).toBe(true);
  });

  it('training prints a plain batch line every few seconds between epoch lines', () => {
    const out = captured();
    const printer = createProgressPrinter(out.stream, out.now);
    printer.onEvent({
      type: 'started',
      backend: 'cpu',
      backendNote: 'test',
      trainSamples: 5_250_000,
      validationSamples: 0,
      epochs: 1,
      batchesPerEpoch: 5127,
      parameters: 100,
    });
    for (let batch = 1; batch <= 5127; batch += 10) {
      out.advance(0.1);
      printer.onEvent({ type: 'batch', epoch: 1, batch, batchesPerEpoch: 5127, loss: 0.5, samplesPerSecond: 100000 });
    }
    const batchLines = out.lines.filter((line) => line.startsWith('epoch 1/1: batch'));
    expect(batchLines.length).toBeGreaterThanOrEqual(9);
    expect(batchLines.length).toBeLessThanOrEqual(11);
    expect(batchLines[0]).toMatch(/^epoch 1\/1: batch 491\/5,127 \(10%\) {2}loss 0\.5000 {2}100,000 rows\/s\n$/);
  });
});
