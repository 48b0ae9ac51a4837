/**
 * Electron main process: one window, the menu, native dialogs, and IPC handlers that pass each call to the
 * engine (which validates every argument). Only our own window's main frame may call.
 */
import { promises as fs, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  net,
  protocol,
  session,
  shell,
  type IpcMainInvokeEvent,
} from 'electron';
import type { ApiEventName, MenuCommand } from '../contract/api.js';
import { IPC_CALL, ipcEventChannel, type ApiReply } from '../contract/channels.js';
import { serveApi, shownMethodName } from '../contract/proxy.js';
import { createEngine } from '../engine/engine.js';
import type { Engine, FileKind } from '../engine/types.js';
import { CONTENT_SECURITY_POLICY } from '../server/security.js';
import { APP_SCHEME, APP_START_URL, appUrlToFile, mayOpenExternally } from './app-protocol.js';
import { chooseOpenFile, chooseSaveFile } from './dialogs.js';
import { buildMenu } from './menu.js';
import { recentProjects, rememberProject } from './recent-files.js';
import { createUtilityTrainer } from './utility-trainer.js';
import { loadWindowState, trackWindowState } from './window-state.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const isDev = !app.isPackaged && Boolean(devServerUrl);
const rendererDir = path.join(here, '../renderer');

// Before the app is ready, or the scheme is not a secure origin.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

function serveAppProtocol(): void {
  protocol.handle(APP_SCHEME, (request) => {
    const file = appUrlToFile(rendererDir, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    return net.fetch(pathToFileURL(file).toString());
  });
}

let mainWindow: BrowserWindow | null = null;
let engine: Engine | null = null;
let workspaceDir: string | null = null;
let dirty = false;
/** File > Open Recent: the next project dialog answers with this path instead of asking. */
let pendingOpen: string | null = null;
let lastFolder = app.getPath('documents');

/** Every event of the contract reaches the window on its own channel (the preload listens there). */
function sendToWindow(event: ApiEventName, payload: unknown): void {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(ipcEventChannel(event), payload);
}

function sendMenuCommand(command: MenuCommand): void {
  sendToWindow('menuCommand', command);
}

function refreshMenu(): void {
  Menu.setApplicationMenu(
    buildMenu({
      send: sendMenuCommand,
      openRecent: (filePath) => {
        pendingOpen = filePath;
        sendMenuCommand('open');
      },
      recent: recentProjects,
      isDev,
      window: () => mainWindow,
    }),
  );
}

async function remember(kind: FileKind, filePath: string | null): Promise<string | null> {
  if (!filePath) return null;
  lastFolder = path.dirname(filePath);
  if (kind === 'project') {
    await rememberProject(filePath).catch(() => {});
    refreshMenu();
  }
  return filePath;
}

async function startEngine(): Promise<Engine> {
  workspaceDir = await fs.mkdtemp(path.join(os.tmpdir(), 'layerlab-'));
  const created = createEngine({
    mode: 'electron',
    version: app.getVersion(),
    workspaceDir,
    samplesDir: path.join(app.getAppPath(), 'resources', 'samples'),
    chooseOpenFile: async (kind) => {
      if (kind === 'project' && pendingOpen) {
        const chosen = pendingOpen;
        pendingOpen = null;
        return remember(kind, chosen);
      }
      return remember(kind, await chooseOpenFile(mainWindow, kind));
    },
    chooseSaveFile: async (kind, suggestedName) =>
      remember(kind, await chooseSaveFile(mainWindow, kind, suggestedName, lastFolder)),
    spawnTrainer: () => createUtilityTrainer(path.join(here, 'trainer.js')),
    setDirty: (value) => {
      dirty = value;
      mainWindow?.setDocumentEdited(value);
    },
  });
  return created;
}

function isOurMainFrame(event: IpcMainInvokeEvent): boolean {
  return (
    !!mainWindow &&
    !mainWindow.isDestroyed() &&
    event.sender === mainWindow.webContents &&
    event.senderFrame !== null &&
    event.senderFrame === mainWindow.webContents.mainFrame
  );
}

/** Structured clone carries the contract's values as they are, so IPC needs no codec. */
function registerIpc(api: Engine): void {
  const service = serveApi(api, { emit: sendToWindow });
  ipcMain.handle(IPC_CALL, async (event, method: unknown, args: unknown): Promise<ApiReply> => {
    if (!isOurMainFrame(event)) {
      return {
        ok: false,
        message: `${shownMethodName(method)}: refused, the call did not come from the LayerLab window.`,
      };
    }
    return service.call(method, args);
  });
}

function lockDownSession(): void {
  if (!isDev) {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
      });
    });
  }
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  // The check handler answers the synchronous queries (navigator.permissions) the request handler never sees.
  session.defaultSession.setPermissionCheckHandler(() => false);
}

/** Asks before closing with unsaved changes. "Save" hands the save to the UI and keeps the window open. */
function confirmClose(window: BrowserWindow): boolean {
  if (!dirty) return true;
  const choice = dialog.showMessageBoxSync(window, {
    type: 'warning',
    buttons: ['Save…', "Don't Save", 'Cancel'],
    defaultId: 0,
    cancelId: 2,
    message: 'Save the changes to this project before closing?',
    detail: 'Your changes are lost if you close without saving.',
  });
  if (choice === 0) sendMenuCommand('save');
  return choice === 1;
}

function createWindow(): BrowserWindow {
  const state = loadWindowState();
  const window = new BrowserWindow({
    ...state.bounds,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'LayerLab',
    backgroundColor: '#1e1f24',
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      devTools: isDev,
    },
  });
  if (state.maximized) window.maximize();
  trackWindowState(window);
  window.once('ready-to-show', () => window.show());

  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.on('will-redirect', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url }) => {
    // Links to documentation open in the person's browser; nothing opens inside LayerLab.
    if (mayOpenExternally(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.on('close', (event) => {
    if (!confirmClose(window)) event.preventDefault();
  });
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });

  if (devServerUrl && isDev) void window.loadURL(devServerUrl);
  else void window.loadURL(APP_START_URL);
  return window;
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });

  app
    .whenReady()
    .then(async () => {
      serveAppProtocol();
      lockDownSession();
      engine = await startEngine();
      registerIpc(engine);
      refreshMenu();
      mainWindow = createWindow();
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
      });
    })
    .catch((error: unknown) => {
      dialog.showErrorBox('LayerLab could not start', error instanceof Error ? error.message : String(error));
      app.quit();
    });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('will-quit', () => {
    const running = engine;
    engine = null;
    void running?.dispose();
    if (workspaceDir) rmSync(workspaceDir, { recursive: true, force: true });
  });
}
