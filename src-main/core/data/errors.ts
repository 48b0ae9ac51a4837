/**
 * The one error type of the data side. Every message names the file and, when it can, the line and the
 * column, and ends with what the person can do about it.
 */
export interface DataErrorPlace {
  file: string;
  line?: number;
  column?: number | string;
}

export class DataError extends Error {
  readonly code: string;
  readonly file: string;
  readonly line?: number;
  readonly column?: number | string;

  constructor(code: string, message: string, place: DataErrorPlace) {
    super(message);
    this.name = 'DataError';
    this.code = code;
    this.file = place.file;
    if (place.line !== undefined) this.line = place.line;
    if (place.column !== undefined) this.column = place.column;
  }
}

/** Quote a cell for a message, shortened so a stray megabyte of text cannot flood the screen. */
export function quoteCell(text: string): string {
  const short = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return `'${short}'`;
}
