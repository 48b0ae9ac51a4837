/**
 * Builds `window.api` from the contract with the generic client (contract/proxy.ts) over Electron IPC.
 * Sandboxed preloads are CommonJS and may only require 'electron', so this file imports nothing else at run
 * time (the contract's code is inlined by the bundler).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CALL, ipcEventChannel, type ApiReply } from '../contract/channels.js';
import { createApiClient, unwrapReply } from '../contract/proxy.js';

const api = createApiClient({
  call: async (method, args) => unwrapReply((await ipcRenderer.invoke(IPC_CALL, method, args)) as ApiReply),
  subscribe: (event, listener) => {
    const channel = ipcEventChannel(event);
    const relay = (_event: IpcRendererEvent, payload: Parameters<typeof listener>[0]) => listener(payload);
    ipcRenderer.on(channel, relay);
    return () => {
      ipcRenderer.removeListener(channel, relay);
    };
  },
});

contextBridge.exposeInMainWorld('api', api);
