/**
 * `layerlab start`: the Electron app when it can run here, else browser mode with a plain explanation.
 * Runs in plain Node (the CLI), so it must not import 'electron' (whose module would try to download a binary).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { findPackageRoot } from '../node/package-root.js';
import { runServe } from '../server/serve.js';

/** An exit this soon after launch means Electron could not start (no display, missing libraries). */
const EARLY_EXIT_MS = 4000;

type Located = { ok: true; binary: string } | { ok: false; reason: string };

function platformExecutable(): string {
  if (process.platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  return process.platform === 'win32' ? 'electron.exe' : 'electron';
}

export function locateElectron(): Located {
  let packageDir: string;
  try {
    packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { ok: false, reason: 'the electron package is not installed' };
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = path.join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const binary = override
    ? path.join(override, relative ?? platformExecutable())
    : relative
      ? path.join(packageDir, 'dist', relative)
      : null;
  if (!binary || !existsSync(binary)) {
    return { ok: false, reason: 'the Electron binary was never downloaded into node_modules/electron' };
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { ok: false, reason: 'there is no graphical display (DISPLAY is not set)' };
  }
  return { ok: true, binary };
}

/** Resolves when Electron exits normally; rejects with the reason when it fails to start. */
function runElectron(binary: string, appDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(binary, [appDir], { stdio: ['ignore', 'inherit', 'pipe'] });
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      errors = (errors + chunk.toString()).slice(-2000);
      process.stderr.write(chunk);
    });
    child.once('error', (error) => reject(new Error(error.message)));
    child.once('exit', (code, signal) => {
      const early = Date.now() - started < EARLY_EXIT_MS;
      if ((code !== 0 || signal) && early) {
        const lastLine = errors.trim().split('\n').pop() ?? '';
        reject(new Error(lastLine || `Electron exited with ${signal ?? `code ${code}`}`));
      } else {
        resolve();
      }
    });
  });
}

/**
 * The electron package fetches its binary on first use rather than at install time. Try that once, so a user
 * online gets the desktop window; offline it fails within a second and browser mode takes over.
 */
function downloadElectronOnce(): Promise<boolean> {
  let installer: string;
  try {
    installer = path.join(path.dirname(createRequire(import.meta.url).resolve('electron/package.json')), 'install.js');
  } catch {
    return Promise.resolve(false);
  }
  if (!existsSync(installer)) return Promise.resolve(false);
  console.log('Fetching the Electron app (first start only)…');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [installer], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill(), 300_000);
    child.once('error', () => resolve(false));
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

export async function startApp(): Promise<void> {
  const root = findPackageRoot();
  let reason: string;
  let located = locateElectron();
  if (!located.ok && located.reason.includes('never downloaded')) {
    located = (await downloadElectronOnce())
      ? locateElectron()
      : { ok: false, reason: 'the Electron binary is not installed and could not be downloaded (no network?)' };
  }
  if (!located.ok) {
    reason = located.reason;
  } else if (!existsSync(path.join(root, 'out', 'main', 'index.js'))) {
    reason = 'the app is not built yet: run npm run build';
  } else {
    try {
      await runElectron(located.binary, root);
      return;
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    }
  }
  console.log(`The Electron app could not start here (${reason}). Serving LayerLab in your browser instead:`);
  await runServe({ open: true });
}
