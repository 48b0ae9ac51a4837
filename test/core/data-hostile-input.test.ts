/**
 * Hostile CSV files, generated from a seed into a temporary folder: numbers that overflow float32, inf/NaN
 * words, numbers as people write them, decimal commas, bad bytes past the first chunks, UTF-16, `sep=` lines
 * and an empty target. Each gives the right values, or a message naming the file, the line or column and the
 * fix; nothing that reaches training holds NaN.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DataError,
  defaultDataSettings,
  findColumn,
  prepareData,
  readCsv,
  seededRandom,
  updateColumnSettings,
} from '../../src-main/core/data/index.js';
import type { Dataset, PreparedData, ReadCsvOptions } from '../../src-main/core/data/index.js';
import { parseNumberText } from '../../src-main/core/data/number-text.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'layerlab-hostile-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(name: string, content: string | Uint8Array, options: ReadCsvOptions = {}): Promise<Dataset> {
  const path = join(dir, name);
  await writeFile(path, content);
  return readCsv(path, options);
}

async function refusal(promise: Promise<unknown> | (() => unknown)): Promise<DataError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }
  throw new Error('expected a DataError');
}

function numbers(dataset: Dataset, name: string): number[] {
  return Array.from(findColumn(dataset, name).numbers ?? []);
}

/** Seeded rows `x,y` with y = 2x + 1 and x in [0, 10): a file that trains when nothing is wrong with it. */
function cleanRows(rows: number, seed: number): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: rows }, () => {
    const x = Math.round(random() * 1000) / 100;
    return `${x},${Math.round((2 * x + 1) * 100) / 100}`;
  });
}

function expectFinite(prepared: PreparedData): void {
  for (const split of [prepared.train, prepared.validation, prepared.test]) {
    expect(split.x.every((v) => Number.isFinite(v))).toBe(true);
    expect(split.y.every((v) => Number.isFinite(v))).toBe(true);
  }
}

describe('numbers too large for float32', () => {
  it('a feature that overflows is counted, shown and refused with its lines, range and the fix', async () => {
    const rows = cleanRows(60, 1).map((row, i) => `${i === 4 ? '1e300' : i === 9 ? '-1e999' : String(i)},${row}`);
    const d = await read('overflow.csv', `big,x,y\n${rows.join('\n')}\n`);
    const big = findColumn(d, 'big');
    expect(big.kind).toBe('integer');
    expect(big.stats.nonFinite).toEqual({ words: 0, overflow: 2 });
    expect(big.stats.max).toBe(1e300);
    const warning = d.warnings.find((w) => w.code === 'float32-overflow');
    expect(warning?.message).toContain("overflow.csv column 'big': 2 values are too large");
    expect(warning?.message).toContain("line 6 '1e300', line 11 '-1e999'");
    const error = await refusal(() => prepareData(d, defaultDataSettings(d, 'y')));
    expect(error.code).toBe('float32-overflow');
    expect(error.column).toBe('big');
    expect(error.line).toBe(6);
    expect(error.message).toContain('The column runs from 0 to 1e+300');
    expect(error.message).toContain('Rescale the column');
    // Left out, the same file trains on finite numbers only.
    const ignored = updateColumnSettings(defaultDataSettings(d, 'y'), 'big', { role: 'ignore' });
    expectFinite(prepareData(d, ignored));
  });

  it.each([['1e999'], ['1e400'], ['3.5e39']])(
    'a regression target cell %s is refused naming the column',
    async (cell) => {
      const rows = cleanRows(40, 2);
      rows[7] = `${rows[7]!.split(',')[0]},${cell}`;
      const d = await read(`target-${cell}.csv`, `x,y\n${rows.join('\n')}\n`);
      const error = await refusal(() => prepareData(d, defaultDataSettings(d, 'y')));
      expect(error.code).toBe('float32-overflow');
      expect(error.message).toContain(`target-${cell}.csv column 'y': 1 value is too large`);
      expect(error.message).toContain(`line 9 '${cell}'`);
    },
  );

  it('a fill constant that overflows float32 is caught by the last check before training', async () => {
    const rows = cleanRows(40, 3);
    rows[2] = `,${rows[2]!.split(',')[1]}`;
    const d = await read('fill.csv', `x,y\n${rows.join('\n')}\n`);
    const settings = updateColumnSettings(defaultDataSettings(d, 'y'), 'x', { missing: 'constant', constant: 1e300 });
    const error = await refusal(() => prepareData(d, settings));
    expect(error.code).toBe('non-finite-input');
    expect(error.message).toMatch(/^fill\.csv line 4, column 'x': this input becomes (-?Infinity|NaN) once encoded/);
    expect(error.message).toContain('Rescale the column');
  });
});

describe('inf and NaN words', () => {
  const words = ['inf', '-inf', 'Infinity', '-Infinity', 'NaN', '+inf'];

  it('keep a numeric column numeric, are read as missing with a warning, and never reach training', async () => {
    const rows = cleanRows(50, 4).map((row, i) => (i < words.length ? `${words[i]},${row.split(',')[1]}` : row));
    const d = await read('words.csv', `x,y\n${rows.join('\n')}\n`);
    const x = findColumn(d, 'x');
    expect(x.kind).toBe('number');
    expect(numbers(d, 'x').slice(0, words.length).every(Number.isNaN)).toBe(true);
    expect(numbers(d, 'x')[words.length]).toBe(Number(rows[words.length]!.split(',')[0]));
    expect(x.stats.nonFinite).toEqual({ words: words.length, overflow: 0 });
    expect(x.stats.missing).toBe(words.length);
    const warning = d.warnings.find((w) => w.code === 'non-finite-words');
    expect(warning?.message).toContain("words.csv column 'x': 6 cells say inf or NaN (line 2 'inf', line 3 '-inf'");
    expect(warning?.message).toContain('read as missing values');
    const prepared = prepareData(d, defaultDataSettings(d, 'y'));
    expectFinite(prepared);
    expect(prepared.warnings.some((w) => w.code === 'non-finite-words')).toBe(true);
  });

  it('are refused with their line and column when the person chooses refuse', async () => {
    const rows = cleanRows(20, 5);
    rows[3] = `${rows[3]!.split(',')[0]},-Infinity`;
    const error = await refusal(read('refuse.csv', `x,y\n${rows.join('\n')}\n`, { nonFinite: 'refuse' }));
    expect(error.code).toBe('non-finite-word');
    expect(error.message).toContain("refuse.csv line 5, column 2 ('y'): '-Infinity' is not a number");
    expect(error.line).toBe(5);
  });

  it('stay categories in a column of words', async () => {
    const d = await read('text.csv', 'word,n\ninf,1\nnan,2\nfinite,3\nzero,4\n');
    const word = findColumn(d, 'word');
    expect(word.kind).toBe('category');
    expect(word.categories).toEqual(['inf', 'finite', 'zero']);
    expect(word.stats.missing).toBe(1);
  });
});

describe('numbers as people write them', () => {
  it.each([
    ['thousands', ['"1,234"', '"12,345.5"', '"-1,000,000"', '7'], [1234, 12345.5, -1000000, 7], '"1,234" read as 1234'],
    ['dollars', ['$100.00', '"$1,234.50"', '-$5', '$.5'], [100, 1234.5, -5, 0.5], '"$100.00" read as 100'],
    ['euros and pounds', ['€5', '12 €', '£3.25', '"€1,000"'], [5, 12, 3.25, 1000], '"€5" read as 5'],
    ['percent', ['45%', '-2.5%', '100 %', '0%'], [45, -2.5, 100, 0], '"45%" read as 45'],
    ['leading + and .', ['+3', '.5', '+.25', '-.75'], [3, 0.5, 0.25, -0.75], null],
  ])('%s', async (name, cells, values, note) => {
    const body = cells.map((cell, i) => `${cell},${i % 2}`).join('\n');
    const d = await read(`${name.replaceAll(' ', '-')}.csv`, `amount,y\n${body}\n`);
    const amount = findColumn(d, 'amount');
    expect(['number', 'integer']).toContain(amount.kind);
    expect(numbers(d, 'amount')).toEqual(values);
    const written = amount.stats.written;
    if (note === null) expect(written).toBeUndefined();
    else expect(`"${written?.example}" read as ${written?.value}`).toBe(note);
  });

  it('a written form that is not a number stays text', () => {
    for (const text of ['12,34', '$', '1,2,3', '$5%', '5$%', '--5', '1.2.3', '$1e5']) {
      expect(parseNumberText(text), text).toBeNaN();
    }
  });

  it('decimal commas in a ;-delimited file are numbers, and the target keeps its classes', async () => {
    const random = seededRandom(6);
    const lines = Array.from({ length: 40 }, (_, i) => {
      const a = (Math.round(random() * 1000) / 100).toFixed(2).replace('.', ',');
      return `${a};"1.234,5";${i % 2 === 0 ? 'yes' : 'no'};${(i / 4).toFixed(1).replace('.', ',')}`;
    });
    const d = await read('semicolon.csv', `a;b;label;amount\n${lines.join('\n')}\n`);
    expect(d.delimiter).toBe(';');
    expect(d.decimal).toBe(',');
    expect(numbers(d, 'a')[0]).toBe(Number(lines[0]!.split(';')[0]!.replace(',', '.')));
    expect(numbers(d, 'b')[0]).toBe(1234.5);
    expect(numbers(d, 'amount').slice(0, 3)).toEqual([0, 0.3, 0.5]);
    expect(findColumn(d, 'a').stats.written?.example).toMatch(/^\d+,\d\d$/);
    const prepared = prepareData(d, defaultDataSettings(d, 'label'));
    expect(prepared.preprocessor.task.kind).toBe('binary');
    expect(prepared.preprocessor.features.map((f) => f.type)).toEqual(['number', 'number', 'number']);
    const regression = prepareData(d, defaultDataSettings(d, 'amount'));
    expect(regression.preprocessor.task.kind).toBe('regression');
  });
});

describe('encodings over the whole file', () => {
  /** About 2.5 MB of plain rows, so a bad byte after them is far past the first chunks. */
  function bigHead(): { text: string; lines: number } {
    const rows = cleanRows(230_000, 7);
    return { text: `x,y\n${rows.join('\n')}\n`, lines: rows.length + 1 };
  }

  it('an invalid UTF-8 byte past 2 MB is refused with its line and column', async () => {
    const { text, lines } = bigHead();
    expect(text.length).toBeGreaterThan(2 * 1024 * 1024);
    const bytes = Buffer.concat([Buffer.from(`${text}1,caf`), Buffer.from([0xe9]), Buffer.from('\n2,3\n')]);
    const error = await refusal(read('latin1-late.csv', bytes));
    expect(error.code).toBe('not-utf8');
    expect(error.message).toContain(`latin1-late.csv line ${lines + 1}, column 6: the byte 0xE9 is not UTF-8 text`);
    expect(error.message).toContain('Save the file as "CSV UTF-8"');
    expect([error.line, error.column]).toEqual([lines + 1, 6]);
  });

  it('the same file read as Windows-1252 gives the letter it meant', async () => {
    const bytes = Buffer.concat([
      Buffer.from('name,x\ncaf'),
      Buffer.from([0xe9, 0x2c, 0x31, 0x0a, 0x80]),
      Buffer.from(',2\n'),
    ]);
    const d = await read('latin1.csv', bytes, { encoding: 'windows-1252' });
    expect(d.encoding).toBe('windows-1252');
    expect(findColumn(d, 'name').categories).toEqual(['café', '€']);
  });

  it('a NUL byte past 2 MB is refused with its line', async () => {
    const { text, lines } = bigHead();
    const bytes = Buffer.concat([Buffer.from(`${text}12,`), Buffer.from([0]), Buffer.from('3\n')]);
    const error = await refusal(read('nul-late.csv', bytes));
    expect(error.code).toBe('binary-file');
    expect(error.message).toContain(`nul-late.csv line ${lines + 1}, column 4: this is not a text file`);
  });

  it('a multi-byte character split across chunks is read whole', async () => {
    // Padded so that 'é' (2 bytes) straddles the first 1 MiB chunk's end.
    const pad = (1 << 20) - Buffer.byteLength('name,x\n') - 1;
    const d = await read('split-char.csv', `name,x\n${'a'.repeat(pad)}é,1\nb,2\n`);
    expect(findColumn(d, 'name').categories?.[0]?.slice(-3)).toBe('aaé');
    expect(numbers(d, 'x')).toEqual([1, 2]);
  });

  it.each([['utf-16le'], ['utf-16be']])('%s with a byte-order mark is decoded', async (encoding) => {
    const text = '\ufeffcity,temp\nZürich,1.5\nMünchen,-3\n';
    const le = Buffer.from(text, 'utf16le');
    const bytes = encoding === 'utf-16le' ? le : Buffer.from(le).swap16();
    const d = await read(`${encoding}.csv`, bytes);
    expect(d.encoding).toBe(encoding);
    expect(findColumn(d, 'city').categories).toEqual(['Zürich', 'München']);
    expect(numbers(d, 'temp')).toEqual([1.5, -3]);
  });

  it('a sep= first line names the delimiter, and lines are still counted from the top of the file', async () => {
    const d = await read('excel.csv', 'sep=;\r\na;b;y\r\n1,5;2;x\r\n3;4;y\r\n5;6;x\r\n');
    expect(d.delimiter).toBe(';');
    expect(d.columns.map((c) => c.name)).toEqual(['a', 'b', 'y']);
    expect(Array.from(d.rowLines ?? [])).toEqual([3, 4, 5]);
    const error = await refusal(read('excel-bad.csv', '"sep=;"\na;b\n1;2\n3;4;5\n'));
    expect(error.code).toBe('field-count');
    expect(error.message).toContain('excel-bad.csv line 4: expected 2 fields, found 3');
  });
});

describe('messages that name the cause', () => {
  it('a target empty in every row names the column instead of "0 usable rows"', async () => {
    const d = await read('no-target.csv', 'x,y\n1,\n2,NA\n3,\n4,\n');
    const error = await refusal(() => prepareData(d, defaultDataSettings(d, 'y')));
    expect(error.code).toBe('target-all-missing');
    expect(error.message).toBe(
      "no-target.csv column 'y', the target, has no value in any of the 4 rows, so there is nothing to learn. Choose another target column, or fill in its values.",
    );
    expect(error.message).not.toContain('usable');
  });

  it('a target of inf words says so', async () => {
    const d = await read('inf-target.csv', 'x,y\n1,inf\n2,inf\n3,-inf\n');
    const error = await refusal(() => prepareData(d, defaultDataSettings(d, 'y')));
    expect(error.message).toContain(
      "column 'y', the target, has no value in any of the 3 rows (3 of its cells say inf or NaN",
    );
  });

  it('hundreds of tiny classes are one warning, not hundreds', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => `${i % 7},c${i % 300}`);
    const d = await read('classes.csv', `x,y\n${rows.join('\n')}\n`);
    const prepared = prepareData(d, defaultDataSettings(d, 'y'));
    const small = prepared.warnings.filter((w) => w.code === 'small-class');
    expect(small).toHaveLength(1);
    expect(small[0]?.message).toContain("classes.csv column 'y': 300 classes have fewer than 10 rows each ('c0' (4)");
  });
});
