/** Native file dialogs per kind of file the engine asks for. */
import path from 'node:path';
import { dialog, type BrowserWindow, type FileFilter } from 'electron';
import type { FileKind } from '../engine/types.js';

const FILTERS: Record<FileKind, FileFilter[]> = {
  csv: [
    { name: 'CSV files', extensions: ['csv', 'tsv', 'txt'] },
    { name: 'All files', extensions: ['*'] },
  ],
  project: [{ name: 'LayerLab projects', extensions: ['json'] }],
  onnx: [{ name: 'ONNX models', extensions: ['onnx'] }],
  predictions: [{ name: 'CSV files', extensions: ['csv'] }],
  script: [{ name: 'Python scripts', extensions: ['py'] }],
};

const OPEN_TITLES: Record<FileKind, string> = {
  csv: 'Import a CSV file',
  project: 'Open a LayerLab project',
  onnx: 'Open an ONNX model',
  predictions: 'Open predictions',
  script: 'Open a training script',
};

const SAVE_TITLES: Record<FileKind, string> = {
  csv: 'Save CSV',
  project: 'Save the project',
  onnx: 'Export the model to ONNX',
  predictions: 'Save the predictions',
  script: 'Save the training script',
};

export async function chooseOpenFile(window: BrowserWindow | null, kind: FileKind): Promise<string | null> {
  const options = { title: OPEN_TITLES[kind], filters: FILTERS[kind], properties: ['openFile' as const] };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

export async function chooseSaveFile(
  window: BrowserWindow | null,
  kind: FileKind,
  suggestedName: string,
  folder: string,
): Promise<string | null> {
  const options = { title: SAVE_TITLES[kind], filters: FILTERS[kind], defaultPath: path.join(folder, suggestedName) };
  const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? null : result.filePath;
}
