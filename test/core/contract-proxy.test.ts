/**
 * The contract's generic proxy and its one JSON codec: a client built from the contract, served by a real
 * engine, over a transport that carries values exactly as the WebSocket does (codec + JSON text both ways).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  API_EVENTS,
  API_METHODS,
  subscriptionName,
  type ApiEventName,
  type DataProgress,
  type LayerLabApi,
} from '../../src-main/contract/api.js';
import type { WireMessage } from '../../src-main/contract/channels.js';
import { decodeWire, encodeWire, MAX_WIRE_DEPTH, WIRE_CODEC } from '../../src-main/contract/codec.js';
import { createApiClient, serveApi, unwrapReply, type ApiService } from '../../src-main/contract/proxy.js';
import { createEngine } from '../../src-main/engine/engine.js';
import { createNodeHost } from '../../src-main/engine/node-host.js';
import type { Engine } from '../../src-main/engine/types.js';
import { startServer } from '../../src-main/server/server.js';

const irisPath = path.join(import.meta.dirname, '..', 'fixtures', 'iris.csv');
const version = (
  JSON.parse(readFileSync(path.join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }
).version;

/** What one side sends and the other receives: the codec's value as JSON text, read back and decoded. */
function acrossTheWire(value: unknown): unknown {
  return decodeWire(JSON.parse(JSON.stringify(encodeWire(value))));
}

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { inner: [value] };
  return value;
}

describe('the wire codec', () => {
  it('carries bytes as base64, other typed arrays as lists, and drops undefined from objects', () => {
    const bytes = Uint8Array.from([0, 1, 127, 128, 254, 255]);
    const encoded = encodeWire({
      bytes,
      floats: Float32Array.from([0.5, -2]),
      ints: Int16Array.from([-3, 7]),
      gone: undefined,
      list: [1, undefined],
    });
    expect(encoded).toEqual({
      bytes: { $bytes: Buffer.from(bytes).toString('base64') },
      floats: [0.5, -2],
      ints: [-3, 7],
      list: [1, null],
    });
    expect(Object.keys(encoded as object)).not.toContain('gone');

    const back = acrossTheWire({
      bytes,
      floats: Float32Array.from([0.5, -2]),
      gone: undefined,
      nested: { also: undefined, kept: 0 },
    });
    expect(back).toEqual({ bytes, floats: [0.5, -2], nested: { kept: 0 } });
    expect((back as { bytes: unknown }).bytes).toBeInstanceOf(Uint8Array);
  });

  it('round-trips a byte array larger than one text slice, byte for byte, and a view into a larger buffer', () => {
    const big = new Uint8Array(300_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31 + 7) & 255;
    const encoded = encodeWire(big) as { $bytes: string };
    expect(encoded.$bytes).toBe(Buffer.from(big).toString('base64'));
    const back = acrossTheWire(big) as Uint8Array;
    expect(back).toBeInstanceOf(Uint8Array);
    // Compared as buffers: a deep equality over 300,000 elements would take seconds.
    expect(Buffer.from(back).equals(Buffer.from(big))).toBe(true);

    const window = big.subarray(10, 20);
    expect(acrossTheWire(window)).toEqual(Uint8Array.from(big.slice(10, 20)));
    // A Node Buffer is a Uint8Array too: the server's files and the page's uploads travel alike.
    expect(acrossTheWire(Buffer.from('sepal,petal\n'))).toEqual(new TextEncoder().encode('sepal,petal\n'));
  });

  it('leaves an object with a $bytes key and anything more as an object', () => {
    expect(acrossTheWire({ $bytes: 'AAE=', note: 'x' })).toEqual({ $bytes: 'AAE=', note: 'x' });
  });

  it(`refuses values nested deeper than ${MAX_WIRE_DEPTH} levels with a message, both ways`, () => {
    const deep = nested(3000);
    expect(() => encodeWire(deep)).toThrow(/nested more than 64 levels deep/);
    expect(() => decodeWire(deep)).toThrow(/nested more than 64 levels deep/);
    // 31 levels of { inner: [...] } are 62 containers: within the limit.
    expect(acrossTheWire(nested(31))).toEqual(nested(31));
  });
});

/** A client and a server over an in-memory transport that behaves as the WebSocket does. */
function connect(engine: Engine): { api: LayerLabApi; service: ApiService } {
  const listeners = new Map<ApiEventName, Set<(payload: unknown) => void>>();
  const service = serveApi(engine, {
    codec: WIRE_CODEC,
    emit: (event, payload) => {
      const received = decodeWire(JSON.parse(JSON.stringify(payload)));
      for (const listener of listeners.get(event) ?? []) listener(received);
    },
  });
  const api = createApiClient({
    call: async (method, args) => {
      const reply = await service.call(method, JSON.parse(JSON.stringify(encodeWire(args))));
      return decodeWire(JSON.parse(JSON.stringify(unwrapReply(reply))));
    },
    subscribe: (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const relay = listener as (payload: unknown) => void;
      set.add(relay);
      return () => {
        set.delete(relay);
      };
    },
  });
  return { api, service };
}

describe('the generic proxy over a real engine', () => {
  let engine: Engine;
  let workspaceDir: string;
  let client: ReturnType<typeof connect>;

  beforeAll(() => {
    workspaceDir = mkdtempSync(path.join(os.tmpdir(), 'layerlab-contract-'));
    engine = createEngine(createNodeHost({ mode: 'browser', workspaceDir }));
    client = connect(engine);
  });

  afterAll(async () => {
    client?.service.dispose();
    await engine?.dispose();
    rmSync(workspaceDir, { recursive: true, force: true });
  });

  it('builds every method and every event subscription of the contract', () => {
    const names = Object.keys(client.api).sort();
    const expected = [...API_METHODS, ...API_EVENTS.map(subscriptionName)].sort();
    expect(names).toEqual(expected);
    expect(expected).toContain('onDataProgress');
    for (const name of names) expect(typeof (client.api as unknown as Record<string, unknown>)[name]).toBe('function');
    // The engine offers the same subscriptions, derived from the same list.
    for (const event of API_EVENTS) expect(typeof engine[subscriptionName(event)]).toBe('function');
  });

  it('answers appInfo with the package version', async () => {
    const info = await client.api.appInfo();
    expect(info.version).toBe(version);
    expect(info.mode).toBe('browser');
    expect(info.samples.map((sample) => sample.id)).toContain('iris');
  });

  it('loads a sample and delivers its data progress to the subscriber, ending at the file size', async () => {
    const seen: DataProgress[] = [];
    const stop = client.api.onDataProgress((progress) => seen.push(progress));
    const summary = await client.api.loadSampleDataset('iris');
    stop();
    expect(summary.rowCount).toBe(150);
    expect(summary.columns.map((column) => column.name)).toContain('species');
    expect(seen.at(-1)).toEqual({ fileName: 'iris.csv', bytesRead: summary.bytes, totalBytes: summary.bytes });

    // After unsubscribing nothing more arrives.
    const before = seen.length;
    await client.api.loadSampleDataset('wine');
    expect(seen).toHaveLength(before);
  });

  it("carries an upload's bytes through the codec to the engine", async () => {
    const summary = await client.api.uploadCsv('flowers.csv', new Uint8Array(readFileSync(irisPath)));
    expect(summary.name).toBe('flowers.csv');
    expect(summary.rowCount).toBe(150);
    const rows = await client.api.datasetRows(summary.id, 149, 5);
    expect(rows).toHaveLength(1);
  });

  it("turns the engine's refusal into an Error with its message", async () => {
    await expect(client.api.datasetRows('d-nothere', 0, 5)).rejects.toThrow(/No dataset with id d-nothere is open/);
  });

  it('refuses an unknown method with a short message, even for a 1 MB name', async () => {
    const reply = await client.service.call('x'.repeat(1_000_000), []);
    expect(reply.ok).toBe(false);
    const message = (reply as { message: string }).message;
    expect(message).toMatch(/^x{60}… is not a LayerLab API method$/);
    expect(message.length).toBeLessThan(120);

    const notAName = await client.service.call(42, []);
    expect(notAName).toEqual({ ok: false, message: '42 is not a LayerLab API method' });
    // Names of the object itself are not methods either.
    expect((await client.service.call('constructor', [])).ok).toBe(false);
  });

  it('refuses arguments nested thousands deep with a message naming the method', async () => {
    const reply = await client.service.call('checkData', ['d-1', nested(3000)]);
    expect(reply).toEqual({
      ok: false,
      message: 'checkData: arguments refused: a value is nested more than 64 levels deep (LayerLab never sends one)',
    });
  });
});

describe('the WebSocket server built from the proxy', () => {
  it('answers a 3,000-deep call with a failure and keeps serving', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'layerlab-deep-'));
    const server = await startServer({ rendererDir: folder, workspaceDir: path.join(folder, 'workspace') });
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, {
      headers: { origin: `http://127.0.0.1:${server.port}` },
    });
    try {
      const messages: WireMessage[] = [];
      socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as WireMessage));
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      const replyTo = (id: number) =>
        expect.poll(() => messages.find((m) => m.kind !== 'event' && m.id === id)).toBeDefined();

      // Written as text: JSON.stringify itself runs out of stack on a value this deep.
      const deepText = `${'{"inner":['.repeat(3000)}"bottom"${']}'.repeat(3000)}`;
      socket.send(`{"kind":"call","id":1,"method":"checkData","args":["d-1",${deepText}]}`);
      await replyTo(1);
      const failure = messages.find((m) => m.kind === 'failure' && m.id === 1) as { message: string } | undefined;
      expect(failure?.message).toMatch(/^checkData: arguments refused: a value is nested more than 64 levels deep/);

      socket.send(JSON.stringify({ kind: 'call', id: 2, method: 'appInfo', args: [] }));
      await replyTo(2);
      const result = messages.find((m) => m.kind === 'result' && m.id === 2) as
        { value: { version: string } } | undefined;
      expect(result?.value.version).toBe(version);
    } finally {
      socket.close();
      await server.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
