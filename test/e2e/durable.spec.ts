/**
 * Nothing is lost with the window or the server: a reload in the middle of a run finds the run still going,
 * its charts filled in from the points before the reload and going on live until it finishes; a project saved
 * in browser mode opens in a new server on the same workspace with both its runs, their results, and an export
 * of the first run that holds the first run's weights.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { rendererDirectory } from '../../src-main/server/serve.js';
import { startServer, type RunningServer } from '../../src-main/server/server.js';
import { expect, openTab, shot, test } from './app.js';
import { downloadedParameterCount, totalParams } from './exported-model.js';
import { pointsPlotted, selectCard, setField, setNumber, uploadCsv, waitForStatus } from './pages.js';

/** Not the iris sample a fresh server opens (that would be found by its content, not as the project's copy). */
const WINE = path.resolve('test/fixtures/wine.csv');

/** Runs long enough to reload in the middle of: many small batches, no early stopping. */
async function startLongRun(page: Page, epochs: number): Promise<void> {
  await openTab(page, 'train');
  await setNumber(page, 'epochs', String(epochs));
  await setNumber(page, 'batch-size', '4');
  const earlyStopping = page.getByTestId('early-stopping');
  if (await earlyStopping.isChecked()) await earlyStopping.uncheck();
  await page.getByTestId('train-start').click();
}

/**
 * Iris-shaped (four measurements, three species, so the sample's model fits it) but 20,000 rows, seeded: with
 * batches of 4 an epoch is thousands of steps, so a reload lands mid-run however fast training is.
 */
function writeLongIrisLikeCsv(): string {
  let seed = 20261202;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const species = ['setosa', 'versicolor', 'virginica'];
  const lines = ['sepal_length,sepal_width,petal_length,petal_width,species'];
  for (let i = 0; i < 20_000; i++) {
    const k = i % 3;
    const cells = [5 + k * 0.8, 3.4 - k * 0.3, 1.5 + k * 2, 0.3 + k * 0.8].map((centre) =>
      (centre + next() - 0.5).toFixed(2),
    );
    lines.push(`${cells.join(',')},${species[k]}`);
  }
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'layerlab-e2e-long-')), 'long-iris.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

test('a reload in the middle of a run finds it going, its charts resumed, until it finishes', async ({ app: page }) => {
  test.setTimeout(300_000);
  const epochs = 24;
  await uploadCsv(page, writeLongIrisLikeCsv());
  await expect(page.getByTestId('dataset-name')).toHaveText('long-iris.csv');
  await startLongRun(page, epochs);
  await waitForStatus(page, /^Training/, 60_000);
  await expect.poll(() => pointsPlotted(page, 'chart-metric'), { timeout: 120_000 }).toBeGreaterThanOrEqual(3);
  const beforeReload = await pointsPlotted(page, 'chart-metric');
  expect(beforeReload).toBeLessThan(epochs);

  // The page may still ask before it goes; leaving must not lose the run.
  page.on('dialog', (dialog) => void dialog.accept());
  await page.reload();
  await expect(page.getByTestId('dataset-name')).toHaveText('long-iris.csv');
  await openTab(page, 'train');
  await waitForStatus(page, /^Training/, 30_000);
  // The points from before the reload are there at once, and new ones keep arriving from the live run.
  expect(await pointsPlotted(page, 'chart-metric')).toBeGreaterThanOrEqual(beforeReload);
  const atReload = await pointsPlotted(page, 'chart-metric');
  await expect.poll(() => pointsPlotted(page, 'chart-metric'), { timeout: 120_000 }).toBeGreaterThan(atReload);
  await expect(page.getByTestId('epochs')).toHaveValue(String(epochs));
  await shot(page, 'durable-01-reloaded-mid-run');

  await waitForStatus(page, /^Finished/);
  // Every epoch once in each plotted series: none lost across the reload, none twice.
  const plotted = await pointsPlotted(page, 'chart-metric');
  expect(plotted % epochs).toBe(0);
  expect(plotted / epochs).toBeGreaterThanOrEqual(1);
  expect(plotted / epochs).toBeLessThanOrEqual(2);
  await openTab(page, 'results');
  await expect(page.getByTestId('results-run')).toContainText('Run 1 — ');
  await expect(page.getByTestId('results-run')).toContainText(`${epochs} epochs`);
  await expect(page.getByTestId('results-accuracy')).toBeVisible();
});

test.describe('a project saved in browser mode, after the server restarts', () => {
  let workspaceDir: string;
  let server: RunningServer | null = null;
  /** The project as the browser downloaded it, for the next test to open again. */
  let savedProject = '';

  test.beforeAll(() => {
    workspaceDir = mkdtempSync(path.join(os.tmpdir(), 'layerlab-e2e-restart-'));
  });

  test.afterAll(async () => {
    await server?.close();
    rmSync(workspaceDir, { recursive: true, force: true });
  });

  async function openServer(page: Page): Promise<void> {
    server = await startServer({ host: '127.0.0.1', port: 0, rendererDir: rendererDirectory(), workspaceDir });
    await page.goto(server.url);
    await expect(page.getByTestId('dataset-name')).toBeVisible();
  }

  async function trainEightEpochs(page: Page): Promise<void> {
    await openTab(page, 'train');
    await setNumber(page, 'epochs', '8');
    await page.getByTestId('train-start').click();
    await waitForStatus(page, /^Finished/);
  }

  test('lists both runs, shows their results, and exports the first run’s model', async ({ page }, testInfo) => {
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await openServer(page);

    // An uploaded CSV (it lives in this server's workspace), two runs of two different models, then Save.
    await uploadCsv(page, WINE);
    await expect(page.getByTestId('dataset-name')).toHaveText('wine.csv');
    const paramsA = await totalParams(page);
    await trainEightEpochs(page);
    await openTab(page, 'model');
    await selectCard(page, 0);
    await setField(page, 'units', '24');
    const paramsB = await totalParams(page);
    expect(paramsB).not.toBe(paramsA);
    await trainEightEpochs(page);
    const downloading = page.waitForEvent('download');
    await page.getByTestId('project-save').click();
    const download = await downloading;
    const saved = testInfo.outputPath(download.suggestedFilename());
    await download.saveAs(saved);
    savedProject = saved;

    // A new server on the same workspace: the page starts afresh, and the saved file is opened again.
    await server!.close();
    server = null;
    await openServer(page);
    await page.getByTestId('project-upload').setInputFiles(saved);
    await expect(page.getByTestId('dataset-name')).toHaveText('wine.csv');
    await expect(page.getByTestId('dataset-problem')).toHaveCount(0);

    await openTab(page, 'export');
    const picker = page.getByTestId('export-run-picker');
    await expect(picker.locator('option', { hasText: /^Run \d —/ })).toHaveCount(2);
    await expect(picker.locator('option', { hasText: 'Run 2 — ' })).toHaveCount(1);
    const runA = await picker.locator('option', { hasText: 'Run 1 — ' }).getAttribute('value');
    await picker.selectOption(runA!);
    await expect(page.getByTestId('export-run')).toContainText('Run 1 — ');
    await page.getByTestId('export-onnx').click();
    await expect(page.getByTestId('export-file')).toHaveText(/-run-1\.onnx$/, { timeout: 60_000 });
    expect(await downloadedParameterCount(page)).toBe(paramsA);

    await openTab(page, 'results');
    await expect(page.getByTestId('results-run')).toContainText('Run 1 — ');
    await expect(page.getByTestId('results-run')).toContainText('8 epochs');
    await expect(page.getByTestId('results-accuracy')).toBeVisible();
    await shot(page, 'durable-02-reopened-after-restart');
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  });

  test('names a data file whose content changed and re-links the one picked', async ({ page }) => {
    expect(savedProject, 'the previous test saved the project').not.toBe('');
    // Someone edits the project's copy of the CSV: one row less.
    const dataDir = readdirSync(path.join(workspaceDir, 'saved')).find((name) => name.endsWith('.data'))!;
    const copy = path.join(workspaceDir, 'saved', dataDir, 'wine.csv');
    const lines = readFileSync(WINE, 'utf8').trimEnd().split('\n');
    writeFileSync(copy, `${lines.slice(0, -1).join('\n')}\n`);

    // A fresh server again: the running one still holds the original file, which is the right one to use.
    await server!.close();
    server = null;
    await openServer(page);
    await page.getByTestId('project-upload').setInputFiles(savedProject);
    const problem = page.getByTestId('dataset-problem');
    await expect(problem).toContainText('wine.csv has changed since the project was saved');
    await expect(problem).toHaveAttribute('data-reason', 'changed');
    await expect(page.getByTestId('dataset-rows')).toContainText('177');
    await shot(page, 'durable-03-data-changed');

    await page.getByTestId('dataset-relink-upload').setInputFiles(WINE);
    await expect(problem).toHaveCount(0);
    await expect(page.getByTestId('notice-ok').filter({ hasText: 'Re-linked wine.csv' })).toBeVisible();
    await expect(page.getByTestId('dataset-rows')).toContainText('178');
  });
});
