/**
 * The layering rule is what keeps the engine host-free: core/ never reaches for Electron or the host, and
 * core/model/ (shared with the renderer) never for Node. This runs the project's real ESLint configuration on
 * small sources placed, by name, in each folder.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function importErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(root, filePath) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import layering', () => {
  it('core/ may not import electron or the host', async () => {
    const errors = await importErrors(
      'src-main/core/data/probe.ts',
      "import { app } from 'electron';\nimport { startApp } from '../../host/start.js';\nexport const x = [app, startApp];\n",
    );
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/core\/ must not depend on Electron/);
    expect(errors[1]).toMatch(/core\/ must not import the Electron host/);
  });

  it('core/model/ may not import Node built-ins, which the renderer lacks', async () => {
    const errors = await importErrors(
      'src-main/core/model/probe.ts',
      "import { readFileSync } from 'node:fs';\nimport path from 'path';\nexport const x = [readFileSync, path];\n",
    );
    expect(errors).toHaveLength(2);
    expect(errors.every((e) => /runs in the renderer too/.test(e))).toBe(true);
  });

  it('elsewhere in core, Node is allowed; and the host may use Electron', async () => {
    expect(await importErrors('src-main/core/data/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).toEqual([]);
    expect(await importErrors('src-main/host/probe.ts', "import { app } from 'electron';\nexport const x = app;\n")).toEqual([]);
  });
});
