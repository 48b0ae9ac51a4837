/**
 * LayerLab at 1024 x 700, the smallest window it is made for: on every tab, with many-column data and a
 * ten-class run in Results, no main panel scrolls sideways, the palette's + buttons are on screen, each tab
 * opens at its own top, a warning toast leaves once its cause is fixed, and the small texts read right.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openTab, shot, test } from './app.js';
import { setNumber, uploadCsv, waitForStatus } from './pages.js';

test.use({ viewport: { width: 1024, height: 700 } });

type Tab = 'data' | 'model' | 'train' | 'results' | 'export';
const TABS: Tab[] = ['data', 'model', 'train', 'results', 'export'];

/** Every visible panel that scrolls sideways, named by its test id or class, with its widths. */
async function sidewaysScrollers(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const panels = document.querySelectorAll<HTMLElement>(
      'main, main > .page:not([hidden]), .page:not([hidden]) :is(.panel, .scroll-x, .matrix-wrap), .builder > div',
    );
    return [...panels]
      .filter((panel) => panel.offsetParent !== null || panel.tagName === 'MAIN')
      .filter((panel) => panel.scrollWidth > panel.clientWidth)
      .map((panel) => `${panel.dataset.testid ?? panel.className} ${panel.scrollWidth} > ${panel.clientWidth}`);
  });
}

async function visitEveryTab(page: Page, label: string): Promise<void> {
  for (const tab of TABS) {
    await openTab(page, tab);
    await shot(page, `small-${label}-${tab}`);
    expect(await sidewaysScrollers(page), `panels scrolling sideways on ${tab}`).toEqual([]);
  }
}

/** The scroll position of the open tab's page. */
async function pageScrollTop(page: Page): Promise<number> {
  return page.locator('main > .page:not([hidden])').evaluate((element) => element.scrollTop);
}

test('every tab fits 1024 x 700 with a ten-class run and many-column data', async ({ app: page }) => {
  await page.getByTestId('sample-picker').selectOption('digits');
  await page.getByTestId('sample-load').click();
  await expect(page.getByTestId('dataset-name')).toHaveText('digits.csv');
  await openTab(page, 'model');
  await page.getByTestId('use-default-model').click();
  await expect(page.getByTestId('stack-error')).toHaveCount(0);

  // The palette: every + button of the first group lies inside the window, beside its whole label.
  for (const item of await page.locator('[data-testid^="palette-item-"]').all()) {
    const plus = await item.locator('.plus').boundingBox();
    const box = await item.boundingBox();
    if (!plus || !box) continue;
    expect(plus.x + plus.width, 'a + button past the window edge').toBeLessThanOrEqual(1024);
    expect(plus.x + plus.width, 'a + button outside its item').toBeLessThanOrEqual(box.x + box.width);
  }
  const clear = await page.getByTestId('clear-stack').boundingBox();
  const stackColumn = await page.locator('.stack-column').boundingBox();
  expect(clear && stackColumn && clear.x + clear.width <= stackColumn.x + stackColumn.width).toBe(true);

  await openTab(page, 'train');
  await setNumber(page, 'epochs', '3');
  await page.getByTestId('train-start').click();
  await waitForStatus(page, /^Finished/);
  await openTab(page, 'results');
  await expect(page.locator('.matrix')).toBeVisible();
  // The ten-class matrix is shown whole, its last column inside its panel.
  const matrixWrap = page.locator('.matrix-wrap');
  expect(await matrixWrap.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
  await visitEveryTab(page, 'digits');

  // A tab opens at its own top, not where the last tab was scrolled to.
  await openTab(page, 'results');
  await page.locator('main > .page:not([hidden])').evaluate((element) => element.scrollTo(0, element.scrollHeight));
  expect(await pageScrollTop(page)).toBeGreaterThan(100);
  await openTab(page, 'train');
  expect(await pageScrollTop(page)).toBe(0);

  await openTab(page, 'data');
  await page.getByTestId('sample-picker').selectOption('wine');
  await page.getByTestId('sample-load').click();
  await expect(page.getByTestId('dataset-name')).toHaveText('wine.csv');
  await expect(page.getByTestId('task-kind')).toContainText('3-class');
  expect(await sidewaysScrollers(page)).toEqual([]);
  // The rows preview: each header cell starts where its column's cells start.
  const header = page.locator('[data-testid="preview-table"] .header .cell');
  const firstRow = page.locator('[data-testid="preview-table"] [data-row="0"] .cell');
  await expect(firstRow).toHaveCount(15);
  for (const column of [1, 7, 14]) {
    const [head, cell] = [await header.nth(column).boundingBox(), await firstRow.nth(column).boundingBox()];
    expect(Math.abs((head?.x ?? 0) - (cell?.x ?? -99)), `column ${column} header drifts`).toBeLessThan(1);
  }
  await visitEveryTab(page, 'wine');
});

test('a data warning leaves once its cause is fixed', async ({ app: page }) => {
  await uploadCsv(page, path.resolve('test/fixtures/bad/mostly_numbers.csv'));
  await expect(page.getByTestId('dataset-name')).toHaveText('mostly_numbers.csv');
  const toast = page.getByTestId('notice-warning').filter({ hasText: "column 'y'" });
  await expect(toast).toBeVisible();
  // The file's x is left out at first; taking it instead of the broken y is the fix.
  await page.getByTestId('role-x').selectOption('feature');
  await page.getByTestId('role-y').selectOption('ignore');
  await expect(toast).toHaveCount(0);
  await expect(page.getByTestId('data-warnings').filter({ hasText: "column 'y'" })).toHaveCount(0);
});

test('small texts: one unit, the R² axis, and what the loss is measured in', async ({ app: page }) => {
  // The app opened iris, so the metric chart has drawn validation accuracy before the regression data comes.
  await openTab(page, 'data');
  await page.getByTestId('sample-picker').selectOption('auto_mpg');
  await page.getByTestId('sample-load').click();
  await expect(page.getByTestId('task-kind')).toContainText('Regression: predict mpg');
  await openTab(page, 'model');
  await page.getByTestId('use-default-model').click();
  const last = page.locator('[data-testid^="layer-card-"]').last();
  await expect(last).toContainText('1 unit ·');
  await expect(last).not.toContainText('1 units');

  await openTab(page, 'train');
  await setNumber(page, 'epochs', '3');
  await page.getByTestId('train-start').click();
  await waitForStatus(page, /^Finished/);
  await expect(page.getByTestId('chart-metric-wrapper')).toHaveAttribute('data-y-label', 'validation R²');
  await expect(page.getByTestId('loss-units-note')).toContainText('standardized target');
  await expect(page.getByTestId('loss-units-note')).toContainText('units of mpg');
  await shot(page, 'small-regression-train');
  expect(await sidewaysScrollers(page)).toEqual([]);
});
