/**
 * Entry points for reading CSV: from a path (streamed from disk) or from bytes already in memory (an upload).
 * Both go through the same chunked reader.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { readCsvSource } from './csv-reader.js';
import { DataError } from './errors.js';
import type { Dataset, ReadCsvOptions } from './types.js';

const CHUNK_BYTES = 1 << 20;

export async function readCsv(path: string, options: ReadCsvOptions = {}): Promise<Dataset> {
  const absolute = resolve(path);
  const file = basename(absolute);
  let size: number;
  try {
    const info = await stat(absolute);
    if (info.isDirectory()) {
      throw new DataError('not-a-file', `${file} is a folder, not a CSV file: choose a file inside it.`, { file });
    }
    size = info.size;
  } catch (error) {
    if (error instanceof DataError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new DataError('file-not-found', `${file} not found: check the path (${absolute}).`, { file });
    }
    throw new DataError(
      'unreadable-file',
      `${file} cannot be read (${code ?? String(error)}): check that the file exists and you may open it.`,
      { file },
    );
  }
  const stream = createReadStream(absolute, { highWaterMark: CHUNK_BYTES });
  try {
    return await readCsvSource({ chunks: stream, totalBytes: size, name: file, path: absolute }, options);
  } finally {
    stream.destroy();
  }
}

/** Read a CSV held in memory, e.g. a file dropped on the window; `name` is used in messages. */
export async function readCsvBytes(bytes: Uint8Array, name: string, options: ReadCsvOptions = {}): Promise<Dataset> {
  return readCsvSource({ chunks: chunksOf(bytes), totalBytes: bytes.length, name }, options);
}

async function* chunksOf(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
    yield bytes.subarray(offset, Math.min(bytes.length, offset + CHUNK_BYTES));
  }
}
