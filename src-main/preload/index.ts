/**
 * Builds `window.api` from the contract. Sandboxed preloads are CommonJS and may only require 'electron', so
 * this file imports nothing else at run time (the contract's constants are inlined by the bundler).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { API_METHODS, type DataProgress, type MenuCommand, type RunEvent } from '../contract/api.js';
import { IPC_DATA_PROGRESS, IPC_INVOKE_PREFIX, IPC_MENU_COMMAND, IPC_TRAINING_EVENT, type IpcReply } from '../contract/channels.js';

function subscribe<T>(channel: string, listener: (payload: T) => void): () => void {
  const relay = (_event: IpcRendererEvent, payload: T) => listener(payload);
  ipcRenderer.on(channel, relay);
  return () => {
    ipcRenderer.removeListener(channel, relay);
  };
}

const api: Record<string, unknown> = {};
for (const method of API_METHODS) {
  api[method] = async (...args: unknown[]) => {
    const reply = (await ipcRenderer.invoke(IPC_INVOKE_PREFIX + method, ...args)) as IpcReply;
    if (reply.ok) return reply.value;
    throw new Error(reply.message);
  };
}
api.onTrainingEvent = (listener: (event: RunEvent) => void) => subscribe(IPC_TRAINING_EVENT, listener);
api.onDataProgress = (listener: (progress: DataProgress) => void) => subscribe(IPC_DATA_PROGRESS, listener);
api.onMenuCommand = (listener: (command: MenuCommand) => void) => subscribe(IPC_MENU_COMMAND, listener);

contextBridge.exposeInMainWorld('api', api);
