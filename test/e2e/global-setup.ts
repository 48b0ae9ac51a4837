/**
 * Starts the real browser-mode server (engine, WebSocket API, built UI) once for the whole run and hands
 * its tokened address to the tests through LAYERLAB_E2E_URL. The returned function closes it.
 */
import { rendererDirectory } from '../../src-main/server/serve.js';
import { startServer } from '../../src-main/server/server.js';
import { ensureBrowser } from './browser.js';

export default async function globalSetup(): Promise<() => Promise<void>> {
  ensureBrowser();
  const server = await startServer({ host: '127.0.0.1', port: 0, rendererDir: rendererDirectory() });
  process.env.LAYERLAB_E2E_URL = server.url;
  return () => server.close();
}
