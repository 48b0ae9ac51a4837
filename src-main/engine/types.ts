/**
 * What differs between the Electron host and browser mode, seen from the engine. The engine itself (engine.ts
 * and the parts it wires) is the same in both: it keeps datasets, projects, runs and ONNX models in memory by
 * id and never hands a path to the UI.
 */
import type { LayerLabApi } from '../contract/api.js';
import type { ApiBackend } from '../contract/proxy.js';
import type { TrainerHandle } from '../trainer/trainer-client.js';

export type FileKind = 'csv' | 'project' | 'onnx' | 'predictions' | 'script';

export interface EngineHost {
  mode: 'electron' | 'browser';
  /** LayerLab's version, for appInfo and the ONNX metadata. */
  version: string;
  /** A folder this session owns: uploads, unsaved runs' weights, browser-mode saves. */
  workspaceDir: string;
  /** resources/samples: sample CSVs and the sample project. */
  samplesDir: string;
  /** Electron: a native open dialog. Browser mode: null (the UI uploads instead). */
  chooseOpenFile(kind: FileKind): Promise<string | null>;
  /**
   * Electron: a native save dialog (null when cancelled). Browser mode: a path in the workspace; the file then
   * reaches the person through `offerDownload`.
   */
  chooseSaveFile(kind: FileKind, suggestedName: string): Promise<string | null>;
  /** Browser mode: a URL the page can download `filePath` from. Electron: absent (the file is already saved). */
  offerDownload?(filePath: string, fileName: string): string;
  /** A fresh training process for one run (Node: a child process; Electron: a utilityProcess). */
  spawnTrainer(): TrainerHandle;
  /** Electron: remembers unsaved changes to ask before closing. */
  setDirty?(dirty: boolean): void;
}

/**
 * The whole contract, plus `invoke` and `on`: the single entries by name that IPC and the WebSocket are served
 * through (contract/proxy.ts's `serveApi`), so neither lists a method or an event by hand.
 */
export interface Engine extends LayerLabApi, ApiBackend {
  /** Stops running trainers and forgets everything. */
  dispose(): Promise<void>;
}
