import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError, findColumn, readCsv, readCsvBytes, rowsAsText } from '../../src-main/core/data/index.js';
import type { Dataset } from '../../src-main/core/data/index.js';
import { generateNumericCsv } from '../fixtures/generate-csv.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const bad = join(fixtures, 'bad');
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'layerlab-data-read-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeTmp(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

async function readText(name: string, content: string | Uint8Array, options = {}): Promise<Dataset> {
  return readCsv(await writeTmp(name, content), options);
}

async function dataError(promise: Promise<unknown>): Promise<DataError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }
  throw new Error('expected a DataError');
}

function column(dataset: Dataset, name: string) {
  return findColumn(dataset, name);
}

describe('parsing', () => {
  it('reads a header, numbers and categories into typed columns', async () => {
    const d = await readText('basic.csv', 'a,b,c\n1,2.5,x\n3,-4e2,y\n5,.5,x\n');
    expect(d.hasHeader).toBe(true);
    expect(d.delimiter).toBe(',');
    expect(d.rowCount).toBe(3);
    expect(d.columns.map((c) => c.name)).toEqual(['a', 'b', 'c']);
    expect(column(d, 'a').kind).toBe('integer');
    expect(Array.from(column(d, 'a').numbers ?? [])).toEqual([1, 3, 5]);
    expect(column(d, 'b').kind).toBe('number');
    expect(Array.from(column(d, 'b').numbers ?? [])).toEqual([2.5, -400, 0.5]);
    const c = column(d, 'c');
    expect(c.kind).toBe('category');
    expect(c.codes).toBeInstanceOf(Int32Array);
    expect(Array.from(c.codes ?? []).map((k) => c.categories?.[k])).toEqual(['x', 'y', 'x']);
  });

  it('detects a file without a header and names the columns', async () => {
    const d = await readText('noheader.csv', '1,2,3\n4,5,6\n7,8,9\n');
    expect(d.hasHeader).toBe(false);
    expect(d.rowCount).toBe(3);
    expect(d.columns.map((c) => c.name)).toEqual(['column_1', 'column_2', 'column_3']);
    expect(Array.from(column(d, 'column_3').numbers ?? [])).toEqual([3, 6, 9]);
  });

  it('detects a header over text columns, and its absence over repeating text', async () => {
    const withHeader = await readText('textheader.csv', 'colour,size\nred,small\nblue,large\nred,small\n');
    expect(withHeader.hasHeader).toBe(true);
    const without = await readText('textnoheader.csv', 'red,small\nblue,large\nred,small\n');
    expect(without.hasHeader).toBe(false);
    expect(without.rowCount).toBe(3);
  });

  it.each([
    [';', 'semicolon.csv'],
    ['\t', 'tab.tsv'],
    ['|', 'pipe.csv'],
  ])('detects the %j delimiter', async (delimiter, name) => {
    const text =
      ['name', 'value', 'note'].join(delimiter) +
      '\n' +
      ['a', '1.5', 'x,y'].join(delimiter) +
      '\n' +
      ['b', '2.5', 'z'].join(delimiter) +
      '\n';
    const d = await readText(name, text);
    expect(d.delimiter).toBe(delimiter);
    expect(d.columns.map((c) => c.name)).toEqual(['name', 'value', 'note']);
    expect(Array.from(column(d, 'value').numbers ?? [])).toEqual([1.5, 2.5]);
    expect(d.preview[0]?.[2]).toBe('x,y');
  });

  it('handles quoted fields with delimiters, doubled quotes and line breaks', async () => {
    const text = 'id,text,n\n1,"a, b",10\n2,"she said ""hi""",20\n3,"two\nlines",30\n4,plain,40\n';
    const d = await readText('quotes.csv', text);
    expect(d.rowCount).toBe(4);
    const t = column(d, 'text');
    expect(Array.from(t.codes ?? []).map((k) => t.categories?.[k])).toEqual([
      'a, b',
      'she said "hi"',
      'two\nlines',
      'plain',
    ]);
    expect(Array.from(column(d, 'n').numbers ?? [])).toEqual([10, 20, 30, 40]);
    // The row after the quoted line break starts on line 6, not 5.
    expect(Array.from(d.rowLines ?? [])).toEqual([2, 3, 4, 6]);
  });

  it('handles CRLF, a UTF-8 BOM and blank trailing lines', async () => {
    const text = '\uFEFFx,y\r\n1,a\r\n2,b\r\n\r\n\r\n';
    const d = await readText('crlf.csv', text);
    expect(d.columns.map((c) => c.name)).toEqual(['x', 'y']);
    expect(d.rowCount).toBe(2);
    const y = column(d, 'y');
    expect(y.categories).toEqual(['a', 'b']);
    expect(d.hash).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('reads UTF-8 text and missing markers', async () => {
    const d = await readText(
      'missing.csv',
      'city,temp\nZürich,1.5\nMünchen,NA\n東京,?\nParis,\nOslo,n/a\nRome,null\nNice,NaN\n',
    );
    const temp = column(d, 'temp');
    expect(temp.kind).toBe('number');
    expect(temp.stats.missing).toBe(6);
    expect(column(d, 'city').categories).toContain('東京');
  });

  it('types boolean, text and empty columns', async () => {
    const rows = Array.from(
      { length: 30 },
      (_, i) => `user${i},${i % 3 === 0 ? 'yes' : 'no'},,${i % 2 === 0 ? 'A' : 'B'}`,
    );
    const d = await readText('kinds.csv', `name,active,blank,group\n${rows.join('\n')}\n`);
    expect(column(d, 'name').kind).toBe('text');
    const active = column(d, 'active');
    expect(active.kind).toBe('boolean');
    expect(Array.from(active.numbers ?? []).slice(0, 4)).toEqual([1, 0, 0, 1]);
    expect(column(d, 'blank').kind).toBe('empty');
    expect(column(d, 'group').kind).toBe('category');
    expect(d.warnings.map((w) => w.code)).toContain('empty-column');
  });

  it('computes column statistics and histograms', async () => {
    const d = await readCsv(join(fixtures, 'iris.csv'));
    const sepal = column(d, 'sepal_length_cm');
    const values = Array.from(sepal.numbers ?? []);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(sepal.stats.mean).toBeCloseTo(mean, 10);
    expect(sepal.stats.min).toBe(Math.min(...values));
    expect(sepal.stats.max).toBe(Math.max(...values));
    expect(sepal.stats.std).toBeCloseTo(Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length), 10);
    expect(sepal.stats.unique).toBe(new Set(values).size);
    expect(sepal.stats.histogram.edges).toHaveLength(21);
    expect(sepal.stats.histogram.counts.reduce((a, b) => a + b, 0)).toBe(150);
    const species = column(d, 'species');
    expect(species.stats.histogram.labels?.slice().sort()).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(species.stats.histogram.counts).toEqual([50, 50, 50]);
  });

  it('keeps a preview of the first rows and renders any rows from the columns', async () => {
    const d = await readCsv(join(fixtures, 'iris.csv'), { previewRows: 5 });
    expect(d.preview).toHaveLength(5);
    expect(d.preview[0]).toEqual(['5.1', '3.5', '1.4', '0.2', 'setosa']);
    const last = (await readFile(join(fixtures, 'iris.csv'), 'utf8')).trim().split('\n').at(-1)?.split(',') ?? [];
    expect(rowsAsText(d, 149, 10)).toEqual([
      last.map((cell) => String(Number.isNaN(Number(cell)) ? cell : Number(cell))),
    ]);
    expect(rowsAsText(d, 0, 2)[1]).toEqual(['4.9', '3', '1.4', '0.2', 'setosa']);
    const auto = await readCsv(join(fixtures, 'auto_mpg.csv'));
    const row = Array.from(findColumn(auto, 'horsepower').numbers ?? []).findIndex((v) => Number.isNaN(v));
    expect(rowsAsText(auto, row, 1)[0]?.[2]).toBe('');
  });

  it('reads bytes from memory through the same path, with progress and the same hash', async () => {
    const bytes = await readFile(join(fixtures, 'wine.csv'));
    const progress: Array<[number, number]> = [];
    const fromBytes = await readCsvBytes(new Uint8Array(bytes), 'wine.csv', {
      onProgress: (read, total) => progress.push([read, total]),
    });
    const fromFile = await readCsv(join(fixtures, 'wine.csv'));
    expect(fromBytes.hash).toBe(fromFile.hash);
    expect(fromBytes.hash).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(fromBytes.rowCount).toBe(178);
    expect(Array.from(findColumn(fromBytes, 'proline').numbers ?? [])).toEqual(
      Array.from(findColumn(fromFile, 'proline').numbers ?? []),
    );
    expect(progress.at(-1)).toEqual([bytes.length, bytes.length]);
    expect(fromFile.path).toBe(join(fixtures, 'wine.csv'));
  });

  it('parses rows that cross chunk boundaries in a large file', async () => {
    const path = join(dir, 'generated.csv');
    const made = await generateNumericCsv(path, 50_000, 6, 7);
    const text = await readFile(path, 'utf8');
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(50_001);
    expect(made.bytes).toBe(Buffer.byteLength(text));
    const progress: number[] = [];
    const d = await readCsv(path, { onProgress: (read) => progress.push(read) });
    expect(d.rowCount).toBe(50_000);
    expect(d.columns.map((c) => c.name)).toEqual(['x1', 'x2', 'x3', 'x4', 'x5', 'y']);
    expect(progress.length).toBeGreaterThan(1);
    let mismatches = 0;
    for (let k = 0; k < 50_000; k++) {
      const cells = lines[k + 1]!.split(',');
      d.columns.forEach((c, j) => {
        if (c.numbers?.[k] !== Number(cells[j])) mismatches++;
      });
    }
    expect(mismatches).toBe(0);
    expect(d.columns.map((c) => c.numbers?.[49_999])).toEqual(lines[50_000]!.split(',').map(Number));
    const again = await generateNumericCsv(join(dir, 'again.csv'), 50_000, 6, 7);
    expect(again.bytes).toBe(made.bytes);
    expect(await readFile(join(dir, 'again.csv'), 'utf8')).toBe(text);
  });

  it('keeps quoted fields intact across chunk boundaries', async () => {
    let seed = 3;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pieces = ['a', 'b,c', 'say ""hi""', 'line\r\nbreak', 'x\ny', 'plain text', 'é€'];
    const expected: string[] = [];
    const lines = ['id,note,n'];
    for (let i = 0; i < 60_000; i++) {
      const raw = Array.from(
        { length: 1 + Math.floor(random() * 4) },
        () => pieces[Math.floor(random() * pieces.length)],
      ).join(' ');
      expected.push(`${raw.replaceAll('""', '"')} #${i}`);
      lines.push(`${i},"${raw} #${i}",${i * 2}`);
    }
    const bytes = new TextEncoder().encode(lines.join('\r\n') + '\r\n');
    expect(bytes.length).toBeGreaterThan(2 * (1 << 20));
    const d = await readCsvBytes(bytes, 'quoted.csv');
    expect(d.rowCount).toBe(60_000);
    const note = column(d, 'note');
    expect(note.kind).toBe('text');
    const got = Array.from(note.codes ?? [], (k) => note.categories?.[k]);
    expect(got).toEqual(expected);
    expect(Array.from(column(d, 'n').numbers ?? []).every((v, i) => v === i * 2)).toBe(true);
    const breaks = (text: string) => text.split(/\r\n|\n/).length - 1;
    let line = 2;
    const lineOk = Array.from(d.rowLines ?? []).every((l, i) => {
      const ok = l === line;
      line += 1 + breaks(expected[i]!);
      return ok;
    });
    expect(lineOk).toBe(true);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await dataError(readCsv(join(fixtures, 'digits.csv'), { signal: controller.signal }));
    expect(error.code).toBe('aborted');
    expect(error.message).toContain('digits.csv');
  });
});

describe('bad files', () => {
  it('a missing file says so and names the path', async () => {
    const error = await dataError(readCsv(join(dir, 'nope.csv')));
    expect(error.code).toBe('file-not-found');
    expect(error.message).toContain('nope.csv not found: check the path');
    expect(error.file).toBe('nope.csv');
  });

  it('an empty file', async () => {
    const error = await dataError(readCsv(join(bad, 'empty.csv')));
    expect(error.code).toBe('empty-file');
    expect(error.message).toMatch(/^empty\.csv is empty/);
    const blank = await dataError(readText('blank.csv', '\n\n  \n'));
    expect(blank.code).toBe('empty-file');
  });

  it('a header-only file', async () => {
    const error = await dataError(readCsv(join(bad, 'header_only.csv')));
    expect(error.code).toBe('no-data-rows');
    expect(error.message).toContain('header_only.csv line 2');
    expect(error.message).toContain('no data rows');
    expect(error.line).toBe(2);
  });

  it('a binary file, by its NUL byte, with line and column', async () => {
    const bytes = new Uint8Array([...Buffer.from('a,b\n1,2\nxy'), 0, 1, 2]);
    const error = await dataError(readText('picture.csv', bytes));
    expect(error.code).toBe('binary-file');
    expect(error.message).toContain('picture.csv line 3, column 3');
    expect(error.message).toContain('not a text file');
    expect([error.line, error.column]).toEqual([3, 3]);
  });

  it('a file that is not UTF-8', async () => {
    const bytes = new Uint8Array([...Buffer.from('name,x\ncaf'), 0xe9, ...Buffer.from(',1\n')]);
    const error = await dataError(readCsvBytes(bytes, 'latin1.csv'));
    expect(error.code).toBe('not-utf8');
    expect(error.message).toContain('latin1.csv line 2, column 4');
    expect(error.message).toContain('UTF-8');
  });

  it('a row with the wrong number of fields', async () => {
    const error = await dataError(readCsv(join(bad, 'iris_extra_field.csv')));
    expect(error.code).toBe('field-count');
    expect(error.message).toContain('iris_extra_field.csv line 7: expected 5 fields, found 6');
    expect(error.message).toContain("Check for an unquoted delimiter, or choose 'skip bad rows'");
    expect(error.message).toContain('column 6');
    expect([error.line, error.column]).toEqual([7, 6]);
    const short = await dataError(readText('short.csv', 'a,b,c\n1,2,3\n4,5\n'));
    expect(short.message).toContain("short.csv line 3: expected 3 fields, found 2 (column 3 ('c') is missing)");
  });

  it('skips bad rows when asked, and counts them', async () => {
    const d = await readCsv(join(bad, 'iris_extra_field.csv'), { skipBadRows: true });
    expect(d.rowCount).toBe(9);
    expect(d.skippedRows).toBe(1);
    const warning = d.warnings.find((w) => w.code === 'skipped-rows');
    expect(warning?.message).toContain('skipped 1 row with the wrong number of fields (line 7)');
    expect(warning?.lines).toEqual([7]);
    expect(Array.from(d.rowLines ?? []).slice(4, 6)).toEqual([6, 8]);
  });

  it('a quote that is never closed', async () => {
    const error = await dataError(readCsv(join(bad, 'unclosed_quote.csv')));
    expect(error.code).toBe('unclosed-quote');
    expect(error.message).toContain("unclosed_quote.csv line 2, column 2 ('name')");
    expect(error.message).toContain('Add the closing quote');
  });

  it('text after a closing quote', async () => {
    const error = await dataError(readText('afterquote.csv', 'a,b\n1,"x"y\n'));
    expect(error.code).toBe('text-after-quote');
    expect(error.message).toContain("afterquote.csv line 2, column 2 ('b')");
  });

  it('text in a mostly-number column is a warning that names the cells', async () => {
    const d = await readCsv(join(bad, 'mostly_numbers.csv'));
    const y = column(d, 'y');
    expect(y.kind).toBe('number');
    expect(y.nonNumeric?.count).toBe(2);
    expect(y.nonNumeric?.examples.map((e) => [e.line, e.text])).toEqual([
      [8, 'abc'],
      [21, '??x'],
    ]);
    expect(Number.isNaN(y.numbers?.[6] ?? 0)).toBe(true);
    expect(y.stats.missing).toBe(2);
    const warning = d.warnings.find((w) => w.code === 'non-numeric-cells');
    expect(warning?.column).toBe('y');
    expect(warning?.lines).toEqual([8, 21]);
    expect(warning?.message).toContain("mostly_numbers.csv column 'y': 2 cells are not a number");
    expect(warning?.message).toContain("line 8 'abc', line 21 '??x'");
    expect(warning?.message).toContain('treat the column as a category');
  });
});

describe('sample datasets', () => {
  const expected: Record<string, { rows: number; columns: number; kinds: Record<string, string> }> = {
    iris: { rows: 150, columns: 5, kinds: { sepal_length_cm: 'number', species: 'category' } },
    wine: { rows: 178, columns: 14, kinds: { proline: 'integer', hue: 'number', cultivar: 'category' } },
    breast_cancer: { rows: 569, columns: 31, kinds: { mean_radius: 'number', diagnosis: 'category' } },
    digits: { rows: 1797, columns: 65, kinds: { pixel_3_4: 'integer', digit: 'integer' } },
    diabetes: { rows: 442, columns: 11, kinds: { bmi: 'number', progression: 'integer' } },
    auto_mpg: { rows: 398, columns: 8, kinds: { horsepower: 'integer', origin: 'category', mpg: 'number' } },
  };
  it.each(Object.keys(expected))('%s reads with the right kinds', async (name) => {
    const d = await readCsv(join(fixtures, `${name}.csv`));
    const want = expected[name]!;
    expect(d.rowCount).toBe(want.rows);
    expect(d.columns).toHaveLength(want.columns);
    expect(d.hasHeader).toBe(true);
    expect(d.skippedRows).toBe(0);
    for (const [col, kind] of Object.entries(want.kinds)) expect([col, column(d, col).kind]).toEqual([col, kind]);
  });

  it('auto_mpg horsepower has 6 missing values and origin 3 categories', async () => {
    const d = await readCsv(join(fixtures, 'auto_mpg.csv'));
    const horsepower = column(d, 'horsepower');
    expect(horsepower.stats.missing).toBe(6);
    expect(Array.from(horsepower.numbers ?? []).filter(Number.isNaN)).toHaveLength(6);
    expect(column(d, 'origin').categories?.slice().sort()).toEqual(['Europe', 'Japan', 'USA']);
  });
});
