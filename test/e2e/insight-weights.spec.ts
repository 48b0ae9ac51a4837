/**
 * Journey: train on two moons with the Inside tab open; the network view's connections change colour and
 * thickness from one epoch to the next, and the layer view shows each layer's histogram and numbers. A run
 * trained with the tab closed shows its kept weights there once it has finished.
 */
import { expect, openTab, shot, test } from './app.js';
import {
  dragLayerToStackEnd,
  loadSample,
  selectCard,
  setField,
  setNumber,
  useDefaultModel,
  waitForStatus,
} from './pages.js';

/** The drawn connections' weights and widths, as the page shows them now. */
async function connections(page: import('@playwright/test').Page) {
  return page
    .getByTestId('network-weights')
    .locator('line.weighted')
    .evaluateAll((lines) =>
      lines.map((line) => ({
        weight: line.getAttribute('data-weight'),
        width: line.getAttribute('stroke-width'),
        negative: line.classList.contains('negative'),
      })),
    );
}

test('the network view and the layer statistics follow training on two moons', async ({ app: page }) => {
  await openTab(page, 'data');
  await page.getByTestId('sample-picker').selectOption('moons');
  await page.getByTestId('sample-load').click();
  await expect(page.getByTestId('dataset-name')).toHaveText('moons.csv');

  // Three small Dense layers: 2 → 8 → 8 → 1, every connection drawn.
  await openTab(page, 'model');
  await page.getByTestId('clear-stack').click();
  for (let i = 0; i < 3; i++) {
    await dragLayerToStackEnd(page, 'Dense');
    await expect(page.getByTestId(`layer-card-${i}`)).toBeVisible();
  }
  for (const i of [0, 1]) {
    await selectCard(page, i);
    await setField(page, 'units', '8');
  }
  await selectCard(page, 2);
  await setField(page, 'units', '1');
  await setField(page, 'activation', 'sigmoid');
  await expect(page.getByTestId('stack-error')).toHaveCount(0);

  await openTab(page, 'train');
  await page.getByTestId('optimizer').selectOption('adam');
  await setNumber(page, 'learning-rate', '0.01');
  await setNumber(page, 'epochs', '400');
  await setNumber(page, 'batch-size', '16');
  await page.getByTestId('train-start').click();
  await openTab(page, 'insight');

  const view = page.getByTestId('network-weights');
  // 2×8 + 8×8 + 8×1 connections, each with its weight.
  await expect(view.locator('line.weighted')).toHaveCount(88);
  const first = await connections(page);
  const epochText = await view.locator('.note').innerText();
  await expect(view.locator('.note')).not.toHaveText(epochText);
  await expect
    .poll(async () => {
      const later = await connections(page);
      return later.filter((c, i) => c.weight !== first[i]!.weight).length;
    })
    .toBeGreaterThan(40);
  const later = await connections(page);
  expect(later.some((c, i) => c.width !== first[i]!.width)).toBe(true);
  expect(later.some((c) => c.negative)).toBe(true);
  expect(later.some((c) => !c.negative)).toBe(true);
  // The neurons are filled by the first training row's activations.
  const filled = await view
    .locator('circle')
    .evaluateAll((circles) => circles.filter((c) => (c as SVGElement).style.fill).length);
  expect(filled).toBeGreaterThan(10);

  const stats = page.getByTestId('layer-stats');
  for (const index of [0, 1, 2]) {
    const layer = stats.getByTestId(`layer-stats-${index}`);
    await expect(layer).toContainText('Dense');
    await expect(layer.getByTestId('weight-histogram').locator('rect')).toHaveCount(20);
    const gradient = Number(await layer.getByTestId('gradient-norm').innerText());
    expect(gradient).toBeGreaterThan(0);
    expect(Number(await layer.getByTestId('update-ratio').innerText())).toBeGreaterThan(0);
  }
  await expect(stats.getByTestId('layer-stats-0').getByTestId('dead-share')).toHaveText(/^\d+ %$/);
  await expect(stats.getByTestId('layer-stats-2').getByTestId('dead-share')).toHaveText('—');
  await shot(page, 'insight-weights');

  // The run may have finished (or stopped early) meanwhile; one still going is stopped.
  // A run that ends between looking and clicking leaves Stop disabled, so the click may find nothing to do.
  await openTab(page, 'train');
  await page
    .getByTestId('train-stop')
    .click({ timeout: 5_000 })
    .catch(() => undefined);
  await expect(page.getByTestId('train-status')).toHaveText(/^(Finished|Stopped at epoch \d+)/, { timeout: 30_000 });
});

test('a run trained with the Inside tab closed shows its kept weights there once it has finished', async ({
  app: page,
}) => {
  await loadSample(page, 'moons');
  await useDefaultModel(page);

  await openTab(page, 'train');
  await setNumber(page, 'epochs', '5');
  await page.getByTestId('train-start').click();
  await waitForStatus(page, /^Finished/);
  await openTab(page, 'insight');

  const view = page.getByTestId('network-weights');
  await expect(view.locator('.note')).toHaveText(/^Epoch [1-5], the run's kept weights\./);
  await expect.poll(() => view.locator('line.weighted').count()).toBeGreaterThan(0);
  const weights = await view
    .locator('line.weighted')
    .evaluateAll((lines) => lines.map((line) => Number(line.getAttribute('data-weight'))));
  expect(weights.every(Number.isFinite)).toBe(true);
  expect(weights.some((w) => w !== 0)).toBe(true);

  const stats = page.getByTestId('layer-stats');
  await expect(stats.locator('.note')).toContainText("statistics of the run's kept weights");
  await expect(stats.locator('.note')).toContainText('256 training rows');
  await expect(stats.locator('.note')).toContainText('the update ratio needs a run watched live');
  // The default model: Dense, Dropout, Dense, Dense; the Dropout has no weights.
  for (const index of [0, 2, 3]) {
    const layer = stats.getByTestId(`layer-stats-${index}`);
    await expect(layer.getByTestId('weight-histogram').locator('rect')).toHaveCount(20);
    expect(Number(await layer.getByTestId('gradient-norm').innerText())).toBeGreaterThan(0);
    const ratio = layer.getByTestId('update-ratio');
    await expect(ratio).toHaveText('—');
    await expect(ratio).toHaveAttribute('title', /epoch before/);
    // One epoch alone draws no line across epochs.
    await expect(layer.locator('.lines')).toBeHidden();
  }
  await expect(stats.getByTestId('layer-stats-0').getByTestId('dead-share')).toHaveText(/^\d+ %$/);
  await stats.scrollIntoViewIfNeeded();
  await shot(page, 'insight-kept-weights');
});
