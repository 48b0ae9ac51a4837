/** One WebSocket connection speaking the WireRequest / WireMessage protocol of contract/channels.ts. */
import type { WebSocket } from 'ws';
import type { ApiEventName } from '../contract/api.js';
import type { WireMessage } from '../contract/channels.js';
import { WIRE_CODEC } from '../contract/codec.js';
import { serveApi } from '../contract/proxy.js';
import type { Engine } from '../engine/types.js';
import { formatBytes } from '../core/format/numbers.js';

/**
 * A run whose epochs take a millisecond sends hundreds of training events a second; one message per frame
 * keeps the page's main thread free. Other events are rare and go out at once.
 */
const BATCHED_EVENTS: ReadonlySet<ApiEventName> = new Set<ApiEventName>(['trainingEvent']);

/** How long batched events wait to travel together: about one display frame. */
const EVENT_BATCH_MS = 16;

/** Uploads (CSV, project, ONNX model) larger than this are refused with the limit named: use the CLI for those. */
export const DEFAULT_MAX_UPLOAD_BYTES = 256 * 1024 * 1024;

/** Room in one message for everything around an upload's bytes: the method, the file name, the options. */
const MESSAGE_HEADROOM_BYTES = 64 * 1024;

/** Uploads travel as base64 (4 characters for every 3 bytes) inside one JSON message. */
export function messageLimitFor(maxUploadBytes: number): number {
  return Math.ceil(maxUploadBytes / 3) * 4 + MESSAGE_HEADROOM_BYTES;
}

/** A failure's message may quote what the client sent (a key, a value): it is cut to stay a message. */
const MAX_FAILURE_CHARS = 2000;

function cutMessage(message: string): string {
  return message.length > MAX_FAILURE_CHARS
    ? `${message.slice(0, MAX_FAILURE_CHARS)}… (${message.length - MAX_FAILURE_CHARS} more characters)`
    : message;
}

/** The call id of a message too large to parse: the client writes it first, so the head of the text holds it. */
function idInHead(data: Buffer): number | null {
  const match = /^\s*\{\s*"kind"\s*:\s*"call"\s*,\s*"id"\s*:\s*(\d{1,15})\s*[,}]/.exec(
    data.subarray(0, 200).toString(),
  );
  return match ? Number(match[1]) : null;
}

export interface SocketOptions {
  maxUploadBytes: number;
}

function send(socket: WebSocket, message: WireMessage): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

export function serveSocket(
  socket: WebSocket,
  engine: Engine,
  options: SocketOptions = { maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES },
): void {
  const messageLimit = messageLimitFor(options.maxUploadBytes);
  const tooLarge = (messageSize: number): string =>
    `This upload is about ${formatBytes((messageSize * 3) / 4)}: browser mode takes files up to ` +
    `${formatBytes(options.maxUploadBytes)}. ` +
    'For a larger file, use the layerlab command (layerlab train --data FILE) or the desktop app, which read it from disk.';
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

  // ws closes the connection itself after a protocol error (a frame over maxPayload, bad UTF-8); without a
  // listener that error would stop the whole server.
  socket.on('error', () => undefined);
  socket.on('close', () => {
    if (flushTimer) clearTimeout(flushTimer);
    service.dispose();
  });
  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      socket.close(1003, 'LayerLab speaks JSON text messages only');
      return;
    }
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (bytes.length > messageLimit) {
      // Refused before it is decoded: a message this size is never parsed.
      const id = idInHead(bytes);
      if (id === null) socket.close(1009, `message larger than ${formatBytes(messageLimit)}`);
      else sendInOrder({ kind: 'failure', id, message: tooLarge(bytes.length) });
      return;
    }
    let request: unknown;
    try {
      request = JSON.parse(bytes.toString());
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
          reply.ok
            ? { kind: 'result', id, value: reply.value }
            : { kind: 'failure', id, message: cutMessage(reply.message) },
        ),
      );
  });
}
