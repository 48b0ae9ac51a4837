/**
 * A seeded fuzz pass over the browser-mode server: mutated HTTP requests and upgrades (with and without the
 * token), mutated API messages on a tokened socket, and raw bytes after a real handshake. After each batch the
 * server must still serve the tokened page and answer appInfo on a fresh socket. The seed fixes every request,
 * so a failure here replays exactly: the failing batch and seed are in the assertion message.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { API_METHODS } from '../../src-main/contract/api.js';
import { seededRandom } from '../../src-main/core/data/random.js';
import { caller, openSocket, rawRequest, startTestServer, statusOf, type TestServer } from './server-kit.js';

const SEED = 20261202;
const BATCHES = 6;
const HTTP_PER_BATCH = 40;
const FRAMES_PER_BATCH = 40;
const RAW_SESSIONS_PER_BATCH = 4;
/** Requests in flight at once: enough to overlap, few enough for a shared two-core machine. */
const CONCURRENCY = 8;

let served: TestServer;
let port: number;
let token: string;

beforeAll(async () => {
  served = await startTestServer({ maxUploadBytes: 64 * 1024 });
  port = served.server.port;
  token = served.server.token;
});

afterAll(async () => {
  await served?.close();
});

type Random = () => number;

function pick<T>(random: Random, choices: readonly T[]): T {
  return choices[Math.floor(random() * choices.length)]!;
}

function randomText(random: Random, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCharCode(Math.floor(random() * 256));
  return text;
}

/** Flips, inserts and deletes a few bytes: the kind of damage a parser meets first. */
function mutateBytes(random: Random, text: string): string {
  let out = text;
  const edits = 1 + Math.floor(random() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * (out.length + 1));
    const kind = random();
    if (kind < 0.4) out = out.slice(0, at) + randomText(random, 1) + out.slice(at + 1);
    else if (kind < 0.7) out = out.slice(0, at) + randomText(random, 1 + Math.floor(random() * 8)) + out.slice(at);
    else out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 8));
  }
  return out;
}

function httpRequest(random: Random): string {
  const withToken = random() < 0.5;
  const method = pick(random, ['GET', 'GET', 'HEAD', 'POST', 'PUT', 'OPTIONS', 'G\0T', 'BREW', '']);
  const query = withToken
    ? pick(random, [`?token=${token}`, `?token=${token}&token=x`, ''])
    : pick(random, ['', '?token=', '?token=%', `?token=${'x'.repeat(32)}`]);
  const target =
    pick(random, [
      '/',
      '/api',
      '//[',
      '/%',
      '/%E0%A4%A',
      '/../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/index.html',
      '/download/abc',
      '/download/../../x',
      `/${'a'.repeat(9000)}`,
      '/\u00ff\u00fe',
      'http://[::1',
      '*',
      '/?',
      '//',
    ]) + query;
  const headers: string[] = [];
  const host = pick(random, [
    `127.0.0.1:${port}`,
    `127.0.0.1:${port}`,
    'localhost',
    'evil.example',
    '',
    '[',
    '[::1]:99999',
  ]);
  if (random() < 0.9) headers.push(`Host: ${host}`);
  if (random() < 0.5) {
    const cookie = pick(random, [
      `layerlab_token_${port}=${withToken ? token : 'wrong'}`,
      `layerlab_token_${port}=%E0%A4%A`,
      `layerlab_token_${port}=%`,
      '=',
      ';;;',
      `a=${'%'.repeat(500)}`,
    ]);
    headers.push(`Cookie: ${cookie}`);
  }
  if (random() < 0.4)
    headers.push(
      `Origin: ${pick(random, [`http://127.0.0.1:${port}`, 'null', '::::', 'http://[', 'http://evil.example'])}`,
    );
  if (random() < 0.45) {
    headers.push('Connection: Upgrade', `Upgrade: ${pick(random, ['websocket', 'websocket', 'h2c', ''])}`);
    if (random() < 0.8) headers.push(`Sec-WebSocket-Key: ${pick(random, ['dGhlIHNhbXBsZSBub25jZQ==', 'x', ''])}`);
    headers.push(`Sec-WebSocket-Version: ${pick(random, ['13', '13', '8', 'x'])}`);
  }
  if (random() < 0.2) headers.push(`Content-Length: ${pick(random, ['5', '-1', 'abc', '99999999999'])}`);
  if (random() < 0.1) headers.push('Transfer-Encoding: chunked');
  const body = random() < 0.2 ? randomText(random, 1 + Math.floor(random() * 64)) : '';
  const text = `${method} ${target} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n${body}`;
  return random() < 0.3 ? mutateBytes(random, text) : text;
}

const KEYS = ['a', 'kind', 'id', '$bytes', '__proto__', 'constructor', 'prototype', 'skipBadRows', 'layers', ''];

/** A JSON value of bounded size: scalars, lists and objects whose keys include the dangerous ones. */
function randomValue(random: Random, depth: number): unknown {
  const roll = random();
  if (depth <= 0 || roll < 0.35)
    return pick(random, [null, true, 0, -1, 1e308, 2 ** 53, 'x', '', '../../etc/passwd', 'd-1', 'A'.repeat(300)]);
  if (roll < 0.6) return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth - 1));
  const record: Record<string, unknown> = {};
  for (let i = Math.floor(random() * 4); i > 0; i--) record[pick(random, KEYS)] = randomValue(random, depth - 1);
  return record;
}

const METHODS = [...API_METHODS, 'toString', '__proto__', 'constructor', 'x'.repeat(5000), 7];

/** One WebSocket message: usually a call, sometimes a broken one, sometimes not a call at all. */
function socketFrame(random: Random, id: number): string | Buffer {
  const roll = random();
  if (roll < 0.05) return Buffer.from(randomText(random, 16), 'latin1');
  if (roll < 0.1) return randomText(random, 1 + Math.floor(random() * 40));
  if (roll < 0.15) {
    const depth = 50 + Math.floor(random() * 5000);
    return `{"kind":"call","id":${id},"method":"checkData","args":${'['.repeat(depth)}${']'.repeat(depth)}}`;
  }
  if (roll < 0.2)
    return `{"kind":"call","id":${id},"method":"uploadCsv","args":["a.csv",{"$bytes":"${'QUJD'.repeat(30_000)}"}]}`;
  const method = pick(random, METHODS);
  const args =
    random() < 0.8
      ? Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, 4))
      : randomValue(random, 3);
  const text = JSON.stringify({ kind: pick(random, ['call', 'call', 'call', 'result']), id, method, args });
  return random() < 0.3 ? mutateBytes(random, text) : text;
}

async function inBatches<T>(items: T[], run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += CONCURRENCY) await Promise.all(items.slice(i, i + CONCURRENCY).map(run));
}

/** Sends frames on tokened sockets, opening a new one whenever the server closed the last. */
async function sendFrames(random: Random, count: number): Promise<void> {
  let socket: WebSocket | null = null;
  for (let i = 0; i < count; i++) {
    if (!socket || socket.readyState !== WebSocket.OPEN) socket = await openSocket(served.server);
    const frame = socketFrame(random, i + 1);
    const open: WebSocket = socket;
    // Wait for the answer, the close, or a short while (a message with no id gets no answer).
    await new Promise<void>((resolve) => {
      const timer = setTimeout(finish, 300);
      function finish(): void {
        clearTimeout(timer);
        open.off('message', finish);
        open.off('close', finish);
        resolve();
      }
      open.on('message', finish);
      open.on('close', finish);
      open.send(frame);
    });
  }
  socket?.close();
}

/** A real handshake with the token, then bytes that are not valid frames. */
function rawFrames(random: Random): Promise<void> {
  return new Promise((resolve) => {
    const connection = net.connect(port, '127.0.0.1');
    const done = () => {
      clearTimeout(timer);
      connection.destroy();
      resolve();
    };
    const timer = setTimeout(done, 1000);
    connection.on('error', done);
    connection.on('close', done);
    connection.once('data', () => {
      connection.write(Buffer.from(randomText(random, 2 + Math.floor(random() * 200)), 'latin1'));
    });
    connection.on('connect', () =>
      connection.write(
        `GET /api?token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      ),
    );
  });
}

async function stillAnswers(): Promise<{ page: number; appInfo: string }> {
  const page = (await fetch(`http://127.0.0.1:${port}/?token=${token}`)).status;
  const socket = await openSocket(served.server);
  try {
    const reply = await caller(socket)('appInfo', []);
    return { page, appInfo: reply.kind };
  } finally {
    socket.close();
  }
}

describe('the server under a seeded fuzz pass', () => {
  it(`still answers after ${BATCHES} batches of mutated requests and frames (seed ${SEED})`, async () => {
    const random = seededRandom(SEED);
    const statuses = new Map<number, number>();
    for (let batch = 1; batch <= BATCHES; batch++) {
      const requests = Array.from({ length: HTTP_PER_BATCH }, () => httpRequest(random));
      await inBatches(requests, async (request) => {
        const status = statusOf(await rawRequest(port, Buffer.from(request, 'latin1'), 1000));
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      });
      await sendFrames(random, FRAMES_PER_BATCH);
      await inBatches(
        Array.from({ length: RAW_SESSIONS_PER_BATCH }, () => 0),
        () => rawFrames(random),
      );
      expect(await stillAnswers(), `after batch ${batch} of seed ${SEED}`).toEqual({ page: 200, appInfo: 'result' });
    }
    // Each refusal is one the server chose (400, 403, 404, 405, or the parser's 400/431), never a crash's 500.
    expect(statuses.get(500) ?? 0).toBe(0);
    expect([...statuses.keys()].filter((status) => status >= 400).length).toBeGreaterThanOrEqual(3);
  }, 180_000);
});
