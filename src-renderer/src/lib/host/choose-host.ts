/** Picks the host once, at start-up: the Electron preload puts `window.api` in place before the page runs. */
import { createBrowserHost } from './browser-host.js';
import { createElectronHost } from './electron-host.js';
import type { Host } from './host.js';

export function chooseHost(): Host {
  return window.api ? createElectronHost() : createBrowserHost();
}
