/**
 * How long a person waits after `npm start`: the build step, then `layerlab start` (which falls back to browser
 * mode where Electron cannot run) until the printed address, opened in Chromium, shows a window ready to train.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright';
import { waitUntilReadyToTrain } from './ui-page.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LAUNCHER = path.join(REPO_ROOT, 'src-main', 'cli', 'launcher.mjs');
const TOKENED_URL = /(http:\/\/\S+\/\?token=[A-Za-z0-9_-]+)/;

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Seconds `npm run build` takes (the step `npm start` runs before the app). */
export async function timeBuild(): Promise<number> {
  const started = performance.now();
  const child = spawn('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const code = await exited(child);
  if (code !== 0) throw new Error(`npm run build failed (exit code ${code}):\n${output}`);
  return (performance.now() - started) / 1000;
}

export interface StartTiming {
  /** From spawning the launcher to the address appearing on its output. */
  secondsToUrl: number;
  /** From spawning the launcher to the page being ready to train. */
  secondsToInteractive: number;
  url: string;
}

function waitForUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => finish(new Error(`no address printed within ${timeoutMs / 1000} s; output so far:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const found = TOKENED_URL.exec(output);
      if (found) finish(null, found[1]);
    };
    const onExit = (code: number | null): void =>
      finish(new Error(`the launcher exited (code ${code}) before printing an address:\n${output}`));
    function finish(error: Error | null, url?: string): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(url as string);
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Ends the launcher and everything it started in its process group: politely first, then for sure. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // The group is already gone.
    }
  };
  signalGroup('SIGTERM');
  const done = exited(child);
  const timedOut = await Promise.race([
    done.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 10_000)),
  ]);
  if (timedOut) {
    signalGroup('SIGKILL');
    await done;
  }
}

/**
 * One start of the app, measured from spawn. The browser is already running (as a person's would be); the
 * launcher's own attempt to open a browser is turned into a no-op through BROWSER so nothing else appears.
 */
export async function timeStartToInteractive(browser: Browser): Promise<StartTiming> {
  const started = performance.now();
  const child = spawn(process.execPath, [LAUNCHER, 'start'], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, BROWSER: 'true' },
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const url = await waitForUrl(child, 60_000);
    const secondsToUrl = (performance.now() - started) / 1000;
    const page = await context.newPage();
    await page.goto(url);
    // Interactive: the sample project's dataset is on the Data tab and Start can be pressed.
    await page.getByTestId('dataset-name').waitFor({ state: 'visible', timeout: 60_000 });
    await waitUntilReadyToTrain(page, 60_000);
    return { secondsToUrl, secondsToInteractive: (performance.now() - started) / 1000, url };
  } finally {
    await context.close();
    await stopGroup(child);
  }
}
