/**
 * Finds LayerLab's own folder (the one with its package.json), wherever the code runs from. It sits in node/,
 * beside no adapter, so the engine, the server and the host can all use it without importing one another.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function findPackageRoot(start = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'layerlab') return dir;
      } catch {
        // A damaged package.json further down is not ours; keep looking.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Could not find the LayerLab package folder above ${start}.`);
    dir = parent;
  }
}

export function packageVersion(root = findPackageRoot()): string {
  return (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
}
