/**
 * The journey of journey.spec.ts in the desktop app itself: the built Electron main process, the sandboxed
 * preload and the training utility process. Uploads go through the renderer's file input (it exists in both
 * modes); the export goes through File > Export ONNX… with the save dialog answered in the main process.
 * Runs wherever an Electron binary and a display exist; elsewhere it is skipped with the reason.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, type ElectronApplication } from '@playwright/test';
import type { MenuItem } from 'electron';
import { locateElectron } from '../../src-main/host/start.js';
import { expect, openTab, shot, test } from './app.js';
import {
  buildIrisNetwork,
  pointsPlotted,
  predictOneRow,
  SETOSA_FLOWER,
  startIrisTraining,
  uploadCsv,
  waitForStatus,
} from './pages.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILT_MAIN = path.join(REPO_ROOT, 'out', 'main', 'index.js');
const IRIS = path.join(REPO_ROOT, 'test', 'fixtures', 'iris.csv');

const located = locateElectron();
const skipReason = !located.ok
  ? `Electron cannot run here: ${located.reason}`
  : !existsSync(BUILT_MAIN)
    ? `the desktop app is not built (${BUILT_MAIN} is missing): run npm run build`
    : null;
// The list reporter shows a skipped test without its reason, so the reason is also printed once.
if (skipReason && process.env.TEST_WORKER_INDEX === undefined) console.log(`electron.spec.ts skipped: ${skipReason}`);
test.skip(skipReason !== null, skipReason ?? '');

/** Clicks an application-menu item in the main process, as a person choosing it from the menu bar would. */
async function chooseMenuItem(app: ElectronApplication, labels: string[]): Promise<void> {
  await app.evaluate(({ Menu }, path) => {
    let items = Menu.getApplicationMenu()?.items ?? [];
    let chosen: MenuItem | undefined;
    for (const label of path) {
      chosen = items.find((item) => item.label === label);
      if (!chosen) throw new Error(`the menu has no item "${label}" (looking for ${path.join(' > ')})`);
      items = chosen.submenu?.items ?? [];
    }
    if (!chosen?.enabled) throw new Error(`${path.join(' > ')} is disabled`);
    chosen.click();
  }, labels);
}

test('electron: upload iris, build, train, evaluate, export from the File menu, predict', async () => {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'layerlab-electron-e2e-'));
  const app = await electron.launch({
    executablePath: located.ok ? located.binary : undefined,
    args: [REPO_ROOT],
    cwd: REPO_ROOT,
    // A settings folder of its own (Linux): no remembered window place or recent files, and no clash with
    // the single-instance lock of a LayerLab the developer has open.
    env: { ...process.env, XDG_CONFIG_HOME: path.join(folder, 'config') } as Record<string, string>,
  });
  try {
    const page = await app.firstWindow();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    // The desktop window: the preload's window.api, the native open button, the sample project loaded.
    await expect(page.getByTestId('dataset-name')).toBeVisible({ timeout: 60_000 });
    const mode = await page.evaluate(async () => {
      const api = (window as unknown as { api?: { appInfo(): Promise<{ mode: string }> } }).api;
      return api ? (await api.appInfo()).mode : 'no window.api';
    });
    expect(mode).toBe('electron');
    await expect(page.getByTestId('csv-open')).toBeVisible();
    await shot(page, 'electron-01-opened');

    await uploadCsv(page, IRIS);
    await expect(page.getByTestId('dataset-name')).toHaveText('iris.csv');
    await expect(page.getByTestId('dataset-rows')).toHaveText('150 rows');
    await expect(page.getByTestId('task-kind')).toContainText('3-class classification of species');

    await buildIrisNetwork(page);
    await shot(page, 'electron-02-model');

    // Training runs in Electron's utility process; the charts fill in from its events over IPC.
    await startIrisTraining(page);
    await expect.poll(() => pointsPlotted(page, 'chart-loss'), { timeout: 60_000 }).toBeGreaterThan(0);
    await waitForStatus(page, /^Finished/);
    await expect(page.getByTestId('train-progress')).toContainText('epoch 60/60');
    const accuracyText = (await page.getByTestId('val-accuracy').textContent()) ?? '';
    expect(Number(accuracyText)).toBeGreaterThanOrEqual(0.9);
    const validationRows = Number(await page.getByTestId('train-facts').getAttribute('data-validation-rows'));
    await shot(page, 'electron-03-trained');

    await openTab(page, 'results');
    const cells = page.getByTestId('confusion-matrix').locator('tbody td');
    await expect(cells).toHaveCount(9);
    const counts = (await cells.allTextContents()).map((text) => Number(text.trim()));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(validationRows);

    // File > Export ONNX… asks where to save with a native dialog; the main process answers it here.
    const target = path.join(folder, 'iris-from-menu.onnx');
    await app.evaluate(({ dialog }, filePath) => {
      dialog.showSaveDialog = (async () => ({ canceled: false, filePath })) as unknown as typeof dialog.showSaveDialog;
    }, target);
    await chooseMenuItem(app, ['File', 'Export ONNX…']);
    const parity = page.getByTestId('export-parity');
    await expect(parity).toBeVisible({ timeout: 60_000 });
    await expect(parity).toContainText('✓');
    expect(Number(await parity.getAttribute('data-max-difference'))).toBeLessThanOrEqual(1e-4);
    await expect(page.getByTestId('export-file')).toHaveText('iris-from-menu.onnx');
    // The desktop app writes the file itself: there is nothing to download.
    expect((await stat(target)).size).toBeGreaterThan(0);
    await expect(page.getByTestId('export-download')).toHaveCount(0);
    await test.info().attach('exported model', { path: target });
    await shot(page, 'electron-04-exported');

    await predictOneRow(page, SETOSA_FLOWER);
    await expect(page.getByTestId('prediction-result')).toContainText('setosa');
    await shot(page, 'electron-05-predicted');

    expect(pageErrors, 'uncaught errors in the window').toEqual([]);
  } finally {
    // The edited project is unsaved: answer "Don't Save" so closing does not wait on the question.
    await app
      .evaluate(({ dialog }) => {
        dialog.showMessageBoxSync = (() => 1) as unknown as typeof dialog.showMessageBoxSync;
      })
      .catch(() => {});
    await app.close();
    await rm(folder, { recursive: true, force: true });
  }
});
