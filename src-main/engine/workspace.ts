/** Files the engine writes for this session (uploads, unsaved runs, browser-mode saves). */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { EngineHost } from './types.js';

/** Keeps what a person may recognise of an uploaded name, and nothing a file system could misread. */
export function safeFileName(name: string, fallback = 'file'): string {
  const cleaned = path
    .basename(name)
    .replace(/[^A-Za-z0-9._ -]/g, '_')
    .replace(/^\.+/, '')
    .trim();
  return cleaned.slice(0, 120) || fallback;
}

/** A path in `dir/sub` for `name` that does not exist yet (name, name-2, name-3, ...). */
export async function freshPath(dir: string, sub: string, name: string): Promise<string> {
  const folder = path.join(dir, sub);
  await fs.mkdir(folder, { recursive: true });
  const safe = safeFileName(name);
  const dot = safe.indexOf('.', 1);
  const stem = dot > 0 ? safe.slice(0, dot) : safe;
  const ext = dot > 0 ? safe.slice(dot) : '';
  for (let n = 1; ; n++) {
    const candidate = path.join(folder, n === 1 ? safe : `${stem}-${n}${ext}`);
    try {
      await fs.access(candidate);
    } catch {
      return candidate;
    }
  }
}

/** Browser mode: a URL the page downloads a saved file from. Electron: undefined, the file is already where it was chosen. */
export async function offerSaved(host: EngineHost, filePath: string): Promise<string | undefined> {
  return host.offerDownload?.(filePath, path.basename(filePath));
}

/** Whether `filePath` lies inside `dir` (the workspace holds what may not outlive the session). */
export function isInside(dir: string, filePath: string): boolean {
  const relative = path.relative(path.resolve(dir), path.resolve(filePath));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
