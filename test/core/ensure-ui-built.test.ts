/** `layerlab serve` builds the UI when it is missing or older than its sources, and leaves a current one alone. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureUiBuilt } from '../../src-main/cli/ensure-ui-built.js';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A package folder with one renderer source and, when asked, a built page; no build tool is installed in it. */
function packageFolder(built: boolean): { rendererDir: string; source: string } {
  root = mkdtempSync(path.join(os.tmpdir(), 'layerlab-ui-'));
  const source = path.join(root, 'src-renderer', 'src', 'main.ts');
  mkdirSync(path.dirname(source), { recursive: true });
  writeFileSync(source, 'export {};\n');
  const rendererDir = path.join(root, 'out', 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  if (built) writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html>');
  return { rendererDir, source };
}

describe('ensureUiBuilt', () => {
  it('leaves a build newer than every source alone', () => {
    const { rendererDir, source } = packageFolder(true);
    const past = new Date(Date.now() - 60_000);
    utimesSync(source, past, past);
    const printed: string[] = [];
    ensureUiBuilt(rendererDir, (line) => printed.push(line));
    expect(printed).toEqual([]);
  });

  it('rebuilds when a source changed after the build (here: says the build tool is missing)', () => {
    const { rendererDir, source } = packageFolder(true);
    const later = new Date(Date.now() + 60_000);
    utimesSync(source, later, later);
    expect(() => ensureUiBuilt(rendererDir, () => {})).toThrow(/older than its sources.*run npm install/);
  });

  it('builds when there is no build at all', () => {
    const { rendererDir } = packageFolder(false);
    expect(() => ensureUiBuilt(rendererDir, () => {})).toThrow(/index\.html\) is missing/);
  });
});
