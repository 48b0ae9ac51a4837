/**
 * The only door from the UI to the engine. Under Electron the preload has already put `window.api` in
 * place; in browser mode the same `LayerLabApi` is built by the contract's generic client over one WebSocket.
 * Everything else in the UI imports `api` from here and never knows which of the two it got.
 */
import type { ApiEventName, ApiListener, ApiMethod, LayerLabApi } from '$contract/api.js';
import type { WireMessage, WireRequest } from '$contract/channels.js';
import { decodeWire, encodeWire } from '$contract/codec.js';
import { createApiClient, type ApiTransport } from '$contract/proxy.js';

declare global {
  interface Window {
    api?: LayerLabApi;
  }
}

export type ConnectionState = 'connecting' | 'open' | 'closed';

interface PendingCall {
  method: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

const FIRST_RETRY_MS = 300;
const LAST_RETRY_MS = 5000;

class SocketTransport implements ApiTransport {
  private socket: WebSocket | null = null;
  private state: ConnectionState = 'closed';
  private nextId = 1;
  private retryMs = FIRST_RETRY_MS;
  private readonly pending = new Map<number, PendingCall>();
  private readonly waitingForOpen: Array<() => void> = [];
  private readonly listeners = new Map<ApiEventName, Set<(payload: unknown) => void>>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();

  constructor(private readonly url: string) {
    this.connect();
  }

  call(method: ApiMethod, args: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      // Encoded now, so a value the wire refuses fails this call at once instead of a later send.
      const request: Omit<WireRequest, 'id'> = { kind: 'call', method, args: encodeWire(args) as unknown[] };
      const send = (): void => {
        const id = this.nextId++;
        this.pending.set(id, { method, resolve, reject });
        this.socket?.send(JSON.stringify({ ...request, id }));
      };
      if (this.state === 'open') send();
      else this.waitingForOpen.push(send);
    });
  }

  subscribe<E extends ApiEventName>(event: E, listener: ApiListener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const relay = listener as (payload: unknown) => void;
    set.add(relay);
    return () => set.delete(relay);
  }

  onStateChange(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    listener(this.state);
    return () => this.stateListeners.delete(listener);
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }

  private connect(): void {
    this.setState('connecting');
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.retryMs = FIRST_RETRY_MS;
      this.setState('open');
      for (const send of this.waitingForOpen.splice(0)) send();
    };
    socket.onmessage = (message) => this.receive(String(message.data));
    socket.onclose = () => this.lost();
  }

  private receive(text: string): void {
    let message: WireMessage;
    try {
      message = JSON.parse(text) as WireMessage;
    } catch {
      console.error('LayerLab: the engine sent a message that is not JSON:', text.slice(0, 200));
      return;
    }
    if (message.kind === 'event') {
      const listeners = this.listeners.get(message.event);
      if (!listeners) return;
      for (const payload of message.payloads) {
        const decoded = decodeWire(payload);
        for (const listener of listeners) listener(decoded);
      }
      return;
    }
    const call = this.pending.get(message.id);
    if (!call) return;
    this.pending.delete(message.id);
    if (message.kind === 'failure') {
      call.reject(new Error(message.message));
      return;
    }
    try {
      call.resolve(decodeWire(message.value));
    } catch (error) {
      call.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** The engine went away: fail what was in flight (it may or may not have run) and try again later. */
  private lost(): void {
    this.socket = null;
    this.setState('closed');
    for (const [id, call] of this.pending) {
      this.pending.delete(id);
      call.reject(
        new Error(
          `Lost the connection to the LayerLab engine during "${call.method}". ` +
            'Check that LayerLab is still running; the page reconnects by itself, then try again.',
        ),
      );
    }
    const wait = this.retryMs;
    this.retryMs = Math.min(LAST_RETRY_MS, this.retryMs * 2);
    setTimeout(() => this.connect(), wait);
  }
}

function socketUrl(): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api?token=${encodeURIComponent(token)}`;
}

const socket = window.api ? null : new SocketTransport(socketUrl());

export const api: LayerLabApi = window.api ?? createApiClient(socket!);

/** Browser mode reports the socket's state; Electron's IPC is always there. */
export function onConnectionState(listener: (state: ConnectionState) => void): () => void {
  if (!socket) {
    listener('open');
    return () => {};
  }
  return socket.onStateChange(listener);
}
