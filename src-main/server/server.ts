/**
 * Browser mode: the built renderer and the engine's API on one loopback HTTP server. The page, its assets, the
 * WebSocket at /api and the downloads all need the session token (see security.ts).
 */
import { createReadStream, promises as fs } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { createEngine } from '../engine/engine.js';
import { createNodeHost } from '../engine/node-host.js';
import type { Engine } from '../engine/types.js';
import { DownloadRegistry, attachmentHeader } from './downloads.js';
import { SECURITY_HEADERS, newToken, refusal, sendPlain, sessionCookie, type AccessPolicy } from './security.js';
import { serveSocket } from './socket-api.js';
import { contentTypeOf, resolveStaticFile } from './static-files.js';

export interface ServerOptions {
  /** 127.0.0.1 unless a remote machine must reach it (then say so loudly: see serve.ts). */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** Where this session keeps uploads and saves; a fresh folder under the system temp folder by default. */
  workspaceDir?: string;
  /** An engine to serve; by default one is made for this server with a Node host. */
  engine?: Engine;
}

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  token: string;
  engine: Engine;
  close(): Promise<void>;
}

/** Uploads travel as base64 in JSON; this bounds one message (a few hundred MB of CSV). */
const MAX_MESSAGE_BYTES = 512 * 1024 * 1024;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host);
}

async function serveFile(response: ServerResponse, filePath: string, headers: Record<string, string>): Promise<void> {
  const stat = await fs.stat(filePath);
  response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Length': String(stat.size), ...headers });
  createReadStream(filePath).pipe(response);
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? newToken();
  const rendererDir = path.resolve(options.rendererDir);
  const downloads = new DownloadRegistry();
  let boundPort = 0;
  const policy: AccessPolicy = { token, port: () => boundPort, loopbackOnly: isLoopbackHost(host) };

  let ownedWorkspace: string | null = null;
  let engine = options.engine;
  if (!engine) {
    const workspaceDir =
      options.workspaceDir ?? (ownedWorkspace = await fs.mkdtemp(path.join(os.tmpdir(), 'layerlab-')));
    engine = createEngine(
      createNodeHost({
        mode: 'browser',
        workspaceDir,
        offerDownload: (filePath, fileName) => `/download/${downloads.offer(filePath, fileName)}?token=${token}`,
      }),
    );
  }
  const api = engine;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendPlain(response, 405, 'Method not allowed: browser mode serves GET requests; the API is on the WebSocket.');
      return;
    }
    const refused = refusal(request, url, policy, false);
    if (refused) {
      sendPlain(response, 403, refused);
      return;
    }
    const downloadId = /^\/download\/([A-Za-z0-9_-]+)$/.exec(url.pathname)?.[1];
    if (downloadId !== undefined) {
      const offered = downloads.get(downloadId);
      if (!offered) {
        sendPlain(response, 404, 'This download is no longer available: save the file again.');
        return;
      }
      await serveFile(response, offered.filePath, {
        'Content-Type': contentTypeOf(offered.fileName),
        'Content-Disposition': attachmentHeader(offered.fileName),
        'Cache-Control': 'no-store',
      });
      return;
    }
    const filePath = await resolveStaticFile(rendererDir, url.pathname);
    if (!filePath) {
      sendPlain(response, 404, `Not found: ${url.pathname}`);
      return;
    }
    const isPage = filePath.endsWith('.html');
    const headers: Record<string, string> = {
      'Content-Type': contentTypeOf(filePath),
      'Cache-Control': isPage ? 'no-store' : 'no-cache',
    };
    // The tokened page hands the token to its assets and socket as a cookie scripts cannot read.
    if (url.searchParams.get('token') !== null) headers['Set-Cookie'] = sessionCookie(boundPort, token);
    await serveFile(response, filePath, headers);
  }

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent)
        sendPlain(
          response,
          500,
          `LayerLab could not answer: ${error instanceof Error ? error.message : String(error)}`,
        );
      else response.destroy();
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const refused = url.pathname !== '/api' ? 'Not found: the API is at /api' : refusal(request, url, policy, true);
    if (refused) {
      const status = url.pathname !== '/api' ? '404 Not Found' : '403 Forbidden';
      socket.end(
        `HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${refused}\n`,
      );
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveSocket(ws, api));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  boundPort = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? os.hostname() : host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${shownHost}:${boundPort}/?token=${token}`,
    port: boundPort,
    host,
    token,
    engine: api,
    async close() {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.engine) await api.dispose();
      if (ownedWorkspace) await fs.rm(ownedWorkspace, { recursive: true, force: true });
    },
  };
}
