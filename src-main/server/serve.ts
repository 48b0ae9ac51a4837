/**
 * `layerlab serve` and the browser fallback of `layerlab start`: serve the built UI on loopback and print the
 * address to open.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { findPackageRoot } from '../node/package-root.js';
import { isLoopbackHost, startServer } from './server.js';

export interface ServeOptions {
  port?: number;
  /** 127.0.0.1 by default; 0.0.0.0 only when asked, for a remote training machine. */
  host?: string;
  /** Open the address in the default browser. */
  open?: boolean;
  /** Where uploads and saved projects are kept across restarts; a temporary folder by default. */
  workspaceDir?: string;
  /** Where messages go (console.log by default). */
  print?: (line: string) => void;
}

export interface ServingBrowserMode {
  url: string;
  close(): Promise<void>;
}

export function rendererDirectory(root = findPackageRoot()): string {
  return path.join(root, 'out', 'renderer');
}

function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No browser launcher here: the printed address is enough.
  }
}

export async function serveBrowserMode(options: ServeOptions = {}): Promise<ServingBrowserMode> {
  const print = options.print ?? ((line: string) => console.log(line));
  const rendererDir = rendererDirectory();
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(
      `The LayerLab UI is not built yet (${path.join(rendererDir, 'index.html')} is missing): run npm run build, then try again.`,
    );
  }
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    print(
      `WARNING: serving on ${host}: other machines that can reach this one can open LayerLab with the address below.`,
    );
    print('Anyone holding the address (it contains the session token) can read and write files through LayerLab.');
  }
  if (options.workspaceDir) await mkdir(options.workspaceDir, { recursive: true });
  const server = await startServer({ host, port: options.port ?? 0, rendererDir, workspaceDir: options.workspaceDir });
  print(`LayerLab is running at ${server.url}`);
  print('Open that address in your browser. Press Ctrl+C to stop.');
  if (options.open) openInBrowser(server.url);
  return { url: server.url, close: () => server.close() };
}

/** Serves until Ctrl+C (or SIGTERM), then closes cleanly. */
export async function runServe(options: ServeOptions = {}): Promise<void> {
  const serving = await serveBrowserMode(options);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await serving.close();
}
