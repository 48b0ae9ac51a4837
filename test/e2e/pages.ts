/** Small page objects: the steps a person takes in each tab, written once for every journey. */
import { expect, type Page } from '@playwright/test';
import { openTab } from './app.js';

export async function uploadCsv(page: Page, file: string): Promise<void> {
  await openTab(page, 'data');
  await page.getByTestId('csv-upload').setInputFiles(file);
}

/** A bundled sample, picked in the Data tab. */
export async function loadSample(page: Page, sample: string): Promise<void> {
  await openTab(page, 'data');
  await page.getByTestId('sample-picker').selectOption(sample);
  await page.getByTestId('sample-load').click();
  await expect(page.getByTestId('dataset-name')).toHaveText(`${sample}.csv`);
}

/** The model LayerLab suggests for the data's task, in the Model tab. */
export async function useDefaultModel(page: Page): Promise<void> {
  await openTab(page, 'model');
  await page.getByTestId('use-default-model').click();
  await expect(page.getByTestId('stack-error')).toHaveCount(0);
}

/** Drags a palette item to the end of the stack with the mouse, the way a person would. */
/** Types into the palette search and presses Enter: the one match is appended. Returns the stack's length before. */
export async function addLayerFromSearch(page: Page, query: string): Promise<number> {
  const cards = page.locator('[data-testid^="layer-card-"]');
  const before = await cards.count();
  const search = page.getByTestId('palette-search');
  await search.fill(query);
  await search.press('Enter');
  await expect(cards).toHaveCount(before + 1);
  return before;
}

export async function dragLayerToStackEnd(page: Page, className: string): Promise<void> {
  const zone = page.getByTestId('stack-drop-zone');
  const box = await zone.boundingBox();
  if (!box) throw new Error('the layer stack is not on screen');
  await page.getByTestId(`palette-item-${className}`).dragTo(zone, {
    targetPosition: { x: box.width / 2, y: Math.max(4, box.height - 6) },
  });
}

export async function selectCard(page: Page, index: number): Promise<void> {
  // The card's own select button: a click elsewhere on an invalid card lands on its message.
  await page.getByTestId(`layer-card-${index}`).locator('[data-select-button]').click();
}

export async function setField(page: Page, key: string, value: string): Promise<void> {
  const field = page.getByTestId('inspector').getByTestId(`field-${key}`);
  if (await field.evaluate((element) => element.tagName === 'SELECT')) await field.selectOption(value);
  else {
    await field.fill(value);
    await field.press('Tab');
  }
}

export async function setNumber(page: Page, testid: string, value: string): Promise<void> {
  const input = page.getByTestId(testid);
  await input.fill(value);
  await input.press('Tab');
}

export async function pointsPlotted(page: Page, chart: 'chart-loss' | 'chart-metric'): Promise<number> {
  return Number(await page.getByTestId(`${chart}-wrapper`).getAttribute('data-points'));
}

export async function waitForStatus(page: Page, pattern: RegExp, timeout = 180_000): Promise<void> {
  await expect(page.getByTestId('train-status')).toHaveText(pattern, { timeout });
}

/** Clears the stack and drags in three Dense layers, set in the inspector to 16 relu, 16 relu and 3 softmax. */
export async function buildIrisNetwork(page: Page): Promise<void> {
  await openTab(page, 'model');
  await page.getByTestId('clear-stack').click();
  await expect(page.getByTestId('layer-card-0')).toHaveCount(0);
  for (let i = 0; i < 3; i++) {
    await dragLayerToStackEnd(page, 'Dense');
    await expect(page.getByTestId(`layer-card-${i}`)).toBeVisible();
  }
  await selectCard(page, 0);
  await setField(page, 'units', '16');
  await selectCard(page, 1);
  await setField(page, 'units', '16');
  await selectCard(page, 2);
  await setField(page, 'units', '3');
  await setField(page, 'activation', 'softmax');
  await expect(page.getByTestId('layer-shape-0')).toContainText('[16]');
  await expect(page.getByTestId('layer-shape-1')).toContainText('[16]');
  await expect(page.getByTestId('layer-shape-2')).toContainText('[3]');
  await expect(page.getByTestId('stack-error')).toHaveCount(0);
}

/** Adam at 0.01, 60 epochs, batch 16, then Start: enough for iris to pass 0.9 validation accuracy. */
export async function startIrisTraining(page: Page): Promise<void> {
  await openTab(page, 'train');
  await page.getByTestId('optimizer').selectOption('adam');
  await setNumber(page, 'learning-rate', '0.01');
  await setNumber(page, 'epochs', '60');
  await setNumber(page, 'batch-size', '16');
  await page.getByTestId('train-start').click();
}

/** The first iris row, a setosa. */
export const SETOSA_FLOWER: Record<string, string> = {
  sepal_length_cm: '5.1',
  sepal_width_cm: '3.5',
  petal_length_cm: '1.4',
  petal_width_cm: '0.2',
};

export async function predictOneRow(page: Page, values: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(values)) await page.getByTestId(`predict-field-${name}`).fill(value);
  await page.getByTestId('predict-row').click();
}
