/**
 * The one generic proxy between the UI and the engine, built from the contract's name lists (api.ts). A client
 * is a `LayerLabApi` over any transport that can make a call and subscribe to an event; the serving side
 * checks a call's method name against the list and relays every event of the contract. The preload, the
 * page's WebSocket client, the WebSocket server and the Electron IPC handlers are all made from these two.
 * Plain TypeScript only: it is bundled into the sandboxed preload and the page as well as run in Node.
 */
import {
  API_EVENTS,
  API_METHODS,
  isApiMethod,
  subscriptionName,
  type ApiEventName,
  type ApiListener,
  type ApiMethod,
  type LayerLabApi,
} from './api.js';
import type { ApiReply } from './channels.js';

/** What a client needs from its transport. */
export interface ApiTransport {
  call(method: ApiMethod, args: unknown[]): Promise<unknown>;
  /** Returns the function that ends the subscription. */
  subscribe<E extends ApiEventName>(event: E, listener: ApiListener<E>): () => void;
}

/**
 * Every method and every `on…` subscription of the contract, as own properties of a plain object: Electron's
 * contextBridge copies only those, so a JavaScript Proxy would arrive empty.
 */
export function createApiClient(transport: ApiTransport): LayerLabApi {
  const api: Record<string, unknown> = {};
  for (const method of API_METHODS) {
    api[method] = (...args: unknown[]) => transport.call(method, args);
  }
  for (const event of API_EVENTS) {
    api[subscriptionName(event)] = (listener: ApiListener<typeof event>) => transport.subscribe(event, listener);
  }
  return api as unknown as LayerLabApi;
}

/** A failure's message comes back as an Error with exactly that message. */
export function unwrapReply(reply: ApiReply): unknown {
  if (reply.ok) return reply.value;
  throw new Error(reply.message);
}

/** What the serving side needs from the engine: checked calls by name, and events by name. */
export interface ApiBackend {
  /** Validates `args` for `method` and runs it. */
  invoke(method: ApiMethod, args: unknown): Promise<unknown>;
  on<E extends ApiEventName>(event: E, listener: ApiListener<E>): () => void;
}

/** A transport's rules for values (codec.ts for JSON); absent when the transport carries values as they are. */
export interface ValueCodec {
  encode(value: unknown): unknown;
  decode(value: unknown): unknown;
}

export interface ServeOptions {
  /** Hands one event to the transport, its payload already encoded. */
  emit(event: ApiEventName, payload: unknown): void;
  codec?: ValueCodec;
}

export interface ApiService {
  /** Never rejects: a failure is a reply with a message a person can read. */
  call(method: unknown, args: unknown): Promise<ApiReply>;
  /** Ends the event subscriptions (the connection or window went away). */
  dispose(): void;
}

/** A method name as it may appear in a message: names come from outside, so a long one is cut. */
export function shownMethodName(method: unknown): string {
  const text = typeof method === 'string' ? method : String(method);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function serveApi(backend: ApiBackend, options: ServeOptions): ApiService {
  const { codec, emit } = options;
  const unsubscribers = API_EVENTS.map((event) =>
    backend.on(event, (payload) => {
      try {
        emit(event, codec ? codec.encode(payload) : payload);
      } catch {
        // One transport failing to take an event (a closed socket) must not stop the engine's other listeners.
      }
    }),
  );

  async function call(method: unknown, args: unknown): Promise<ApiReply> {
    if (!isApiMethod(method)) return { ok: false, message: `${shownMethodName(method)} is not a LayerLab API method` };
    let decoded: unknown;
    try {
      decoded = codec ? codec.decode(args) : args;
    } catch (error) {
      return { ok: false, message: `${method}: arguments refused: ${messageOf(error)}` };
    }
    let value: unknown;
    try {
      value = await backend.invoke(method, decoded);
    } catch (error) {
      return { ok: false, message: messageOf(error) };
    }
    try {
      // JSON has no undefined: a method that returns nothing answers null.
      return { ok: true, value: codec ? codec.encode(value ?? null) : value };
    } catch (error) {
      return { ok: false, message: `${method}: the answer could not be sent: ${messageOf(error)}` };
    }
  }

  return {
    call,
    dispose() {
      for (const unsubscribe of unsubscribers) unsubscribe();
    },
  };
}
