/**
 * Browser mode: the built renderer and the engine's API on one loopback HTTP server. The page, its assets, the
 * WebSocket at /api and the downloads all need the session token (see security.ts).
 */
import { createReadStream, promises as fs } from 'node:fs';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { createEngine } from '../engine/engine.js';
import { createNodeHost } from '../engine/node-host.js';
import type { Engine } from '../engine/types.js';
import { DownloadRegistry, attachmentHeader } from './downloads.js';
import {
  SECURITY_HEADERS,
  excerpt,
  newToken,
  refusal,
  sendPlain,
  sessionCookie,
  type AccessPolicy,
} from './security.js';
import { DEFAULT_MAX_UPLOAD_BYTES, messageLimitFor, serveSocket } from './socket-api.js';
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
  /** The largest file one upload may carry (DEFAULT_MAX_UPLOAD_BYTES unless a test needs a small one). */
  maxUploadBytes?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  token: string;
  engine: Engine;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host);
}

async function serveFile(response: ServerResponse, filePath: string, headers: Record<string, string>): Promise<void> {
  const stat = await fs.stat(filePath);
  response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Length': String(stat.size), ...headers });
  // A file that vanishes mid-read, or a client that hangs up, ends this response only: pipeline destroys both.
  pipeline(createReadStream(filePath), response, () => undefined);
}

/** The request's target as an address, or null when it is not one (`//[` makes URL throw). */
function requestTarget(request: IncomingMessage): URL | null {
  try {
    return new URL(request.url ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}

const BAD_TARGET = 'Bad request: the request target is not a valid address.';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Answers an upgrade that will not become a WebSocket, and closes the connection. */
function refuseUpgrade(socket: Duplex, status: string, message: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${message}\n`);
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
    const url = requestTarget(request);
    if (!url) {
      sendPlain(response, 400, BAD_TARGET);
      return;
    }
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
      sendPlain(response, 404, `Not found: ${excerpt(url.pathname)}`);
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
      if (!response.headersSent) sendPlain(response, 500, `LayerLab could not answer: ${excerpt(messageOf(error))}`);
      else response.destroy();
    });
  });

  const maxUploadBytes = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  // Frames a little over the limit still arrive, so socket-api can answer them with the limit named; twice
  // the limit is the wall where the connection is closed without reading further.
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 2 * messageLimitFor(maxUploadBytes) });
  server.on('upgrade', (request, socket, head) => {
    // A client that resets mid-handshake must not raise an error nobody listens to.
    socket.on('error', () => socket.destroy());
    try {
      const url = requestTarget(request);
      if (!url) return refuseUpgrade(socket, '400 Bad Request', BAD_TARGET);
      if (url.pathname !== '/api') return refuseUpgrade(socket, '404 Not Found', 'Not found: the API is at /api');
      const refused = refusal(request, url, policy, true);
      if (refused) return refuseUpgrade(socket, '403 Forbidden', refused);
      sockets.handleUpgrade(request, socket, head, (ws) => serveSocket(ws, api, { maxUploadBytes }));
    } catch (error) {
      refuseUpgrade(socket, '500 Internal Server Error', `LayerLab could not answer: ${excerpt(messageOf(error))}`);
    }
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
