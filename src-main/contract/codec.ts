/**
 * The one codec of values that cross as JSON (browser mode's WebSocket), used by the server and the page alike
 * so both sides follow the same rules: byte arrays travel as `{ $bytes: base64 }`, other typed arrays as
 * number lists (the contract's types never expect them on the other side), and `undefined` is dropped from
 * objects (inside a list it becomes null, as JSON would make it). Plain JavaScript only: it runs in Node and
 * in the page.
 */

/** Deeper than anything the contract sends; a hostile message nested thousands deep is refused, not recursed. */
export const MAX_WIRE_DEPTH = 64;

/** String.fromCharCode takes its arguments on the stack, so large arrays are turned to text in slices. */
const BINARY_SLICE = 0x8000;

function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += BINARY_SLICE) {
    parts.push(String.fromCharCode(...bytes.subarray(i, i + BINARY_SLICE)));
  }
  return btoa(parts.join(''));
}

function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function tooDeep(): Error {
  return new Error(`a value is nested more than ${MAX_WIRE_DEPTH} levels deep (LayerLab never sends one)`);
}

/**
 * Keys that reach an object's prototype. Copying `{"__proto__": {...}}` member by member would set the copy's
 * prototype, so its members pass a `.strict()` schema unseen and take effect; `constructor` and `prototype`
 * holding objects are the other half of that shape. A column may still be called "constructor".
 */
function refusedKey(key: string, inner: unknown): boolean {
  if (key === '__proto__') return true;
  return (key === 'constructor' || key === 'prototype') && inner !== null && typeof inner === 'object';
}

function keyRefused(key: string): Error {
  return new Error(`a member named "${key}" is refused (it would reach the prototype of the object it is in)`);
}

function isBytesMarker(record: Record<string, unknown>): record is { $bytes: string } {
  if (typeof record.$bytes !== 'string') return false;
  for (const key in record) if (key !== '$bytes') return false;
  return true;
}

/** What a leaf rule returns for a value it leaves to the walk: a list or a plain object to go into. */
const DESCEND = Symbol('descend');

/** Walks lists and objects, dropping undefined members, with `leaf` replacing the values it knows. */
function walk(value: unknown, depth: number, leaf: (value: object) => unknown, guardKeys = false): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_WIRE_DEPTH) throw tooDeep();
  const replaced = leaf(value);
  if (replaced !== DESCEND) return replaced;
  if (Array.isArray(value))
    return value.map((inner: unknown) => (inner === undefined ? null : walk(inner, depth + 1, leaf, guardKeys)));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (guardKeys && refusedKey(key, inner)) throw keyRefused(key);
    if (inner !== undefined) out[key] = walk(inner, depth + 1, leaf, guardKeys);
  }
  return out;
}

function encodeLeaf(value: object): unknown {
  if (value instanceof Uint8Array) return { $bytes: bytesToBase64(value) };
  if (value instanceof DataView)
    return { $bytes: bytesToBase64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) };
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number | bigint>, Number);
  return DESCEND;
}

function decodeLeaf(value: object): unknown {
  const record = value as Record<string, unknown>;
  if (!Array.isArray(value) && isBytesMarker(record)) return base64ToBytes(record.$bytes);
  return DESCEND;
}

/** A value made ready for JSON.stringify. Throws on nesting deeper than MAX_WIRE_DEPTH. */
export function encodeWire(value: unknown): unknown {
  return walk(value, 0, encodeLeaf);
}

/**
 * The value JSON.parse gave back, with byte arrays restored. Throws on nesting deeper than MAX_WIRE_DEPTH and
 * on a member that would reach a prototype.
 */
export function decodeWire(value: unknown): unknown {
  return walk(value, 0, decodeLeaf, true);
}

/** The codec as the serving side takes it (proxy.ts's `ValueCodec`). */
export const WIRE_CODEC = { encode: encodeWire, decode: decodeWire } as const;
