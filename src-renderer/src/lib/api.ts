/**
 * The only door from the UI to the engine. Under Electron the preload has already put `window.api` in
 * place; in browser mode the same `LayerLabApi` is spoken over one WebSocket. Everything else in the UI
 * imports `api` from here and never knows which of the two it got.
 */
import {
  API_METHODS,
  type ApiMethod,
  type DataProgress,
  type LayerLabApi,
  type MenuCommand,
  type RunEvent,
} from '$contract/api.js';
import type { WireMessage, WireRequest } from '$contract/channels.js';

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

// ---- bytes on the wire ------------------------------------------------------------------------------------

function bytesToBase64(bytes: Uint8Array): string {
  // String.fromCharCode takes its arguments on the stack, so large arrays go in slices.
  const slice = 0x8000;
  let binary = '';
  for (let i = 0; i < bytes.length; i += slice) {
    binary += String.fromCharCode(...bytes.subarray(i, i + slice));
  }
  return btoa(binary);
}

function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function encodeValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bytes: bytesToBase64(value) };
  if (Array.isArray(value)) return value.map(encodeValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, encodeValue(inner)]));
  }
  return value;
}

function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.$bytes === 'string' && Object.keys(record).length === 1) return base64ToBytes(record.$bytes);
    return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, decodeValue(inner)]));
  }
  return value;
}

// ---- the WebSocket client ---------------------------------------------------------------------------------

class SocketClient {
  private socket: WebSocket | null = null;
  private state: ConnectionState = 'closed';
  private nextId = 1;
  private retryMs = FIRST_RETRY_MS;
  private readonly pending = new Map<number, PendingCall>();
  private readonly waitingForOpen: Array<() => void> = [];
  private readonly trainingListeners = new Set<(event: RunEvent) => void>();
  private readonly dataProgressListeners = new Set<(progress: DataProgress) => void>();
  private readonly menuListeners = new Set<(command: MenuCommand) => void>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();

  constructor(private readonly url: string) {
    this.connect();
  }

  call(method: ApiMethod, args: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const send = (): void => {
        const id = this.nextId++;
        this.pending.set(id, { method, resolve, reject });
        const request: WireRequest = { kind: 'call', id, method, args: args.map(encodeValue) };
        this.socket?.send(JSON.stringify(request));
      };
      if (this.state === 'open') send();
      else this.waitingForOpen.push(send);
    });
  }

  onTrainingEvent(listener: (event: RunEvent) => void): () => void {
    this.trainingListeners.add(listener);
    return () => this.trainingListeners.delete(listener);
  }

  onDataProgress(listener: (progress: DataProgress) => void): () => void {
    this.dataProgressListeners.add(listener);
    return () => this.dataProgressListeners.delete(listener);
  }

  onMenuCommand(listener: (command: MenuCommand) => void): () => void {
    this.menuListeners.add(listener);
    return () => this.menuListeners.delete(listener);
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
    if (message.kind === 'result' || message.kind === 'failure') {
      const call = this.pending.get(message.id);
      if (!call) return;
      this.pending.delete(message.id);
      if (message.kind === 'result') call.resolve(decodeValue(message.value));
      else call.reject(new Error(message.message));
    } else if (message.kind === 'training-events') {
      for (const event of message.payload as RunEvent[]) {
        for (const listener of this.trainingListeners) listener(event);
      }
    } else if (message.kind === 'data-progress') {
      for (const listener of this.dataProgressListeners) listener(message.payload as DataProgress);
    } else if (message.kind === 'menu-command') {
      for (const listener of this.menuListeners) listener(message.payload as MenuCommand);
    }
  }

  /** The engine went away: fail what was in flight (it may or may not have run) and try again later. */
  private lost(): void {
    this.socket = null;
    this.setState('closed');
    for (const [id, call] of this.pending) {
      this.pending.delete(id);
      call.reject(new Error(
        `Lost the connection to the LayerLab engine during "${call.method}". ` +
        'Check that LayerLab is still running; the page reconnects by itself, then try again.',
      ));
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

function createSocketApi(): { api: LayerLabApi; client: SocketClient } {
  const client = new SocketClient(socketUrl());
  const methods = Object.fromEntries(
    API_METHODS.map((method) => [method, (...args: unknown[]) => client.call(method, args)]),
  );
  const api = {
    ...methods,
    onTrainingEvent: (listener: (event: RunEvent) => void) => client.onTrainingEvent(listener),
    onDataProgress: (listener: (progress: DataProgress) => void) => client.onDataProgress(listener),
    onMenuCommand: (listener: (command: MenuCommand) => void) => client.onMenuCommand(listener),
  } as unknown as LayerLabApi;
  return { api, client };
}

const socket = window.api ? null : createSocketApi();

export const api: LayerLabApi = window.api ?? socket!.api;

/** Browser mode reports the socket's state; Electron's IPC is always there. */
export function onConnectionState(listener: (state: ConnectionState) => void): () => void {
  if (!socket) {
    listener('open');
    return () => {};
  }
  return socket.client.onStateChange(listener);
}
