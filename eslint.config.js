import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

/**
 * Who may import whom (the idea of VS Code's code-layering check). Adapters (cli, trainer, host, server, engine,
 * preload) sit on the outside; the application layer (app/) and core/ know none of them; core/model and
 * core/format also run in the renderer, which has no Node; the contract is types (and the proxy built from them).
 */
const restrict = (...patterns) => ['error', { patterns }];
const folder = (name, message) => ({ group: [`**/${name}`, `**/${name}/**`], message });

const NO_ELECTRON = {
  group: ['electron', 'electron/*'],
  message: 'Only the host and the preload use Electron; take inputs as arguments instead.',
};
const NODE_BUILTINS = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'path/*',
  'os',
  'crypto',
  'child_process',
  'worker_threads',
  'stream',
  'stream/*',
  'url',
  'module',
  'util',
  'events',
  'http',
  'https',
  'net',
  'process',
  'buffer',
];

const CORE = [
  NO_ELECTRON,
  ...['engine', 'server', 'host', 'cli', 'trainer', 'app', 'preload', 'contract'].map((name) =>
    folder(name, `core/ must not import ${name}/: core knows no adapter, no application layer and no transport.`),
  ),
];
const SHARED_WITH_RENDERER = [
  {
    group: NODE_BUILTINS,
    message: 'core/model/, core/format/ and core/data/column-rules.ts run in the renderer too: no Node built-ins.',
  },
];
const APP = [
  NO_ELECTRON,
  ...['engine', 'server', 'host', 'cli', 'trainer', 'preload', 'contract'].map((name) =>
    folder(name, `app/ must not import ${name}/: the application layer is driven by adapters and knows none of them.`),
  ),
];
const ENGINE = [
  NO_ELECTRON,
  ...['server', 'host'].map((name) =>
    folder(name, `engine/ must not import ${name}/: the server and the host sit on top of the engine.`),
  ),
];
const CONTRACT = [
  {
    group: [...NODE_BUILTINS, 'electron', 'electron/*'],
    message: 'contract/ is shared by every process: nothing from Node or Electron.',
  },
  {
    group: ['../*', '../**'],
    allowTypeImports: true,
    message: 'contract/ holds types and the proxy: from other folders, import types only (import type).',
  },
];
const READS_ENVIRONMENT = {
  object: 'process',
  property: 'env',
  message: 'Environment variables are read by the adapters (cli, trainer, host, server) and passed in as arguments.',
};
const RENDERER = [
  {
    group: ['**/src-main', '**/src-main/**'],
    message: 'The renderer reaches src-main through the aliases $core/… and $contract/…, never a relative path.',
  },
  {
    group: [
      '$core/*',
      '!$core/model',
      '!$core/model/**',
      '!$core/format',
      '!$core/format/**',
      '!$core/data',
      '$core/data/*',
      '!$core/data/column-rules.js',
    ],
    message:
      'The renderer uses only the shared model code ($core/model/…), the formatter ($core/format/…) and the column rules ($core/data/column-rules.js); engine types come through $contract/api.js.',
  },
  {
    group: [...NODE_BUILTINS, 'electron', 'electron/*'],
    message: 'The renderer runs in a sandboxed page: no Node built-ins and no Electron (use the contract).',
  },
];

export default tseslint.config(
  {
    ignores: [
      '.venv-test/**',
      'out/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'bench-results/**',
      '.scratch/**',
      'src-main/core/onnx/proto/onnx.js',
      'src-main/core/onnx/proto/onnx.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  // Layering, folder by folder (each block lists every pattern for its files: a later block replaces the rule).
  { files: ['src-main/core/**/*.ts'], rules: { 'no-restricted-imports': restrict(...CORE) } },
  { files: ['src-main/core/**/*.ts'], rules: { 'no-restricted-properties': ['error', READS_ENVIRONMENT] } },
  {
    files: ['src-main/core/model/**/*.ts', 'src-main/core/format/**/*.ts', 'src-main/core/data/column-rules.ts'],
    rules: { 'no-restricted-imports': restrict(...CORE, ...SHARED_WITH_RENDERER) },
  },
  { files: ['src-main/app/**/*.ts'], rules: { 'no-restricted-imports': restrict(...APP) } },
  { files: ['src-main/engine/**/*.ts'], rules: { 'no-restricted-imports': restrict(...ENGINE) } },
  {
    files: ['src-main/contract/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict(...CONTRACT) },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.svelte'],
    rules: { 'no-restricted-imports': restrict(...RENDERER) },
  },
);
