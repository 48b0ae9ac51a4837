/** One WebSocket connection speaking the WireRequest / WireMessage protocol of contract/channels.ts. */
import type { WebSocket } from 'ws';
import type { ApiEventName } from '../contract/api.js';
import type { WireMessage } from '../contract/channels.js';
import { WIRE_CODEC } from '../contract/codec.js';
import { serveApi } from '../contract/proxy.js';
import type { Engine } from '../engine/types.js';

/**
 * A run whose epochs take a millisecond sends hundreds of training events a second; one message per frame
 * keeps the page's main thread free. Other events are rare and go out at once.
 */
const BATCHED_EVENTS: ReadonlySet<ApiEventName> = new Set<ApiEventName>(['trainingEvent']);

/** How long batched events wait to travel together: about one display frame. */
const EVENT_BATCH_MS = 16;

function send(socket: WebSocket, message: WireMessage): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

export function serveSocket(socket: WebSocket, engine: Engine): void {
  // Anything sent while a batch waits flushes it first, so the page sees every message in the order it happened.
  let batch: { event: ApiEventName; payloads: unknown[] } | null = null;
  let flushTimer: NodeJS.Timeout | null = null;
  const flushBatch = (): void => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    if (!batch) return;
    const { event, payloads } = batch;
    batch = null;
    send(socket, { kind: 'event', event, payloads });
  };
  const sendInOrder = (message: WireMessage): void => {
    flushBatch();
    send(socket, message);
  };

  const service = serveApi(engine, {
    codec: WIRE_CODEC,
    emit: (event, payload) => {
      if (!BATCHED_EVENTS.has(event)) {
        sendInOrder({ kind: 'event', event, payloads: [payload] });
        return;
      }
      if (batch && batch.event !== event) flushBatch();
      batch ??= { event, payloads: [] };
      batch.payloads.push(payload);
      flushTimer ??= setTimeout(flushBatch, EVENT_BATCH_MS);
    },
  });

  socket.on('close', () => {
    if (flushTimer) clearTimeout(flushTimer);
    service.dispose();
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
    void service
      .call(call.method, call.args)
      .then((reply) =>
        sendInOrder(
          reply.ok ? { kind: 'result', id, value: reply.value } : { kind: 'failure', id, message: reply.message },
        ),
      );
  });
}
