/**
 * `npx layerlab serve` right after `npm install` has no built UI yet: build it once (the same electron-vite build
 * `npm start` runs) instead of sending the person off to run another command.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export function ensureUiBuilt(
  rendererDir: string,
  print: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): void {
  if (existsSync(path.join(rendererDir, 'index.html'))) return;
  const root = path.dirname(path.dirname(rendererDir));
  // The package's exports map hides its bin script from require.resolve, so it is found where npm installs it.
  const builder = path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  if (!existsSync(builder)) {
    throw new Error(
      `The LayerLab UI is not built (${path.join(rendererDir, 'index.html')} is missing) and the build tool is not installed: ` +
        'run npm install in the LayerLab folder, then try again.',
    );
  }
  print('Building the LayerLab UI once (npm run build)…');
  const build = spawnSync(process.execPath, [builder, 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0 || !existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(
      `Building the LayerLab UI failed (exit code ${build.status ?? 'none'}); the messages above say why. Fix them and run npm run build.`,
    );
  }
}
