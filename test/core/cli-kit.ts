/** Runs the real `layerlab` command as a person would, from the package folder, and keeps what it printed. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const repoRoot = path.resolve(__dirname, '../..');
const launcher = path.join(repoRoot, 'src-main/cli/launcher.mjs');

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

export async function layerlab(args: string[]): Promise<CliOutcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [launcher, ...args], { cwd: repoRoot, maxBuffer: 32 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as CliOutcome;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
