/**
 * The file's bytes as UTF-8, checked over the whole file rather than its first chunk: a NUL byte or a byte
 * that is not UTF-8 is an EncodingError at its offset, so the reader can name the line. UTF-16 with a
 * byte-order mark is decoded; Windows-1252 (Latin-1) is decoded when the person says the file is in it,
 * never guessed, so a stray byte cannot quietly change the text.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import type { TextEncodingName } from './types.js';

export interface EncodingProblem {
  /** nul: a NUL byte; utf8: not UTF-8; cp1252: a byte Windows-1252 leaves undefined; utf16: a broken UTF-16 character. */
  kind: 'nul' | 'utf8' | 'cp1252' | 'utf16';
  /** The bytes the offset points into: the text about to be read, after the part already read. */
  bytes: Uint8Array;
  offset: number;
  byte: number;
}

export class EncodingError extends Error {
  constructor(readonly problem: EncodingProblem) {
    super(problem.kind);
  }
}

/** Windows-1252's characters for 0x80..0x9F (0 where it defines none); 0xA0..0xFF are the same code points. */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0, 0,
  0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

/** The code point a byte stands for in Windows-1252; 0 for the five bytes it leaves undefined. */
export function cp1252CodePoint(byte: number): number {
  return byte >= 0xa0 ? byte : byte >= 0x80 ? CP1252_HIGH[byte - 0x80]! : byte;
}

/** The first NUL byte or invalid UTF-8 sequence; a sequence cut off by the end counts only when `final`. */
export function findBinaryBytes(
  bytes: Uint8Array,
  final = false,
): { kind: 'nul' | 'utf8'; offset: number; byte: number } | null {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const c = bytes[i]!;
    if (c < 0x80) {
      if (c === 0) return { kind: 'nul', offset: i, byte: c };
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return { kind: 'utf8', offset: i, byte: c };
    let code = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return final ? { kind: 'utf8', offset: i, byte: c } : null;
      const b = bytes[i + k]!;
      if ((b & 0xc0) !== 0x80) return { kind: 'utf8', offset: i, byte: c };
      code = (code << 6) | (b & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
      return { kind: 'utf8', offset: i, byte: c };
    i += need + 1;
  }
  return null;
}

/** Where a UTF-8 sequence cut off by the end of `bytes` starts (bytes.length when none is). */
function completeLength(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let k = 1; k <= 3 && k <= n; k++) {
    const b = bytes[n - k]!;
    if (b < 0x80) return n;
    if ((b & 0xc0) === 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return need > k ? n - k : n;
    }
  }
  return n;
}

export class FileDecoder {
  encoding: TextEncodingName | null = null;
  private readonly chosen: 'utf-8' | 'windows-1252';
  private carry: Buffer = Buffer.alloc(0);
  private utf16: TextDecoder | null = null;

  /** `chosen`: what the person says the file is in when it has no byte-order mark. */
  constructor(chosen: 'utf-8' | 'windows-1252' = 'utf-8') {
    this.chosen = chosen;
  }

  /** The next chunk as UTF-8 bytes (a byte-order mark removed); throws EncodingError. */
  decode(chunk: Buffer, final: boolean): Buffer {
    let data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = Buffer.alloc(0);
    if (this.encoding === null) {
      if (data.length < 3 && !final) {
        this.carry = Buffer.from(data);
        return Buffer.alloc(0);
      }
      data = this.chooseEncoding(data);
    }
    if (this.utf16) return this.decodeUtf16(data, final);
    const cut = final ? data.length : completeLength(data);
    if (cut < data.length) this.carry = Buffer.from(data.subarray(cut));
    const body = data.subarray(0, cut);
    return this.encoding === 'windows-1252' ? this.fromCp1252(body) : this.checkUtf8(body, final);
  }

  private chooseEncoding(data: Buffer): Buffer {
    if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
      this.encoding = 'utf-8';
      return data.subarray(3);
    }
    if ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff)) {
      this.encoding = data[0] === 0xff ? 'utf-16le' : 'utf-16be';
      this.utf16 = new TextDecoder(this.encoding);
      return data.subarray(2);
    }
    this.encoding = this.chosen;
    return data;
  }

  private checkUtf8(body: Buffer, final: boolean): Buffer {
    if (body.indexOf(0) < 0 && isUtf8(body)) return body;
    const problem = findBinaryBytes(body, final);
    if (!problem) return body;
    throw new EncodingError({ ...problem, bytes: body });
  }

  private fromCp1252(body: Buffer): Buffer {
    const nul = body.indexOf(0);
    if (nul >= 0) throw new EncodingError({ kind: 'nul', bytes: body, offset: nul, byte: 0 });
    if (isAscii(body)) return body;
    let size = 0;
    for (let i = 0; i < body.length; i++) {
      const code = cp1252CodePoint(body[i]!);
      if (code === 0) throw new EncodingError({ kind: 'cp1252', bytes: body, offset: i, byte: body[i]! });
      size += code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
    }
    const out = Buffer.allocUnsafe(size);
    let o = 0;
    for (let i = 0; i < body.length; i++) {
      const code = cp1252CodePoint(body[i]!);
      if (code < 0x80) out[o++] = code;
      else if (code < 0x800) {
        out[o++] = 0xc0 | (code >> 6);
        out[o++] = 0x80 | (code & 0x3f);
      } else {
        out[o++] = 0xe0 | (code >> 12);
        out[o++] = 0x80 | ((code >> 6) & 0x3f);
        out[o++] = 0x80 | (code & 0x3f);
      }
    }
    return out;
  }

  private decodeUtf16(data: Buffer, final: boolean): Buffer {
    const text = (this.utf16 as TextDecoder).decode(data, { stream: !final });
    const out = Buffer.from(text, 'utf8');
    const nul = text.indexOf('\0');
    const broken = text.indexOf('\ufffd');
    const at = nul >= 0 && (broken < 0 || nul < broken) ? nul : broken;
    if (at >= 0) {
      const offset = Buffer.byteLength(text.slice(0, at));
      throw new EncodingError({ kind: at === nul ? 'nul' : 'utf16', bytes: out, offset, byte: out[offset]! });
    }
    return out;
  }
}
