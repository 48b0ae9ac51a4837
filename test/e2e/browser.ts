/**
 * Which Chromium the end-to-end tests drive: the system's when it has one (offline machines, CI images),
 * otherwise Playwright's own, which `npx playwright install chromium` fetches once.
 */
import { existsSync } from 'node:fs';

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function chromiumExecutable(): string | undefined {
  return process.env.LAYERLAB_CHROMIUM ?? SYSTEM_CHROMIUM.find((candidate) => existsSync(candidate));
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
