/**
 * Predict questions its input: with a trained iris model exported, an empty or mistyped field is refused by
 * name, and a CSV that holds the target column shows actual beside predicted, each row's check and the accuracy.
 */
import path from 'node:path';
import { expect, openTab, shot, test } from './app.js';
import {
  buildIrisNetwork,
  predictOneRow,
  SETOSA_FLOWER,
  setNumber,
  startIrisTraining,
  uploadCsv,
  waitForStatus,
} from './pages.js';

const IRIS = path.resolve('test/fixtures/iris.csv');

test('iris: an empty row is refused by name, a CSV with the target is scored', async ({ app: page }) => {
  await uploadCsv(page, IRIS);
  await expect(page.getByTestId('dataset-name')).toHaveText('iris.csv');
  await buildIrisNetwork(page);
  await startIrisTraining(page);
  await waitForStatus(page, /^Finished/);

  await openTab(page, 'export');
  await page.getByTestId('export-onnx').click();
  await expect(page.getByTestId('export-parity')).toContainText('✓', { timeout: 60_000 });

  // An empty form gives no prediction: the first empty field is named.
  await page.getByTestId('predict-row').click();
  await expect(page.getByTestId('predict-error')).toContainText('sepal_length_cm is empty: enter a number.');
  await expect(page.getByTestId('prediction-result')).toHaveCount(0);

  // One field left empty, then one holding text: each is named.
  await predictOneRow(page, { ...SETOSA_FLOWER, petal_width_cm: '' });
  await expect(page.getByTestId('predict-error')).toContainText('petal_width_cm is empty: enter a number.');
  await predictOneRow(page, { ...SETOSA_FLOWER, petal_width_cm: 'wide' });
  await expect(page.getByTestId('predict-error')).toContainText('petal_width_cm is "wide", which is not a number');
  await expect(page.getByTestId('prediction-result')).toHaveCount(0);

  // A complete row predicts, with probabilities a person can read.
  await predictOneRow(page, SETOSA_FLOWER);
  const result = page.getByTestId('prediction-result');
  await expect(result).toContainText('setosa');
  await expect(page.getByTestId('predict-error')).toHaveCount(0);
  for (const text of await result.locator('td').allTextContents()) expect(text).not.toMatch(/e-\d/);

  // The whole iris file holds the target: actual and predicted side by side, each row checked, and the accuracy.
  await page.getByTestId('predict-csv-upload').setInputFiles(IRIS);
  const batch = page.getByTestId('batch-predictions');
  await expect(batch).toBeVisible({ timeout: 60_000 });
  const headings = await batch.locator('thead th').allTextContents();
  expect(headings).toContain('species (actual)');
  expect(headings).toContain('label (predicted)');
  expect(headings.at(-1)).toBe('correct');
  const actual = await batch
    .locator(`tbody td:nth-child(${headings.indexOf('species (actual)') + 1})`)
    .allTextContents();
  const predicted = await batch
    .locator(`tbody td:nth-child(${headings.indexOf('label (predicted)') + 1})`)
    .allTextContents();
  const checks = await batch.locator('tbody td:last-child').allTextContents();
  expect(actual).toHaveLength(150);
  expect(checks).toEqual(actual.map((species, i) => (species === predicted[i] ? 'yes' : 'no')));
  const right = checks.filter((c) => c === 'yes').length;
  await expect(page.getByTestId('batch-predictions-score')).toContainText(
    `Accuracy ${((right / 150) * 100).toFixed(1)} % on 150 rows with a known species`,
  );
  expect(right / 150).toBeGreaterThan(0.8);
  for (const text of await batch.locator('td').allTextContents()) expect(text).not.toMatch(/e-\d/);
  await shot(page, 'predict-input-scored');
});

test('auto mpg: the origin field offers the categories seen in training and flags an unseen one', async ({
  app: page,
}) => {
  await openTab(page, 'data');
  await page.getByTestId('sample-picker').selectOption('auto_mpg');
  await page.getByTestId('sample-load').click();
  await expect(page.getByTestId('dataset-name')).toHaveText('auto_mpg.csv');
  await openTab(page, 'model');
  await page.getByTestId('use-default-model').click();
  await openTab(page, 'train');
  await setNumber(page, 'epochs', '3');
  await page.getByTestId('train-start').click();
  await waitForStatus(page, /^Finished/);
  await openTab(page, 'export');
  await page.getByTestId('export-onnx').click();
  await expect(page.getByTestId('export-parity')).toContainText('✓', { timeout: 60_000 });

  const origin = page.getByTestId('predict-field-origin');
  const listId = await origin.getAttribute('list');
  const offered = await page
    .locator(`datalist[id="${listId}"] option`)
    .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
  expect([...offered].sort()).toEqual(['Europe', 'Japan', 'USA']);

  const car = { cylinders: '4', displacement: '97', horsepower: '88', weight_lbs: '2130', acceleration: '14.5' };
  await predictOneRow(page, { ...car, year: '1971', origin: 'Lima,Peru' });
  await expect(page.getByTestId('predict-unseen-origin')).toContainText('"Lima,Peru" was not seen in training');
  await expect(page.getByTestId('prediction-result-notes')).toContainText(
    'origin "Lima,Peru" was not seen in training',
  );
  await expect(page.getByTestId('prediction-result')).toContainText('prediction');

  await predictOneRow(page, { origin: 'Japan' });
  await expect(page.getByTestId('predict-unseen-origin')).toHaveCount(0);
  await expect(page.getByTestId('prediction-result-notes')).toHaveCount(0);
  await shot(page, 'predict-input-category');
});
