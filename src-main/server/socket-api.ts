/** One WebSocket connection speaking the WireRequest / WireMessage protocol of contract/channels.ts. */
import type { WebSocket } from 'ws';
import { API_METHODS, type ApiMethod } from '../contract/api.js';
import type { WireMessage } from '../contract/channels.js';
import type { Engine } from '../engine/types.js';
import { fromWire, toWire } from './wire.js';

const METHODS = new Set<string>(API_METHODS);

/** How long training events wait to travel together: about one display frame. */
const EVENT_BATCH_MS = 16;

function send(socket: WebSocket, message: WireMessage): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function serveSocket(socket: WebSocket, engine: Engine): void {
  // A run whose epochs take a millisecond sends hundreds of events a second; one message per frame keeps the
  // page's main thread free. Anything else sent first flushes them, so order is never changed.
  let pendingEvents: unknown[] = [];
  let flushTimer: NodeJS.Timeout | null = null;
  const flushEvents = (): void => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    if (pendingEvents.length === 0) return;
    const payload = pendingEvents;
    pendingEvents = [];
    send(socket, { kind: 'training-events', payload });
  };
  const sendInOrder = (message: WireMessage): void => {
    flushEvents();
    send(socket, message);
  };
  const unsubscribers = [
    engine.onTrainingEvent((event) => {
      pendingEvents.push(toWire(event));
      flushTimer ??= setTimeout(flushEvents, EVENT_BATCH_MS);
    }),
    engine.onDataProgress((payload) => sendInOrder({ kind: 'data-progress', payload: toWire(payload) })),
  ];
  socket.on('close', () => {
    if (flushTimer) clearTimeout(flushTimer);
    for (const unsubscribe of unsubscribers) unsubscribe();
  });
  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      socket.close(1003, 'LayerLab speaks JSON text messages only');
      return;
    }
    let request: unknown;
    try {
      request = JSON.parse(data.toString());
    } catch {
      socket.close(1007, 'message is not JSON');
      return;
    }
    const call = request as { kind?: unknown; id?: unknown; method?: unknown; args?: unknown };
    if (call.kind !== 'call' || typeof call.id !== 'number' || !Number.isSafeInteger(call.id)) {
      socket.close(1008, 'expected { kind: "call", id, method, args }');
      return;
    }
    const id = call.id;
    if (typeof call.method !== 'string' || !METHODS.has(call.method)) {
      sendInOrder({ kind: 'failure', id, message: `${String(call.method)} is not a LayerLab API method` });
      return;
    }
    const args = Array.isArray(call.args) ? (fromWire(call.args) as unknown[]) : call.args;
    engine
      .invoke(call.method as ApiMethod, args as unknown[])
      .then(
        (value) => sendInOrder({ kind: 'result', id, value: toWire(value ?? null) }),
        (error: unknown) => sendInOrder({ kind: 'failure', id, message: errorText(error) }),
      );
  });
}
