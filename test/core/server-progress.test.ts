/** Browser mode relays the engine's CSV reading progress to every page connected over the WebSocket. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { DataProgress, DatasetSummary } from '../../src-main/contract/api.js';
import type { WireMessage } from '../../src-main/contract/channels.js';
import { startServer, type RunningServer } from '../../src-main/server/server.js';
import { generateNumericCsv } from '../fixtures/generate-csv.js';

let server: RunningServer;
let folder: string;

beforeAll(async () => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'layerlab-progress-'));
  const rendererDir = path.join(folder, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>LayerLab test page</title>');
  server = await startServer({ rendererDir, workspaceDir: path.join(folder, 'workspace') });
});

afterAll(async () => {
  await server?.close();
  rmSync(folder, { recursive: true, force: true });
});

function open(): Promise<{ socket: WebSocket; messages: WireMessage[] }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, {
      headers: { origin: `http://127.0.0.1:${server.port}` },
    });
    const messages: WireMessage[] = [];
    socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as WireMessage));
    socket.once('open', () => resolve({ socket, messages }));
    socket.once('error', reject);
  });
}

function waitForReply(messages: WireMessage[], socket: WebSocket, id: number): Promise<WireMessage> {
  return new Promise((resolve) => {
    const check = () => {
      const reply = messages.find((m) => (m.kind === 'result' || m.kind === 'failure') && m.id === id);
      if (!reply) return;
      socket.off('message', check);
      resolve(reply);
    };
    socket.on('message', check);
    check();
  });
}

function progressOf(messages: WireMessage[]): DataProgress[] {
  return messages.flatMap((m) =>
    m.kind === 'event' && m.event === 'dataProgress' ? (m.payloads as DataProgress[]) : [],
  );
}

describe('data progress over the WebSocket', () => {
  it("reaches the uploading page and another open page, before the upload's result, ending at the file size", async () => {
    const csv = await generateNumericCsv(path.join(folder, 'upload.csv'), 15_000, 20, 3);
    const uploader = await open();
    const watcher = await open();
    try {
      uploader.socket.send(
        JSON.stringify({
          kind: 'call',
          id: 1,
          method: 'uploadCsv',
          args: ['readings.csv', { $bytes: readFileSync(csv.path).toString('base64') }],
        }),
      );
      const reply = await waitForReply(uploader.messages, uploader.socket, 1);
      expect(reply.kind).toBe('result');
      const summary = (reply as { value: DatasetSummary }).value;
      expect(summary.rowCount).toBe(15_000);

      const seen = progressOf(uploader.messages);
      expect(seen.length).toBeGreaterThanOrEqual(2);
      expect(seen.every((p) => p.fileName === 'readings.csv' && p.totalBytes === csv.bytes)).toBe(true);
      for (let i = 1; i < seen.length; i++) expect(seen[i]!.bytesRead).toBeGreaterThan(seen[i - 1]!.bytesRead);
      expect(seen.at(-1)?.bytesRead).toBe(csv.bytes);
      // Socket messages keep their order: every progress event came before the result.
      const resultAt = uploader.messages.indexOf(reply);
      expect(progressOf(uploader.messages.slice(resultAt + 1))).toEqual([]);

      // The engine's events are the session's, so a second page of the same session sees them as well.
      await expect.poll(() => progressOf(watcher.messages).at(-1)?.bytesRead).toBe(csv.bytes);
      expect(progressOf(watcher.messages)).toEqual(seen);
    } finally {
      uploader.socket.close();
      watcher.socket.close();
    }
  });
});
