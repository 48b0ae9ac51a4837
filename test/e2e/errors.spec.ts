/**
 * When things go wrong the window says what happened in plain words and keeps working: an impossible layer
 * stack, a broken CSV, and a run stopped half-way.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, openTab, shot, test } from './app.js';
import { dragLayerToStackEnd, setNumber, uploadCsv, waitForStatus } from './pages.js';

const IRIS = path.resolve('test/fixtures/iris.csv');

test('a Conv2D on flat input is explained, and the offered fix makes the stack valid', async ({ app: page }) => {
  await openTab(page, 'model');
  await page.getByTestId('clear-stack').click();
  await dragLayerToStackEnd(page, 'Conv2D');
  const problem = page.getByTestId('layer-error-0');
  await expect(problem).toBeVisible();
  await expect(problem).toContainText('Conv2D');
  await expect(page.getByTestId('tab-model')).toContainText('!');
  await shot(page, 'errors-01-conv-on-flat');

  // Each fix solves one problem; the stack may need the output layer next. A person clicks until it is done.
  for (let step = 0; step < 6 && (await page.getByTestId('apply-fix').count()) > 0; step++) {
    await page.getByTestId('apply-fix').first().click();
  }
  await expect(page.locator('[data-testid^="layer-error-"]')).toHaveCount(0);
  await expect(page.getByTestId('stack-error')).toHaveCount(0);
  await expect(page.getByTestId('model-output-shape')).toHaveText('[3]');
  await expect(page.getByTestId('tab-model')).not.toContainText('!');
  await shot(page, 'errors-02-fixed');

  await openTab(page, 'train');
  await expect(page.getByTestId('train-start')).toBeEnabled();
});

test('a CSV with a wrong field count names the line, and the next good file loads', async ({ app: page }, testInfo) => {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'layerlab-e2e-'));
  const lines = (await readFile(IRIS, 'utf8')).trimEnd().split('\n');
  // Line 4 of the file (3rd data row) gets a sixth field.
  lines[3] = `${lines[3]},extra`;
  const broken = path.join(folder, 'broken_iris.csv');
  await writeFile(broken, `${lines.join('\n')}\n`);
  testInfo.attach('broken csv', { path: broken });

  await uploadCsv(page, broken);
  const error = page.getByTestId('data-error');
  await expect(error).toBeVisible();
  await expect(error).toContainText('broken_iris.csv');
  await expect(error).toContainText('line 4');
  await expect(error).toContainText('expected 5 fields, found 6');
  // The dataset that was loaded before is still there and usable.
  await expect(page.getByTestId('dataset-name')).toHaveText('iris.csv');
  await shot(page, 'errors-03-bad-csv');

  // The person chooses to skip the bad row: the file loads without it, and the count is shown.
  await page.getByTestId('retry-skip-bad-rows').click();
  await expect(page.getByTestId('data-error')).toHaveCount(0);
  await expect(page.getByTestId('dataset-name')).toHaveText('broken_iris.csv');
  await expect(page.getByTestId('dataset-rows')).toHaveText(`${lines.length - 2} rows`);
  await expect(page.getByTestId('data-summary')).toContainText('1 bad rows skipped');
  await page.getByTestId('skip-bad-rows').uncheck();

  await uploadCsv(page, IRIS);
  await expect(page.getByTestId('data-error')).toHaveCount(0);
  await expect(page.getByTestId('dataset-rows')).toHaveText('150 rows');
  await expect(page.getByTestId('task-kind')).toContainText('3-class');
  await openTab(page, 'train');
  await expect(page.getByTestId('train-start')).toBeEnabled();
  await shot(page, 'errors-04-good-csv-after');
});

test('pause, resume and stop a long run; Start is offered again', async ({ app: page }) => {
  await openTab(page, 'train');
  await setNumber(page, 'epochs', '30000');
  await page.getByTestId('train-start').click();
  await waitForStatus(page, /^Training/, 60_000);
  await expect(page.getByTestId('train-progress')).toContainText(/epoch [1-9]\d*\/30000/, { timeout: 60_000 });
  await expect(page.getByTestId('train-start')).toBeDisabled();

  await page.getByTestId('train-pause').click();
  await waitForStatus(page, /^Paused$/, 30_000);
  await expect(page.getByTestId('train-resume')).toBeEnabled();
  await shot(page, 'errors-05-paused');
  await page.getByTestId('train-resume').click();
  await waitForStatus(page, /^Training/, 30_000);

  await page.getByTestId('train-stop').click();
  await waitForStatus(page, /^Stopped at epoch \d+$/, 60_000);
  const stoppedAt = Number(/(\d+)$/.exec((await page.getByTestId('train-status').textContent()) ?? '')?.[1]);
  expect(stoppedAt).toBeGreaterThan(0);
  expect(stoppedAt).toBeLessThan(30000);
  await expect(page.getByTestId('train-start')).toBeEnabled();
  await expect(page.getByTestId('train-stop')).toBeDisabled();
  await shot(page, 'errors-06-stopped');

  await openTab(page, 'results');
  await expect(page.getByTestId('run-history')).toContainText('stopped');
});

test('a learning rate out of range is named at its field, and Start waits until it fits', async ({ app: page }) => {
  await openTab(page, 'train');
  await setNumber(page, 'learning-rate', '-1');
  const problem = page.getByTestId('learning-rate-problem');
  await expect(problem).toHaveText('Learning rate must be above 0 and at most 100; -1 is not. Try 0.001.');
  await expect(page.getByTestId('learning-rate')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('train-start')).toBeDisabled();
  await expect(page.getByTestId('train-blocker')).toContainText('Learning rate must be above 0');
  // The update rule keeps its symbol rather than printing the bad number.
  await expect(page.getByTestId('optimizer-rule')).toContainText('w ← w − η');
  await expect(page.getByTestId('optimizer-rule')).not.toContainText('-1');
  await shot(page, 'errors-lr-out-of-range');

  await setNumber(page, 'epochs', '0');
  await expect(page.getByTestId('epochs-problem')).toContainText('Epochs must be a whole number from 1 to 100,000');
  await setNumber(page, 'epochs', '20');
  await setNumber(page, 'learning-rate', '0.01');
  await expect(page.getByTestId('learning-rate-problem')).toHaveCount(0);
  await expect(page.getByTestId('epochs-problem')).toHaveCount(0);
  await expect(page.getByTestId('optimizer-rule')).toContainText('0.01');
  await expect(page.getByTestId('train-start')).toBeEnabled();
});
