/** The window comes back where the person left it, as long as that place is still on a screen. */
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { app, screen, type BrowserWindow, type Rectangle } from 'electron';

interface WindowState {
  bounds: Rectangle;
  maximized: boolean;
}

const DEFAULT_SIZE = { width: 1280, height: 820 };

function stateFile(): string {
  return path.join(app.getPath('userData'), 'window-state.json');
}

function isVisible(bounds: Rectangle): boolean {
  return screen
    .getAllDisplays()
    .some(
      ({ workArea }) =>
        bounds.x < workArea.x + workArea.width - 40 &&
        bounds.x + bounds.width > workArea.x + 40 &&
        bounds.y < workArea.y + workArea.height - 40 &&
        bounds.y >= workArea.y - 10,
    );
}

function isRectangle(value: unknown): value is Rectangle {
  const r = value as Rectangle | null;
  return !!r && [r.x, r.y, r.width, r.height].every((n) => Number.isFinite(n)) && r.width >= 400 && r.height >= 300;
}

export function loadWindowState(): WindowState {
  try {
    const saved = JSON.parse(readFileSync(stateFile(), 'utf8')) as Partial<WindowState>;
    if (isRectangle(saved.bounds) && isVisible(saved.bounds))
      return { bounds: saved.bounds, maximized: saved.maximized === true };
  } catch {
    // First start or an unreadable file: use the default size.
  }
  const { workArea } = screen.getPrimaryDisplay();
  const width = Math.min(DEFAULT_SIZE.width, workArea.width);
  const height = Math.min(DEFAULT_SIZE.height, workArea.height);
  return {
    bounds: {
      x: workArea.x + Math.round((workArea.width - width) / 2),
      y: workArea.y + Math.round((workArea.height - height) / 2),
      width,
      height,
    },
    maximized: false,
  };
}

/** Saves the normal (unmaximized) bounds whenever the window moves, resizes or closes. */
export function trackWindowState(window: BrowserWindow): void {
  let timer: NodeJS.Timeout | null = null;
  const save = () => {
    if (window.isDestroyed() || window.isMinimized()) return;
    const state: WindowState = { bounds: window.getNormalBounds(), maximized: window.isMaximized() };
    fs.mkdir(path.dirname(stateFile()), { recursive: true })
      .then(() => fs.writeFile(stateFile(), JSON.stringify(state)))
      .catch(() => {});
  };
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 400);
  };
  window.on('resize', later);
  window.on('move', later);
  window.on('close', () => {
    if (timer) clearTimeout(timer);
    save();
  });
}
