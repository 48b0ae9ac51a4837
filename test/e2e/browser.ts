/**
 * Which Chromium the end-to-end tests drive: the system's when it has one (offline machines, CI images),
 * otherwise Playwright's own, which `ensureBrowser` fetches on first use so `npm test` stays one command.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright';

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function chromiumExecutable(): string | undefined {
  return process.env.LAYERLAB_CHROMIUM ?? SYSTEM_CHROMIUM.find((candidate) => existsSync(candidate));
}

/**
 * Makes sure a browser is there before any test starts. Without a system Chromium, Playwright's is downloaded
 * once; where that cannot work (no network), the run stops with what to install instead of a wall of failures.
 */
export function ensureBrowser(log: (line: string) => void = (line) => console.log(line)): string {
  const system = chromiumExecutable();
  if (system) return system;
  const bundled = chromium.executablePath();
  if (existsSync(bundled)) return bundled;
  log("No system Chromium found: fetching Playwright's Chromium once (npx playwright install chromium)…");
  const install = spawnSync('npx', ['playwright', 'install', 'chromium'], {
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (install.status === 0 && existsSync(chromium.executablePath())) return chromium.executablePath();
  throw new Error(
    'The browser tests need Chromium, and Playwright could not download its own (offline?). Install one of: ' +
      'Debian/Ubuntu "apt-get install chromium"; or, on a machine with network, "npx playwright install chromium"; ' +
      'or point LAYERLAB_CHROMIUM at any Chromium or Chrome executable. Then run npm test again.',
  );
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
