/**
 * The window's own scheme: the built renderer is served as app://layerlab/… instead of file://, so the page
 * has a real origin and cannot read other files by path. Pure rules here (no Electron), tested directly;
 * index.ts registers the scheme and answers it with these.
 */
import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'layerlab';
export const APP_START_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** The file under `rendererDir` an app:// address names, or null when it names anything outside it. */
export function appUrlToFile(rendererDir: string, address: string): string | null {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (relative.includes('\0') || relative.includes('\\')) return null;
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${relative === '/' ? '/index.html' : relative}`);
  return file.startsWith(root + path.sep) ? file : null;
}

/** Hosts whose pages a link in the window may open in the person's browser; nothing else leaves the app. */
export const EXTERNAL_HOSTS: ReadonlySet<string> = new Set(['onnx.ai', 'www.tensorflow.org', 'js.tensorflow.org']);

export function mayOpenExternally(address: string): boolean {
  try {
    const url = new URL(address);
    return url.protocol === 'https:' && url.username === '' && url.password === '' && EXTERNAL_HOSTS.has(url.hostname);
  } catch {
    return false;
  }
}
