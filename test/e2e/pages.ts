/** Small page objects: the steps a person takes in each tab, written once for every journey. */
import { expect, type Page } from '@playwright/test';
import { openTab } from './app.js';

export async function uploadCsv(page: Page, file: string): Promise<void> {
  await openTab(page, 'data');
  await page.getByTestId('csv-upload').setInputFiles(file);
}

/** Drags a palette item to the end of the stack with the mouse, the way a person would. */
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
