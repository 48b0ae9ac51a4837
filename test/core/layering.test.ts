/**
 * The layering rules keep each folder to what it may know: core/ knows no adapter, core/model/ and core/format/
 * (shared with the renderer) no Node, the application layer no adapter, the engine neither the server nor the
 * host, the contract only types, and the renderer only the contract and the shared code, through its aliases.
 * This runs the project's real ESLint configuration on small sources placed, by name, in each folder.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: root });
const IMPORT_RULES = new Set(['no-restricted-imports', '@typescript-eslint/no-restricted-imports']);

interface Refusal {
  line: number;
  message: string;
}

/** The import refusals ESLint reports for `source` as if it were the file at `filePath`. */
async function importRefusals(filePath: string, source: string): Promise<Refusal[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(root, filePath) });
  if (!result) throw new Error(`ESLint returned no result for ${filePath}`);
  const fatal = result.messages.filter((m) => m.fatal);
  if (fatal.length) throw new Error(`${filePath} did not parse: ${fatal.map((m) => m.message).join('; ')}`);
  return result.messages
    .filter((m) => m.ruleId && IMPORT_RULES.has(m.ruleId))
    .map((m) => ({ line: m.line, message: m.message }));
}

/** One import per line, each used so no other rule complains. */
function sourceImporting(specifiers: string[], kind: 'value' | 'type' = 'value'): string {
  const lines = specifiers.map((s, i) =>
    kind === 'type' ? `import type { T${i} } from '${s}';` : `import { v${i} } from '${s}';`,
  );
  const uses =
    kind === 'type'
      ? `export type All = ${specifiers.map((_, i) => `T${i}`).join(' | ')};`
      : `export const all = [${specifiers.map((_, i) => `v${i}`).join(', ')}];`;
  return `${lines.join('\n')}\n${uses}\n`;
}

describe('core/ imports no adapter, no application layer and no contract', () => {
  const forbidden = {
    engine: '../../engine/engine.js',
    server: '../../server/server.js',
    host: '../../host/start.js',
    cli: '../../cli/main.js',
    trainer: '../../trainer/trainer-client.js',
    app: '../../app/train-run.js',
    preload: '../../preload/index.js',
    contract: '../../contract/api.js',
  };

  for (const [folder, specifier] of Object.entries(forbidden)) {
    it(`refuses ${folder}/ from core/data/`, async () => {
      const refusals = await importRefusals('src-main/core/data/probe.ts', sourceImporting([specifier]));
      expect(refusals).toHaveLength(1);
      expect(refusals[0]?.message).toContain(`core/ must not import ${folder}/`);
    });
  }

  it('refuses Electron, and reading process.env, anywhere in core/', async () => {
    const refusals = await importRefusals('src-main/core/training/probe.ts', sourceImporting(['electron']));
    expect(refusals.map((r) => r.message)).toEqual([
      expect.stringContaining('Only the host and the preload use Electron'),
    ]);
    const [result] = await eslint.lintText('export const backend = process.env.LAYERLAB_BACKEND;\n', {
      filePath: path.join(root, 'src-main/core/training/probe.ts'),
    });
    expect(result?.messages.map((m) => m.ruleId)).toEqual(['no-restricted-properties']);
    expect(result?.messages[0]?.message).toContain('read by the adapters');
  });

  it('lets core/ use Node, its own folders and its libraries', async () => {
    expect(
      await importRefusals(
        'src-main/core/data/probe.ts',
        sourceImporting(['node:fs', '../model/spec.js', '../training/types.js', 'zod']),
      ),
    ).toEqual([]);
  });
});

describe('core/model/, core/format/ and the column rules run in the renderer too', () => {
  it('refuses Node built-ins in core/data/column-rules.ts, though the rest of core/data may use them', async () => {
    const source = sourceImporting(['node:fs']);
    expect(await importRefusals('src-main/core/data/column-rules.ts', source)).toHaveLength(1);
    expect(await importRefusals('src-main/core/data/read-csv.ts', source)).toEqual([]);
  });

  for (const folder of ['model', 'format']) {
    it(`refuses Node built-ins in core/${folder}/, with or without the node: prefix`, async () => {
      const refusals = await importRefusals(`src-main/core/${folder}/probe.ts`, sourceImporting(['node:fs', 'path']));
      expect(refusals).toHaveLength(2);
      expect(refusals.every((r) => r.message.includes('run in the renderer too: no Node built-ins'))).toBe(true);
    });

    it(`keeps the core rules in core/${folder}/ as well`, async () => {
      const refusals = await importRefusals(
        `src-main/core/${folder}/probe.ts`,
        sourceImporting(['../../engine/engine.js']),
      );
      expect(refusals.map((r) => r.message)).toEqual([expect.stringContaining('core/ must not import engine/')]);
    });
  }
});

describe('the application layer imports no adapter', () => {
  for (const folder of ['engine', 'server', 'host', 'cli', 'trainer', 'preload', 'contract']) {
    it(`refuses ${folder}/ from app/`, async () => {
      const refusals = await importRefusals('src-main/app/probe.ts', sourceImporting([`../${folder}/index.js`]));
      expect(refusals).toHaveLength(1);
      expect(refusals[0]?.message).toContain(`app/ must not import ${folder}/`);
    });
  }

  it('lets app/ use core/', async () => {
    expect(
      await importRefusals(
        'src-main/app/probe.ts',
        sourceImporting(['../core/data/index.js', '../core/project/index.js']),
      ),
    ).toEqual([]);
  });
});

describe('the engine imports neither the server nor the host', () => {
  it('refuses server/ and host/ from engine/', async () => {
    const refusals = await importRefusals(
      'src-main/engine/probe.ts',
      sourceImporting(['../server/wire.js', '../host/dialogs.js']),
    );
    expect(refusals.map((r) => r.line)).toEqual([1, 2]);
    expect(refusals[0]?.message).toContain('engine/ must not import server/');
    expect(refusals[1]?.message).toContain('engine/ must not import host/');
  });

  it('lets the engine use core/, the contract, the trainer client and node/', async () => {
    const allowed = [
      '../core/data/index.js',
      '../contract/api.js',
      '../trainer/trainer-client.js',
      '../node/package-root.js',
    ];
    expect(await importRefusals('src-main/engine/probe.ts', sourceImporting(allowed))).toEqual([]);
  });
});

describe('the contract holds types and the proxy', () => {
  it('refuses a value import from another folder but takes its types', async () => {
    const values = await importRefusals('src-main/contract/probe.ts', sourceImporting(['../core/model/spec.js']));
    expect(values).toHaveLength(1);
    expect(values[0]?.message).toContain('import types only');
    expect(
      await importRefusals(
        'src-main/contract/probe.ts',
        sourceImporting(['../core/model/spec.js', '../core/data/types.js'], 'type'),
      ),
    ).toEqual([]);
  });

  it('refuses Node and Electron, even as types', async () => {
    const refusals = await importRefusals(
      'src-main/contract/probe.ts',
      sourceImporting(['node:events', 'electron'], 'type'),
    );
    expect(refusals).toHaveLength(2);
    expect(refusals.every((r) => r.message.includes('nothing from Node or Electron'))).toBe(true);
  });

  it('lets the contract import its own files', async () => {
    expect(await importRefusals('src-main/contract/probe.ts', sourceImporting(['./api.js', './channels.js']))).toEqual(
      [],
    );
  });
});

describe('the renderer imports only the contract and the shared code, through the aliases', () => {
  it('refuses a relative path into src-main, even to the shared model code', async () => {
    const refusals = await importRefusals(
      'src-renderer/src/lib/builder/probe.ts',
      sourceImporting(['../../../../src-main/core/model/spec.js']),
    );
    expect(refusals.map((r) => r.message)).toEqual([
      expect.stringContaining('through the aliases $core/… and $contract/…'),
    ]);
  });

  it('refuses engine code behind the alias, values or types', async () => {
    const values = await importRefusals(
      'src-renderer/src/lib/data/probe.ts',
      sourceImporting(['$core/data/index.js', '$core/onnx/runner.js', '$core/data/prepare.js']),
    );
    const types = await importRefusals(
      'src-renderer/src/lib/data/probe.ts',
      sourceImporting(['$core/training/types.js'], 'type'),
    );
    expect([...values, ...types]).toHaveLength(4);
    expect([...values, ...types].every((r) => r.message.includes('only the shared model code'))).toBe(true);
  });

  it('refuses Node and Electron', async () => {
    const refusals = await importRefusals('src-renderer/src/lib/probe.ts', sourceImporting(['node:fs', 'electron']));
    expect(refusals).toHaveLength(2);
    expect(refusals.every((r) => r.message.includes('sandboxed page'))).toBe(true);
  });

  it('applies inside Svelte components too', async () => {
    const component = `<script lang="ts">\n  import type { TrainingSettings } from '$core/training/types.js';\n  let { settings }: { settings: TrainingSettings } = $props();\n</script>\n<p>{settings.epochs}</p>\n`;
    const refusals = await importRefusals('src-renderer/src/lib/train/Probe.svelte', component);
    expect(refusals).toEqual([{ line: 2, message: expect.stringContaining('only the shared model code') }]);
  });

  it('allows $core/model/, $core/format/, the column rules and $contract/', async () => {
    const allowed = [
      '$core/model/spec.js',
      '$core/data/column-rules.js',
      '$core/model/infer-shapes.js',
      '$core/format/numbers.js',
      '$contract/api.js',
    ];
    expect(await importRefusals('src-renderer/src/lib/probe.ts', sourceImporting(allowed))).toEqual([]);
  });
});

describe('the host, being an adapter, may use Electron and Node', () => {
  it('refuses nothing in host/', async () => {
    expect(
      await importRefusals('src-main/host/probe.ts', sourceImporting(['electron', 'node:fs', '../engine/engine.js'])),
    ).toEqual([]);
  });
});
