import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench-results/**', '.scratch/**', 'src-main/core/onnx/proto/onnx.js', 'src-main/core/onnx/proto/onnx.d.ts'] },
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
  // The engine never knows its host: it must run the same under Electron, the CLI and the tests.
  {
    files: ['src-main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'core/ must not depend on Electron; take inputs as arguments instead.' },
          { group: ['**/host/**', '**/host'], message: 'core/ must not import the Electron host.' },
        ],
      }],
    },
  },
  // The model folder is shared with the renderer, which has no Node.
  {
    files: ['src-main/core/model/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'core/ must not depend on Electron.' },
          { group: ['**/host/**', '**/host'], message: 'core/ must not import the Electron host.' },
          { group: ['node:*'], message: 'core/model/ runs in the renderer too: no Node built-ins.' },
          { group: ['fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads', 'stream'], message: 'core/model/ runs in the renderer too: no Node built-ins.' },
        ],
      }],
    },
  },
);
