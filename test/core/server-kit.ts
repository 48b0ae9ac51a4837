/** What the server tests share: a browser-mode server on 127.0.0.1 with a tiny page, raw requests, sockets. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import type { WireMessage } from '../../src-main/contract/channels.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src-main/server/server.js';

export interface TestServer {
  server: RunningServer;
  close(): Promise<void>;
}

export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const rendererDir = mkdtempSync(path.join(os.tmpdir(), 'layerlab-renderer-'));
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>LayerLab test page</title>');
  const server = await startServer({ rendererDir, ...options });
  return {
    server,
    async close() {
      await server.close();
      rmSync(rendererDir, { recursive: true, force: true });
    },
  };
}

/**
 * Sends bytes as they are on a fresh TCP connection and resolves with whatever came back before the server
 * closed it (or `waitMs` passed): no client library tidies a hostile request up.
 */
export function rawRequest(port: number, bytes: string | Buffer, waitMs = 1500): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1');
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(done, waitMs);
    socket.on('connect', () => socket.end(bytes));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', done);
    socket.on('error', done);
  });
}

/** The status code of a raw HTTP answer, or 0 when there was none. */
export function statusOf(answer: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
}

/** An upgrade request for the API with the headers a browser would send, each of which a test may replace. */
export function upgradeRequest(port: number, target: string, headers: Record<string, string> = {}): string {
  const all: Record<string, string> = {
    Host: `127.0.0.1:${port}`,
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    ...headers,
  };
  const lines = Object.entries(all).map(([name, value]) => `${name}: ${value}`);
  return `GET ${target} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

export function openSocket(server: RunningServer): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, {
      headers: { origin: `http://127.0.0.1:${server.port}` },
    });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Calls a method by sending exactly `text` (or a call built from method and args) and waits for its reply. */
export function caller(socket: WebSocket) {
  let nextId = 1;
  return (method: string, args: unknown, text?: (id: number) => string): Promise<WireMessage> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const onMessage = (data: Buffer) => {
        const message = JSON.parse(data.toString()) as WireMessage;
        if ((message.kind === 'result' || message.kind === 'failure') && message.id === id) {
          socket.off('message', onMessage);
          socket.off('close', onClose);
          resolve(message);
        }
      };
      const onClose = (code: number, reason: Buffer) =>
        reject(new Error(`socket closed (${code} ${reason.toString()}) before call ${id} was answered`));
      socket.on('message', onMessage);
      socket.on('close', onClose);
      socket.send(text ? text(id) : JSON.stringify({ kind: 'call', id, method, args }));
    });
}

/** The message of a failure reply, or a note that the call succeeded when a test expected it not to. */
export function failureOf(reply: WireMessage): string {
  return reply.kind === 'failure' ? reply.message : `(no failure: ${reply.kind})`;
}
