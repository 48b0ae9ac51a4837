/**
 * Comparing runs in History: two iris runs with different learning rates, both ticked, overlay one curve each
 * on the loss and metric charts, and the table shows both learning rates (marked as differing) and both runs'
 * kept-weights metrics, the same numbers Results shows for each run.
 */
import { expect, openTab, shot, test } from './app.js';
import { setNumber, waitForStatus } from './pages.js';

async function trainIris(page: import('@playwright/test').Page, learningRate: string, epochs: string): Promise<void> {
  await openTab(page, 'train');
  await setNumber(page, 'learning-rate', learningRate);
  await setNumber(page, 'epochs', epochs);
  await page.getByTestId('train-start').click();
  await waitForStatus(page, /^Finished/);
}

test('two runs ticked in History are overlaid and compared side by side', async ({ app: page }) => {
  await trainIris(page, '0.01', '6');
  await openTab(page, 'results');
  const accuracyA = await page.getByTestId('results-accuracy').textContent();
  await trainIris(page, '0.05', '9');
  await openTab(page, 'results');
  const accuracyB = await page.getByTestId('results-accuracy').textContent();

  await expect(page.getByTestId('run-compare')).toHaveCount(0);
  await page.getByRole('checkbox', { name: 'Compare Run 1' }).check();
  await expect(page.getByTestId('compare-hint')).toContainText('Tick one more run');
  await page.getByRole('checkbox', { name: 'Compare Run 2' }).check();
  // Ticking is not picking: Results still shows the run it showed.
  await expect(page.getByTestId('results-run')).toContainText('Run 2');

  const compare = page.getByTestId('run-compare');
  await expect(compare).toBeVisible();
  await expect(compare.getByTestId('compare-loss')).toHaveAttribute('data-series', '2');
  await expect(compare.getByTestId('compare-metric')).toHaveAttribute('data-series', '2');
  // One point per epoch of each run: 6 + 9.
  await expect(compare.getByTestId('compare-chart-loss-wrapper')).toHaveAttribute('data-points', '15');
  await expect(compare.getByTestId('compare-chart-metric-wrapper')).toHaveAttribute(
    'data-y-label',
    'validation accuracy',
  );

  const row = (label: string) => compare.locator(`[data-testid="compare-row"][data-label="${label}"] td`);
  await expect(row('Learning rate')).toHaveText(['0.01', '0.05']);
  await expect(compare.locator('[data-label="Learning rate"]')).toHaveAttribute('data-differs', 'true');
  await expect(row('Optimizer')).toHaveText(['adam', 'adam']);
  await expect(compare.locator('[data-label="Optimizer"]')).toHaveAttribute('data-differs', 'false');
  await expect(row('Epochs')).toHaveText([/^6 of 6/, /^9 of 9/]);
  await expect(row('Parameters')).toHaveText([/^\d[\d,]*$/, /^\d[\d,]*$/]);
  await expect(row('validation accuracy')).toHaveText([accuracyA!, accuracyB!]);
  await expect(row('test accuracy')).toHaveText([/^\d\.\d{3}$/, /^\d\.\d{3}$/]);
  await shot(page, 'run-compare');

  // Unticking one leaves nothing to compare.
  await page.getByRole('checkbox', { name: 'Compare Run 1' }).uncheck();
  await expect(compare).toHaveCount(0);
});

test('a new project fits epochs and patience to the data it loads, and says why', async ({ app: page }) => {
  // The sample project the app opens with turns early stopping off, so nothing is fitted (nor changed) there.
  await openTab(page, 'train');
  await expect(page.getByTestId('epochs')).toHaveValue('60');
  await expect(page.getByTestId('training-fit-note')).toHaveCount(0);
  await expect(page.getByTestId('dirty-marker')).toHaveCount(0);

  await page.getByTestId('project-new').click();
  await expect(page.getByTestId('project-name')).toHaveValue('Untitled');
  await openTab(page, 'data');
  await page.getByTestId('sample-picker').selectOption('iris');
  await page.getByTestId('sample-load').click();
  await expect(page.getByTestId('dataset-name')).toHaveText('iris.csv');
  await openTab(page, 'train');
  const note = page.getByTestId('training-fit-note');
  await expect(note).toContainText('23 validation rows');
  const epochs = Number(await page.getByTestId('epochs').inputValue());
  expect(epochs).toBeGreaterThan(100);
  await expect(note).toContainText(`${epochs} epochs`);

  // A number the person types is theirs: loading other data leaves it, and the note goes.
  await setNumber(page, 'epochs', '42');
  await expect(note).toHaveCount(0);
  await openTab(page, 'data');
  await page.getByTestId('sample-picker').selectOption('digits');
  await page.getByTestId('sample-load').click();
  await expect(page.getByTestId('dataset-name')).toHaveText('digits.csv');
  await openTab(page, 'train');
  await expect(page.getByTestId('epochs')).toHaveValue('42');
});
