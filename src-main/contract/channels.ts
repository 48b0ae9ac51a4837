/** What crosses each transport. Kept in one place so host, preload, server and page cannot drift. */
import type { ApiEventName } from './api.js';

/** Electron: every call travels on this one channel as (method, args); the host checks the name. */
export const IPC_CALL = 'layerlab:call';
const IPC_EVENT_PREFIX = 'layerlab:event:';

/** Electron: each event has its own channel, so the preload listens only to what the page subscribed to. */
export function ipcEventChannel(event: ApiEventName): string {
  return IPC_EVENT_PREFIX + event;
}

/**
 * The answer to one call. Electron's invoke carries it as is (a thrown error would reach the page wrapped in
 * Electron's own "Error invoking remote method" prefix); the client turns a failure back into an Error.
 */
export type ApiReply = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * Browser mode speaks JSON over one WebSocket at `/api?token=…`; values go through the codec in codec.ts.
 * An event message carries one or more payloads of one event in the order they happened: training events
 * are gathered for up to one frame, so a fast run cannot flood the page.
 */
export type WireRequest = { kind: 'call'; id: number; method: string; args: unknown[] };
export type WireMessage =
  | { kind: 'result'; id: number; value: unknown }
  | { kind: 'failure'; id: number; message: string }
  | { kind: 'event'; event: ApiEventName; payloads: unknown[] };
