/**
 * The engine's host in plain Node (browser mode, tests): no dialogs, files live in the session workspace, and
 * training runs in a forked Node child process.
 */
import path from 'node:path';
import { findPackageRoot, packageVersion } from '../node/package-root.js';
import { spawnTrainer } from '../trainer/trainer-client.js';
import type { EngineHost } from './types.js';
import { freshPath } from './workspace.js';

export interface NodeHostOptions {
  mode?: EngineHost['mode'];
  workspaceDir: string;
  /** Browser mode: turns a saved file into a URL the page can download. */
  offerDownload?: (filePath: string, fileName: string) => string;
  samplesDir?: string;
}

export function createNodeHost(options: NodeHostOptions): EngineHost {
  const root = findPackageRoot();
  return {
    mode: options.mode ?? 'browser',
    version: packageVersion(root),
    workspaceDir: options.workspaceDir,
    samplesDir: options.samplesDir ?? path.join(root, 'resources', 'samples'),
    // The page cannot name files on this machine: it uploads instead.
    chooseOpenFile: async () => null,
    // Saves land in the workspace; the page then downloads them (offerDownload).
    chooseSaveFile: async (_kind, suggestedName) => freshPath(options.workspaceDir, 'saved', suggestedName),
    offerDownload: options.offerDownload,
    spawnTrainer: () => spawnTrainer(),
  };
}
