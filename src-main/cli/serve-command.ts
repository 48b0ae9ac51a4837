/** `layerlab serve` (browser mode) and `layerlab start` (the desktop app, or browser mode where it cannot start). */
import path from 'node:path';
import { optionalNumber, parseFlags } from './args.js';
import { ensureUiBuilt } from './ensure-ui-built.js';

const SERVE_USAGE = `Usage: layerlab serve [--port N] [--host 127.0.0.1] [--open] [--workspace DIR]
Serves the app on this machine only (127.0.0.1) with a random token in the address. Use --host 0.0.0.0 only
on a trusted network, for a remote training machine. --workspace keeps uploads and saved projects in DIR, so
they outlast the server (by default a temporary folder, removed when it stops).`;

export async function serveCommand(argv: string[]): Promise<number> {
  const values = parseFlags(
    argv,
    { port: { type: 'string' }, host: { type: 'string' }, open: { type: 'boolean' }, workspace: { type: 'string' } },
    SERVE_USAGE,
  );
  const port = optionalNumber(values, 'port', { integer: true, min: 0, max: 65535 });
  const { rendererDirectory, runServe } = await import('../server/serve.js');
  ensureUiBuilt(rendererDirectory());
  await runServe({
    port,
    host: typeof values.host === 'string' ? values.host : undefined,
    open: values.open === true,
    workspaceDir: typeof values.workspace === 'string' ? path.resolve(values.workspace) : undefined,
  });
  return 0;
}

export async function startCommand(): Promise<number> {
  const { startApp } = await import('../host/start.js');
  await startApp();
  return 0;
}
