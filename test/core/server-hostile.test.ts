/**
 * The requests that once stopped the browser-mode server, and the other hostile messages it must answer
 * without acting on them. Each runs against a real server on 127.0.0.1, and each test ends by checking that
 * the server still answers a good request.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { OpenedProject, RunEvent } from '../../src-main/contract/api.js';
import type { WireMessage } from '../../src-main/contract/channels.js';
import {
  caller,
  failureOf,
  openSocket,
  rawRequest,
  startTestServer,
  statusOf,
  upgradeRequest,
  type TestServer,
} from './server-kit.js';

const irisText = readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'iris.csv'), 'utf8');
let served: TestServer;
let socket: WebSocket;
let call: ReturnType<typeof caller>;

beforeAll(async () => {
  served = await startTestServer();
  socket = await openSocket(served.server);
  call = caller(socket);
});

afterAll(async () => {
  socket?.close();
  await served?.close();
});

/** The server is still there: the tokened page loads and the open socket answers appInfo. */
async function expectServerAnswers(): Promise<void> {
  const page = await fetch(`http://127.0.0.1:${served.server.port}/?token=${served.server.token}`);
  expect(page.status).toBe(200);
  expect((await call('appInfo', [])).kind).toBe('result');
}

function base64(text: string): string {
  return Buffer.from(text).toString('base64');
}

describe('the three requests that stopped the server', () => {
  it('a WebSocket upgrade whose cookie holds a broken %-escape is refused with 403', async () => {
    const { port } = served.server;
    const answer = await rawRequest(
      port,
      upgradeRequest(port, '/api', { Cookie: `layerlab_token_${port}=%E0%A4%A; other=%` }),
    );
    expect(statusOf(answer)).toBe(403);
    expect(answer).toContain('this LayerLab session needs its token');
    await expectServerAnswers();
  });

  it('a WebSocket upgrade whose target is not an address (GET //[) is refused with 400', async () => {
    const answer = await rawRequest(served.server.port, upgradeRequest(served.server.port, '//['));
    expect(statusOf(answer)).toBe(400);
    expect(answer).toContain('the request target is not a valid address');
    const plain = await rawRequest(served.server.port, `GET //[ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    expect(statusOf(plain)).toBe(400);
    await expectServerAnswers();
  });

  it('a message nested 3,000 deep is refused with the limit named, and the session goes on', async () => {
    const deep = `${'['.repeat(3000)}${']'.repeat(3000)}`;
    const reply = await call(
      'datasetRows',
      null,
      (id) => `{"kind":"call","id":${id},"method":"datasetRows","args":${deep}}`,
    );
    expect(failureOf(reply)).toBe(
      'datasetRows: arguments refused: a value is nested more than 64 levels deep (LayerLab never sends one)',
    );
    await expectServerAnswers();
  });
});

describe('messages that must not take effect or come back whole', () => {
  it('refuses __proto__ in options, so a .strict() schema cannot be walked around', async () => {
    const ragged = irisText.replace('\n5.1,3.5,1.4,0.2,setosa', '\n5.1,3.5,1.4,0.2,setosa,oops');
    expect(ragged).not.toBe(irisText);
    const reply = await call(
      'uploadCsv',
      null,
      (id) =>
        `{"kind":"call","id":${id},"method":"uploadCsv","args":["r.csv",{"$bytes":"${base64(ragged)}"},` +
        `{"__proto__":{"skipBadRows":true}}]}`,
    );
    expect(failureOf(reply)).toBe(
      'uploadCsv: arguments refused: a member named "__proto__" is refused (it would reach the prototype of the object it is in)',
    );
    const polluting = await call('checkData', ['d-x', { constructor: { prototype: { polluted: true } } }]);
    expect(failureOf(polluting)).toMatch(/a member named "constructor" is refused/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('cuts a 1 MB unknown method name and a 100 KB key to a short prefix', async () => {
    const method = 'x'.repeat(1024 * 1024);
    const unknown = failureOf(await call(method, []));
    expect(unknown).toBe(`${'x'.repeat(60)}… is not a LayerLab API method`);
    const longKey = 'k'.repeat(100_000);
    const keyed = failureOf(await call('uploadCsv', ['a.csv', { $bytes: '' }, { [longKey]: true }]));
    expect(keyed).toMatch(/^uploadCsv: /);
    expect(keyed.length).toBeLessThan(2100);
    expect(keyed).toMatch(/… \(\d+ more characters\)$/);
    await expectServerAnswers();
  });

  it('refuses an upload over the limit with the limit named, before decoding it', async () => {
    // A limit small enough to go over in a test; iris (about 4 KB) fits.
    const small = await startTestServer({ maxUploadBytes: 8 * 1024 });
    const smallSocket = await openSocket(small.server);
    try {
      const smallCall = caller(smallSocket);
      const big = `a,b\n${'1,2\n'.repeat(25_000)}`;
      const reply = failureOf(await smallCall('uploadCsv', ['big.csv', { $bytes: base64(big) }]));
      expect(reply).toMatch(/^This upload is about 9\d\.\d KB: browser mode takes files up to 8\.0 KB\./);
      expect(reply).toContain('use the layerlab command (layerlab train --data FILE)');
      const fits = await smallCall('uploadCsv', ['iris.csv', { $bytes: base64(irisText) }]);
      expect(fits.kind).toBe('result');
      expect((fits as { value: { rowCount: number } }).value.rowCount).toBe(150);
      // Far over the limit the connection is closed instead, and the server goes on.
      const closed = new Promise<number>((resolve) => smallSocket.once('close', resolve));
      smallSocket.send('x'.repeat(400 * 1024));
      expect(await closed).toBe(1009);
      expect((await fetch(`http://127.0.0.1:${small.server.port}/?token=${small.server.token}`)).status).toBe(200);
    } finally {
      smallSocket.close();
      await small.close();
    }
  });
});

describe('training runs', () => {
  function waitForEnd(runId: string): Promise<RunEvent> {
    return new Promise((resolve) => {
      const onMessage = (data: Buffer) => {
        const message = JSON.parse(data.toString()) as WireMessage;
        if (message.kind !== 'event' || message.event !== 'trainingEvent') return;
        for (const payload of message.payloads as RunEvent[]) {
          if (payload.runId === runId && ['finished', 'stopped', 'error'].includes(payload.event.type)) {
            socket.off('message', onMessage);
            resolve(payload);
          }
        }
      };
      socket.on('message', onMessage);
    });
  }

  it('runs one at a time in a session: a second start is refused until the first ends', async () => {
    const opened = await call('openSampleProject', []);
    const project = (opened as { value: OpenedProject }).value;
    const request = (epochs: number) => ({
      datasetId: project.dataset!.id,
      dataSettings: project.document.dataSettings!,
      spec: project.document.model,
      settings: { ...project.document.training, epochs, backend: 'cpu' },
    });
    const first = await call('startTraining', [project.projectId, request(100_000)]);
    expect(first.kind).toBe('result');
    const firstId = (first as { value: { runId: string } }).value.runId;
    const firstEnd = waitForEnd(firstId);

    const second = await call('startTraining', [project.projectId, request(1)]);
    expect(failureOf(second)).toBe(
      'A training run is already in progress in this session: stop it or wait for it to end, then start the next one.',
    );

    await call('controlTraining', [firstId, 'stop']);
    expect((await firstEnd).event.type).toBe('stopped');
    const third = await call('startTraining', [project.projectId, request(1)]);
    expect(third.kind).toBe('result');
    const thirdEnd = await waitForEnd((third as { value: { runId: string } }).value.runId);
    expect(thirdEnd.event.type).toBe('finished');
  }, 60_000);
});
