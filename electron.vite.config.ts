/**
 * Three builds: the Electron main process (host + the training process entry), the sandboxed preload
 * (CommonJS: sandboxed preloads cannot be ES modules) and the Svelte renderer.
 */
import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';

const root = import.meta.dirname;

/** The renderer's names for the shared code in src-main (the same as `paths` in tsconfig.base.json). */
export const sharedCodeAliases = {
  $core: resolve(root, 'src-main/core'),
  $contract: resolve(root, 'src-main/contract'),
};

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // Native and wasm files must stay in node_modules where their loaders look for them.
      externalizeDeps: {
        include: [
          'onnxruntime-node',
          '@tensorflow/tfjs',
          '@tensorflow/tfjs-backend-wasm',
          '@tensorflow/tfjs-node',
          'ws',
        ],
      },
      rollupOptions: {
        input: {
          index: resolve(root, 'src-main/host/index.ts'),
          trainer: resolve(root, 'src-main/trainer/trainer-main.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'src-main/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    resolve: { alias: sharedCodeAliases },
    plugins: [svelte()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      // The same bundle is served to browsers in browser mode, so it is minified like any web page.
      minify: true,
      rollupOptions: { input: { index: resolve(root, 'src-renderer/index.html') } },
    },
  },
});
