/**
 * A regression sample end to end: pick it from the sample list, take the suggested model, train briefly,
 * and see the predicted-vs-actual and residual plots with one point per validation row; then predict a
 * whole CSV with the exported model and offer the predictions as a file.
 */
import path from 'node:path';
import { expect, openTab, shot, test } from './app.js';
import { setNumber, waitForStatus } from './pages.js';

test('auto mpg: sample, suggested model, regression plots, batch predictions', async ({ app: page }) => {
  await openTab(page, 'data');
  await page.getByTestId('sample-picker').selectOption('auto_mpg');
  await page.getByTestId('sample-load').click();
  await expect(page.getByTestId('dataset-name')).toHaveText('auto_mpg.csv');
  await expect(page.getByTestId('task-kind')).toContainText('Regression: predict mpg');
  await shot(page, 'regression-01-data');

  await openTab(page, 'model');
  await page.getByTestId('use-default-model').click();
  await expect(page.getByTestId('model-output-shape')).toHaveText('[1]');
  await expect(page.getByTestId('stack-error')).toHaveCount(0);

  await openTab(page, 'train');
  await setNumber(page, 'epochs', '30');
  await page.getByTestId('train-start').click();
  await waitForStatus(page, /^Finished/);
  const r2 = Number(await page.getByTestId('val-r2').textContent());
  // Thirty epochs of a small network already explain most of the variation in fuel use.
  expect(r2).toBeGreaterThan(0.5);
  const validationRows = Number(await page.getByTestId('train-facts').getAttribute('data-validation-rows'));
  await shot(page, 'regression-02-trained');

  await openTab(page, 'results');
  await expect(page.getByTestId('regression-metrics')).toContainText('R²');
  await expect(page.getByTestId('chart-predicted-wrapper')).toHaveAttribute('data-points', String(validationRows));
  await expect(page.getByTestId('chart-residuals-wrapper')).toHaveAttribute('data-points', String(validationRows));
  await shot(page, 'regression-03-results');

  await openTab(page, 'export');
  await page.getByTestId('export-onnx').click();
  await expect(page.getByTestId('export-parity')).toContainText('✓', { timeout: 60_000 });
  await page.getByTestId('predict-csv-upload').setInputFiles(path.resolve('test/fixtures/auto_mpg.csv'));
  const batch = page.getByTestId('batch-predictions');
  await expect(batch).toBeVisible({ timeout: 60_000 });
  await expect(batch.locator('thead')).toContainText('prediction');
  await expect(page.getByText('398 predictions for auto_mpg.csv')).toBeVisible();
  await page.getByTestId('predictions-save').click();
  await expect(page.getByTestId('predictions-download')).toBeVisible();
  await shot(page, 'regression-04-batch');
});
