/** Names that cross process boundaries. Kept in one place so host, preload and server cannot drift. */
export const IPC_INVOKE_PREFIX = 'layerlab:invoke:';
export const IPC_TRAINING_EVENT = 'layerlab:training-event';
export const IPC_DATA_PROGRESS = 'layerlab:data-progress';
export const IPC_MENU_COMMAND = 'layerlab:menu-command';

/** What an invoke handler returns; the preload turns a failure back into an Error with this exact message. */
export type IpcReply = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * Browser mode speaks JSON over one WebSocket at `/api?token=…`. Byte arrays travel as `{ $bytes: base64 }`.
 */
export type WireRequest = { kind: 'call'; id: number; method: string; args: unknown[] };
export type WireMessage =
  | { kind: 'result'; id: number; value: unknown }
  | { kind: 'failure'; id: number; message: string }
  /** Training events in the order they happened, gathered for up to one frame so a fast run cannot flood the page. */
  | { kind: 'training-events'; payload: unknown[] }
  | { kind: 'data-progress'; payload: unknown }
  | { kind: 'menu-command'; payload: unknown };
