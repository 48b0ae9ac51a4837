/**
 * `npx layerlab serve` right after `npm install` has no built UI yet, and after an update of the sources the built
 * one is older than the engine it would talk to: build it (the same electron-vite build `npm start` runs) instead
 * of serving a page that no longer matches, or sending the person off to run another command.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The sources the built UI is made from: the window's own and everything of src-main it bundles. */
const UI_SOURCES = ['src-renderer', 'src-main'];

function newestChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Built, and no newer than its sources (a packaged app ships no sources, so its build always counts as current). */
function isCurrent(root: string, builtPage: string): boolean {
  if (!existsSync(builtPage)) return false;
  const built = statSync(builtPage).mtimeMs;
  return UI_SOURCES.every((folder) => {
    const dir = path.join(root, folder);
    return !existsSync(dir) || newestChange(dir) <= built;
  });
}

export function ensureUiBuilt(
  rendererDir: string,
  print: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): void {
  const root = path.dirname(path.dirname(rendererDir));
  if (isCurrent(root, path.join(rendererDir, 'index.html'))) return;
  // The package's exports map hides its bin script from require.resolve, so it is found where npm installs it.
  const builder = path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  if (!existsSync(builder)) {
    throw new Error(
      `The LayerLab UI (${path.join(rendererDir, 'index.html')}) is missing or older than its sources, and the build tool is not installed: ` +
        'run npm install in the LayerLab folder, then try again.',
    );
  }
  print('Building the LayerLab UI (npm run build): it is missing or older than its sources…');
  const build = spawnSync(process.execPath, [builder, 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0 || !existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(
      `Building the LayerLab UI failed (exit code ${build.status ?? 'none'}); the messages above say why. Fix them and run npm run build.`,
    );
  }
}
