import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { WireMessage } from '../../src-main/contract/channels.js';
import { startServer, type RunningServer } from '../../src-main/server/server.js';

const irisBytes = readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'iris.csv'));
const version = (
  JSON.parse(readFileSync(path.join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }
).version;

let server: RunningServer;
let rendererDir: string;
let base: string;

beforeAll(async () => {
  rendererDir = mkdtempSync(path.join(os.tmpdir(), 'layerlab-renderer-'));
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>LayerLab test page</title>');
  writeFileSync(path.join(rendererDir, 'app.js'), 'console.log("asset");');
  server = await startServer({ rendererDir });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server?.close();
  rmSync(rendererDir, { recursive: true, force: true });
});

/** Opens a socket, or resolves with the HTTP status it was refused with. */
function connect(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ socket: WebSocket } | { refused: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_request, response) => {
      resolve({ refused: response.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

function caller(socket: WebSocket) {
  let nextId = 1;
  return (method: string, args: unknown[]): Promise<WireMessage> =>
    new Promise((resolve) => {
      const id = nextId++;
      const onMessage = (data: Buffer) => {
        const message = JSON.parse(data.toString()) as WireMessage;
        if ((message.kind === 'result' || message.kind === 'failure') && message.id === id) {
          socket.off('message', onMessage);
          resolve(message);
        }
      };
      socket.on('message', onMessage);
      socket.send(JSON.stringify({ kind: 'call', id, method, args }));
    });
}

describe('browser-mode server', () => {
  it('binds to loopback and prints a tokened address', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('refuses the page without a token or with a wrong one', async () => {
    const none = await fetch(`${base}/`);
    expect(none.status).toBe(403);
    expect(await none.text()).toMatch(/needs its token/);
    const wrong = await fetch(`${base}/?token=${'x'.repeat(32)}`);
    expect(wrong.status).toBe(403);
    const asset = await fetch(`${base}/app.js`);
    expect(asset.status).toBe(403);
  });

  it('serves the page with the token, a strict CSP and a session cookie for the assets', async () => {
    const page = await fetch(`${base}/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('LayerLab test page');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const cookie = page.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const asset = await fetch(`${base}/app.js`, { headers: { cookie: cookie.split(';')[0] ?? '' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
  });

  it('refuses a foreign Host header (DNS rebinding) even with the token', async () => {
    const response = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: server.port,
            path: `/?token=${server.token}`,
            headers: { host: 'attacker.example:80' },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      }, reject);
    });
    expect(response).toBe(403);
  });

  it('does not serve files outside the renderer folder', async () => {
    const response = await fetch(`${base}/%2e%2e/%2e%2e/etc/passwd?token=${server.token}`);
    expect(response.status).toBe(404);
  });

  it('refuses a WebSocket without the token, with a wrong token, or from another origin', async () => {
    expect(await connect(`ws://127.0.0.1:${server.port}/api`)).toEqual({ refused: 403 });
    expect(await connect(`ws://127.0.0.1:${server.port}/api?token=wrong`)).toEqual({ refused: 403 });
    expect(
      await connect(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, { origin: 'http://evil.example' }),
    ).toEqual({ refused: 403 });
  });

  describe('with the token', () => {
    let socket: WebSocket;
    let call: ReturnType<typeof caller>;

    beforeAll(async () => {
      const opened = await connect(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, {
        origin: `http://127.0.0.1:${server.port}`,
      });
      if (!('socket' in opened)) throw new Error(`socket refused with ${opened.refused}`);
      socket = opened.socket;
      call = caller(socket);
    });

    afterAll(() => socket?.close());

    it('answers appInfo with the package version and browser mode', async () => {
      const reply = await call('appInfo', []);
      expect(reply.kind).toBe('result');
      const info = (reply as { value: { version: string; mode: string; samples: Array<{ id: string }> } }).value;
      expect(info.version).toBe(version);
      expect(info.mode).toBe('browser');
      expect(info.samples.map((s) => s.id)).toContain('iris');
    });

    it('reads an uploaded CSV sent as base64 bytes', async () => {
      const reply = await call('uploadCsv', ['iris.csv', { $bytes: irisBytes.toString('base64') }]);
      expect(reply.kind).toBe('result');
      const summary = (
        reply as { value: { name: string; rowCount: number; columns: Array<{ name: string }>; id: string } }
      ).value;
      expect(summary.name).toBe('iris.csv');
      expect(summary.rowCount).toBe(150);
      expect(summary.columns).toHaveLength(5);
      expect(summary.columns[4]?.name).toBe('species');

      const rows = await call('datasetRows', [summary.id, 148, 5]);
      expect(rows.kind).toBe('result');
      expect((rows as { value: string[][] }).value).toHaveLength(2);
    });

    it('rejects bad arguments with a message naming the method and the argument', async () => {
      const reply = await call('datasetRows', ['x', -1, 'a']);
      expect(reply.kind).toBe('failure');
      const text = (reply as { message: string }).message;
      expect(text).toMatch(/^datasetRows: /);
      expect(text).toMatch(/start: must be 0 or more/);
      expect(text).toMatch(/count/);
    });

    it('rejects an upload whose bytes are not bytes, and a path posing as a file name', async () => {
      const notBytes = await call('uploadCsv', ['iris.csv', 'sepal,petal']);
      expect(notBytes.kind).toBe('failure');
      expect((notBytes as { message: string }).message).toMatch(/uploadCsv: bytes: must be bytes/);
      const withFolder = await call('uploadCsv', ['../../etc/passwd', { $bytes: '' }]);
      expect((withFolder as { message: string }).message).toMatch(/uploadCsv: fileName: must be a plain file name/);
    });

    it('rejects unknown methods and unknown ids', async () => {
      const unknown = await call('readAnyFile', ['/etc/passwd']);
      expect((unknown as { message: string }).message).toMatch(/readAnyFile is not a LayerLab API method/);
      const missing = await call('datasetRows', ['d-nothere', 0, 5]);
      expect((missing as { message: string }).message).toMatch(/No dataset with id d-nothere is open/);
    });
  });
});
