/**
 * The whole path a person walks, in a real browser against the real engine: load iris, build a network by
 * dragging layers, train it, read the results, export ONNX and predict one flower.
 */
import path from 'node:path';
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

const IRIS = path.resolve('test/fixtures/iris.csv');

test('iris: upload, build, train, evaluate, export, predict', async ({ app: page }) => {
  await shot(page, 'journey-01-opened');

  // Data: upload the CSV through the file input.
  await uploadCsv(page, IRIS);
  await expect(page.getByTestId('dataset-name')).toHaveText('iris.csv');
  await expect(page.getByTestId('dataset-rows')).toHaveText('150 rows');
  await expect(page.getByTestId('task-kind')).toContainText('3-class classification of species');
  await expect(page.getByTestId('preview-table')).toContainText('setosa');
  await shot(page, 'journey-02-data');

  // Model: clear the stack, drag three Dense layers in, shape them in the inspector.
  await buildIrisNetwork(page);
  await shot(page, 'journey-03-model');

  // Train: adam at 0.01 for 60 epochs, watching the charts fill in.
  await startIrisTraining(page);
  await expect.poll(() => pointsPlotted(page, 'chart-loss'), { timeout: 60_000 }).toBeGreaterThan(0);
  const firstCount = await pointsPlotted(page, 'chart-loss');
  await shot(page, 'journey-04-training');
  // 60 iris epochs can end within a frame or two of the first point now, so the charts are checked whole at the
  // end; durable.spec.ts watches points arrive live on a run long enough to see it.
  await waitForStatus(page, /^Finished/);
  expect(await pointsPlotted(page, 'chart-loss')).toBeGreaterThanOrEqual(firstCount);
  const metricPoints = await pointsPlotted(page, 'chart-metric');
  expect(metricPoints).toBeGreaterThan(0);
  expect(metricPoints % 60).toBe(0);
  await expect(page.getByTestId('train-progress')).toContainText('epoch 60/60');
  const accuracyText = (await page.getByTestId('val-accuracy').textContent()) ?? '';
  expect(accuracyText).toMatch(/^\d\.\d{3}$/);
  expect(Number(accuracyText)).toBeGreaterThanOrEqual(0.9);
  await expect(page.getByTestId('metric-valAccuracy')).toHaveText(accuracyText);
  const validationRows = Number(await page.getByTestId('train-facts').getAttribute('data-validation-rows'));
  expect(validationRows).toBeGreaterThan(0);
  await shot(page, 'journey-05-trained');

  // Results: a 3x3 confusion matrix over the validation rows.
  await openTab(page, 'results');
  const matrix = page.getByTestId('confusion-matrix');
  await expect(matrix).toBeVisible();
  await expect(matrix.locator('tbody tr')).toHaveCount(3);
  const cells = matrix.locator('tbody td');
  await expect(cells).toHaveCount(9);
  const counts = (await cells.allTextContents()).map((text) => Number(text.trim()));
  expect(counts.reduce((a, b) => a + b, 0)).toBe(validationRows);
  const diagonal = counts[0]! + counts[4]! + counts[8]!;
  expect(diagonal / validationRows).toBeCloseTo(Number(accuracyText), 2);
  await expect(page.getByTestId('run-history').locator('tbody tr')).toHaveCount(1);
  await shot(page, 'journey-06-results');

  // Export: ONNX written, and onnxruntime agrees with tf.js.
  await openTab(page, 'export');
  await page.getByTestId('export-onnx').click();
  const parity = page.getByTestId('export-parity');
  await expect(parity).toBeVisible({ timeout: 60_000 });
  await expect(parity).toContainText('✓');
  expect(Number(await parity.getAttribute('data-max-difference'))).toBeLessThanOrEqual(1e-4);
  await expect(page.getByTestId('export-file')).toContainText('.onnx');
  await shot(page, 'journey-07-exported');

  // Predict one flower with the exported model.
  await predictOneRow(page, SETOSA_FLOWER);
  await expect(page.getByTestId('prediction-result')).toContainText('setosa');
  await shot(page, 'journey-08-predicted');
});
