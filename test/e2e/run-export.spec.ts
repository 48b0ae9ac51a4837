/**
 * An export belongs to the run it was made from: after a second run with a changed model, Export & Predict
 * shows the new run with no export, its file is named after the project and run, holds that run's weights,
 * and picking the first run brings its own export back. Names follow the data: a new project is named after
 * the first CSV loaded into it, and Save As asks for the file name in the page.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openTab, test } from './app.js';
import { downloadedParameterCount, totalParams } from './exported-model.js';
import { selectCard, setField, setNumber, uploadCsv, waitForStatus } from './pages.js';

const WINE = path.resolve('test/fixtures/wine.csv');

async function trainShortRun(page: Page, epochs = 8): Promise<void> {
  await openTab(page, 'train');
  await setNumber(page, 'epochs', String(epochs));
  await page.getByTestId('train-start').click();
}

test('each run keeps its own export, named after the project and the run', async ({ app: page }) => {
  await page.getByTestId('project-name').fill('flowers');
  const paramsA = await totalParams(page);

  // Run A: train and export.
  await trainShortRun(page);
  await waitForStatus(page, /^Finished/);
  await openTab(page, 'export');
  await expect(page.getByTestId('export-run')).toContainText('Run 1 — ');
  await expect(page.getByTestId('export-run')).toContainText('8 epochs');
  await page.getByTestId('export-onnx').click();
  await expect(page.getByTestId('export-file')).toHaveText('flowers-run-1.onnx', { timeout: 60_000 });
  expect(await downloadedParameterCount(page)).toBe(paramsA);

  // Change the model: a wider first layer, then run B. While it trains, the Model tab says edits wait.
  await openTab(page, 'model');
  await selectCard(page, 0);
  await setField(page, 'units', '24');
  const paramsB = await totalParams(page);
  expect(paramsB).not.toBe(paramsA);
  // Long enough that the run is still going when the Model tab is looked at, however fast training is.
  await trainShortRun(page, 3000);
  await openTab(page, 'model');
  await expect(page.getByTestId('model-training-notice')).toHaveText(
    'Run 2 is training with the model as it was at Start; your edits apply to the next run.',
  );
  await waitForStatus(page, /^Finished/);
  await openTab(page, 'model');
  await expect(page.getByTestId('model-training-notice')).toHaveCount(0);

  // Export & Predict now shows run B, with none of A's export under it.
  await openTab(page, 'export');
  await expect(page.getByTestId('export-run')).toContainText('Run 2 — ');
  await expect(page.getByTestId('export-none')).toHaveText('This run has not been exported yet.');
  await expect(page.getByTestId('export-result')).toHaveCount(0);
  await page.getByTestId('export-onnx').click();
  await expect(page.getByTestId('export-file')).toHaveText('flowers-run-2.onnx', { timeout: 60_000 });
  expect(await downloadedParameterCount(page)).toBe(paramsB);

  // Pick run A: its own export is shown again, and Results name it too.
  await page.getByTestId('export-run-picker').selectOption({ index: 1 });
  await expect(page.getByTestId('export-run')).toContainText('Run 1 — ');
  await expect(page.getByTestId('export-file')).toHaveText('flowers-run-1.onnx');
  expect(await downloadedParameterCount(page)).toBe(paramsA);
  await openTab(page, 'results');
  await expect(page.getByTestId('results-run')).toContainText('Run 1 — ');
  await expect(page.getByTestId('results-accuracy')).toBeVisible();
});

test('a new project is named after its first CSV, and Save As asks for the file name', async ({ app: page }) => {
  await page.getByTestId('project-new').click();
  await expect(page.getByTestId('project-name')).toHaveValue('Untitled');
  await uploadCsv(page, WINE);
  await expect(page.getByTestId('dataset-name')).toHaveText('wine.csv');
  await expect(page.getByTestId('project-name')).toHaveValue('wine');

  await page.getByTestId('project-save-as').click();
  await expect(page.getByTestId('save-as-dialog')).toBeVisible();
  await expect(page.getByTestId('save-as-name')).toHaveValue('wine.layerlab.json');
  await page.getByTestId('save-as-name').fill('wine study.layerlab.json');
  await page.getByTestId('save-as-confirm').click();
  await expect(page.getByTestId('save-as-dialog')).toBeHidden();
  await expect(page.getByTestId('project-download')).toContainText('wine study');
});

test('a run stopped before its first epoch says why, and cannot be exported', async ({ app: page }) => {
  await openTab(page, 'train');
  await setNumber(page, 'epochs', '500');
  await page.getByTestId('train-start').click();
  // The trainer process is still loading tf.js: Stop lands before any epoch.
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('train-status')).not.toHaveText(/Starting|Training|Stopping/, { timeout: 60_000 });

  await openTab(page, 'results');
  await expect(page.getByTestId('results-run')).toContainText('Run 1 — ');
  await expect(page.getByTestId('results-run')).toContainText('0 epochs');
  await expect(page.getByTestId('results-why')).toContainText('This run trained no epoch');
  await openTab(page, 'export');
  await expect(page.getByTestId('export-onnx')).toBeDisabled();
  await expect(page.getByTestId('export-blocked')).toContainText('This run trained no epoch');
  await expect(page.getByTestId('export-onnx')).toHaveAttribute('title', /trained no epoch/);
});
