/**
 * The reader's fast paths (plain decimals read while the tokenizer scans, and rows of plain decimals written
 * straight into the columns) must give exactly what the full parse gives: the same doubles bit for bit, the
 * same statistics, warnings, row lines and messages, however the file is cut into chunks.
 */
import { describe, expect, it } from 'vitest';
import { readCsvSource } from '../../src-main/core/data/csv-reader.js';
import { DataError, readCsvBytes, seededRandom, type Dataset } from '../../src-main/core/data/index.js';
import { readPlainDecimal } from '../../src-main/core/data/number-text.js';

const COMMA = 44;
const DOT = 46;

/** Seeded numeric texts of every shape a file may hold, plain or not. */
function trickyNumber(random: () => number): string {
  const digits = (count: number) => Array.from({ length: count }, () => Math.floor(random() * 10)).join('');
  const sign = ['', '', '-', '+'][Math.floor(random() * 4)]!;
  const whole = digits(Math.floor(random() * 18));
  const fraction = digits(Math.floor(random() * 18));
  switch (Math.floor(random() * 12)) {
    case 0:
      return `${sign}${whole || '0'}e${['', '-', '+'][Math.floor(random() * 3)]}${digits(1 + Math.floor(random() * 3))}`;
    case 1:
      return `${sign}.${fraction || '5'}`;
    case 2:
      return `${sign}${whole || '5'}.`;
    case 3:
      return `${sign}000${whole}.${fraction}`;
    case 4:
      return `${sign}${digits(16 + Math.floor(random() * 8))}`;
    case 5:
      return `${sign}0.${'0'.repeat(Math.floor(random() * 25))}${digits(1 + Math.floor(random() * 6))}`;
    case 6:
      return `${sign}9007199254740${digits(3)}.${digits(2)}`;
    default:
      return `${sign}${whole || '0'}.${fraction.slice(0, 1 + Math.floor(random() * 8))}`;
  }
}

const PLAIN = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;

function bitsOf(values: Float64Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

describe('plain decimals read from bytes', () => {
  it('equal Number(text) bit for bit, and cover the plain decimals up to 15 digits', () => {
    const random = seededRandom(20261202);
    const encoder = new TextEncoder();
    const values = new Float64Array(1);
    let fast = 0;
    for (let k = 0; k < 60_000; k++) {
      const text = trickyNumber(random);
      const bytes = encoder.encode(`${text},`);
      const stop = readPlainDecimal(bytes, 0, bytes.length, DOT, COMMA, values, 0);
      const value = values[0]!;
      if (Number.isNaN(value)) {
        const digitCount = text.replace(/\D/g, '').length;
        // Only what is not a plain decimal, or too long for one exact division, is left to the full parse.
        if (PLAIN.test(text) && digitCount <= 15) throw new Error(`${text} was not read`);
        continue;
      }
      fast++;
      if (!PLAIN.test(text) || stop !== text.length) throw new Error(`${text} read as a plain decimal`);
      if (!Object.is(value, Number(text))) throw new Error(`${text}: ${value} !== ${Number(text)}`);
    }
    expect(fast).toBeGreaterThan(30_000);
  });

  it('stop at the first byte that is not part of a plain decimal', () => {
    const values = new Float64Array(1);
    const cases: Array<[string, number]> = [
      ['0x1A,', 1],
      [' 12,', 0],
      ['12 ,', 2],
      ['inf,', 0],
      ['NaN,', 0],
      ['1e5,', 1],
      ['1.5.2,', 3],
      ['-,', 1],
      ['.,', 1],
    ];
    for (const [text, stop] of cases) {
      const bytes = new TextEncoder().encode(text);
      expect(readPlainDecimal(bytes, 0, bytes.length, DOT, COMMA, values, 0), text).toBe(stop);
      expect(values[0], text).toBeNaN();
    }
  });
});

/** A numeric file, with the odd cell the full parse reads (or warns about), and its all-quoted twin. */
function trickyFile(seed: number, rows: number, columns: number, lineEnd: string) {
  const random = seededRandom(seed);
  const odd = ['', ' 12 ', 'inf', '-inf', 'NaN', 'NA', '1e3', '-2.5E-3', '0x1A', '12345678901234567890', '+.5', '5.'];
  const header = Array.from({ length: columns }, (_, j) => `c${j}`);
  const body = Array.from({ length: rows }, () =>
    Array.from({ length: columns }, () =>
      random() < 0.01 ? odd[Math.floor(random() * odd.length)]! : trickyNumber(random),
    ),
  );
  const join = (cells: string[][]) => cells.map((row) => row.join(',')).join(lineEnd) + lineEnd;
  return {
    plain: join([header, ...body]),
    quoted: join([header, ...body.map((row) => row.map((cell) => `"${cell}"`))]),
  };
}

/** Everything a dataset says, with its doubles as bits so -0 and every last bit count. */
function portrait(dataset: Dataset) {
  return {
    rowCount: dataset.rowCount,
    rowLines: [...(dataset.rowLines ?? [])],
    warnings: dataset.warnings,
    columns: dataset.columns.map(({ numbers, codes, ...rest }) => ({
      ...rest,
      bits: numbers ? [...bitsOf(numbers)] : null,
      codes: codes ? [...codes] : null,
    })),
  };
}

async function* randomChunks(bytes: Uint8Array, seed: number, largest: number): AsyncGenerator<Uint8Array> {
  const random = seededRandom(seed);
  for (let at = 0; at < bytes.length;) {
    const size = 1 + Math.floor(random() * largest);
    yield bytes.subarray(at, Math.min(bytes.length, at + size));
    at += size;
  }
}

describe('the fast paths read what the full parse reads', () => {
  for (const [lineEnd, seed] of [
    ['\n', 1],
    ['\r\n', 2],
  ] as const) {
    it(`numeric columns with odd cells, line end ${JSON.stringify(lineEnd)}`, async () => {
      const { plain, quoted } = trickyFile(seed, 4000, 6, lineEnd);
      const fast = await readCsvBytes(new TextEncoder().encode(plain), 'tricky.csv');
      // Quoted cells never take a fast path: they are trimmed and parsed as text, as before.
      const full = await readCsvBytes(new TextEncoder().encode(quoted), 'tricky.csv');
      expect(fast.columns.map((c) => c.kind)).toEqual(['number', 'number', 'number', 'number', 'number', 'number']);
      expect(fast.warnings.map((w) => w.code)).toContain('non-finite-words');
      expect(fast.warnings.map((w) => w.code)).toContain('non-numeric-cells');
      expect(portrait(fast)).toEqual(portrait(full));
    });
  }

  it('the same file cut into tiny random chunks gives the same columns', async () => {
    const { plain } = trickyFile(3, 3000, 5, '\r\n');
    const bytes = new TextEncoder().encode(plain);
    const whole = await readCsvBytes(bytes, 'chunks.csv');
    for (const [seed, largest] of [
      [11, 3],
      [12, 17],
      [13, 200],
    ] as const) {
      const pieces = await readCsvSource({
        chunks: randomChunks(bytes, seed, largest),
        totalBytes: bytes.length,
        name: 'chunks.csv',
      });
      expect(portrait(pieces)).toEqual(portrait(whole));
      expect(pieces.hash).toBe(whole.hash);
    }
  });

  it('keeps line numbers past blank lines and lone CRs, and names the line of a bad row', async () => {
    const rows = Array.from({ length: 400 }, (_, i) => `${i},${i / 4},-${i}.25`);
    const text = `a,b,c\n${rows.slice(0, 200).join('\n')}\n\n${rows.slice(200, 300).join('\r')}\r${rows.slice(300).join('\n')}\n`;
    const dataset = await readCsvBytes(new TextEncoder().encode(text), 'lines.csv');
    expect(dataset.rowCount).toBe(400);
    // Line 202 is blank; rows 200..299 are ended by lone CRs, each a line of its own.
    expect(dataset.rowLines![199]).toBe(201);
    expect(dataset.rowLines![200]).toBe(203);
    expect(dataset.rowLines![399]).toBe(402);
    expect(dataset.columns[1]!.numbers![399]).toBe(399 / 4);
    expect(Object.is(dataset.columns[2]!.numbers![0], -0.25)).toBe(true);

    const bad = `a,b,c\n${rows.slice(0, 300).join('\n')}\n1,2,3,4\n${rows.slice(300).join('\n')}\n`;
    const error = await readCsvBytes(new TextEncoder().encode(bad), 'bad.csv').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).message).toBe(
      "bad.csv line 302: expected 3 fields, found 4 (column 4 is one too many). Check for an unquoted delimiter, or choose 'skip bad rows'.",
    );
    const skipped = await readCsvBytes(new TextEncoder().encode(bad), 'bad.csv', { skipBadRows: true });
    expect(skipped.rowCount).toBe(400);
    expect(skipped.skippedRows).toBe(1);
    expect(skipped.rowLines![300]).toBe(303);
  });
});
