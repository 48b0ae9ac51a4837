/**
 * The application menu. Items that act on the document are the application commands of contract/app-commands.ts,
 * sent to the renderer, which runs them through the same registry as its buttons and keys.
 */
import path from 'node:path';
import { app, dialog, Menu, shell, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../contract/api.js';
import { APP_COMMANDS, type MenuSection } from '../contract/app-commands.js';

export interface MenuActions {
  send(command: MenuCommand): void;
  openRecent(filePath: string): void;
  recent(): string[];
  isDev: boolean;
  window(): BrowserWindow | null;
}

/** The items of one menu section, in declaration order, with a separator between groups. */
function commandItems(section: MenuSection, send: (command: MenuCommand) => void): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = [];
  let group: number | null = null;
  for (const command of APP_COMMANDS.filter((declared) => declared.section === section)) {
    if (group !== null && command.group !== group) items.push({ type: 'separator' });
    group = command.group;
    items.push({
      id: command.id,
      label: command.label,
      accelerator: command.accelerators[0],
      click: () => send(command.id),
    });
  }
  return items;
}

export function buildMenu(actions: MenuActions): Menu {
  const recent = actions.recent();
  const isMac = process.platform === 'darwin';
  const openRecent: MenuItemConstructorOptions = {
    label: 'Open Recent',
    enabled: recent.length > 0,
    submenu: recent.map((filePath) => ({ label: filePath, click: () => actions.openRecent(filePath) })),
  };
  const file = commandItems('file', actions.send);
  // Open Recent belongs to the host (it knows the paths), next to the Open command.
  file.splice(file.findIndex((item) => item.id === 'open') + 1, 0, openRecent);

  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [...file, { type: 'separator' }, isMac ? { role: 'close' } : { role: 'quit', label: 'Quit' }],
    },
    {
      label: 'Edit',
      submenu: [
        ...commandItems('edit', actions.send),
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    { label: 'Training', submenu: commandItems('training', actions.send) },
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
