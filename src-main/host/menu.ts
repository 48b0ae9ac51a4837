/** The application menu. Items that act on the document are MenuCommands handled by the renderer. */
import path from 'node:path';
import { app, dialog, Menu, shell, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../contract/api.js';

export interface MenuActions {
  send(command: MenuCommand): void;
  openRecent(filePath: string): void;
  recent(): string[];
  isDev: boolean;
  window(): BrowserWindow | null;
}

export function buildMenu(actions: MenuActions): Menu {
  const item = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => actions.send(command),
  });
  const recent = actions.recent();
  const isMac = process.platform === 'darwin';

  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        item('New', 'new', 'CmdOrCtrl+N'),
        item('Open…', 'open', 'CmdOrCtrl+O'),
        {
          label: 'Open Recent',
          enabled: recent.length > 0,
          submenu: recent.map((filePath) => ({ label: filePath, click: () => actions.openRecent(filePath) })),
        },
        { type: 'separator' },
        item('Save', 'save', 'CmdOrCtrl+S'),
        item('Save As…', 'saveAs', 'CmdOrCtrl+Shift+S'),
        { type: 'separator' },
        item('Import CSV…', 'importCsv', 'CmdOrCtrl+I'),
        item('Export ONNX…', 'exportOnnx', 'CmdOrCtrl+E'),
        item('Open ONNX Model…', 'openOnnx'),
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit', label: 'Quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        item('Undo', 'undo', 'CmdOrCtrl+Z'),
        item('Redo', 'redo', isMac ? 'Cmd+Shift+Z' : 'Ctrl+Y'),
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        ...(actions.isDev ? [{ role: 'reload' as const }, { role: 'forceReload' as const }] : []),
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Help',
      submenu: [
        {
          label: 'About LayerLab',
          click: () => {
            const options = {
              type: 'info' as const,
              title: 'About LayerLab',
              message: `LayerLab ${app.getVersion()}`,
              detail: `Build, train and export neural networks for tabular data on your own machine.\n\nElectron ${process.versions.electron} · Node ${process.versions.node}`,
            };
            const window = actions.window();
            if (window) void dialog.showMessageBox(window, options);
            else void dialog.showMessageBox(options);
          },
        },
        {
          label: 'Documentation',
          click: () => void shell.openPath(path.join(app.getAppPath(), 'README.md')),
        },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
