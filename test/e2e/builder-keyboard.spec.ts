/**
 * The builder without a mouse: search the palette and add with Enter, move a layer with Alt+arrows, remove it
 * with Delete, and take each step back with Ctrl+Z / Ctrl+Shift+Z.
 */
import type { Page } from '@playwright/test';
import { expect, openTab, shot, test } from './app.js';
import { addLayerFromSearch } from './pages.js';

const classAt = (page: Page, index: number) => page.getByTestId(`layer-card-${index}`).locator('.class-name');

test('build and edit the stack from the keyboard, with undo and redo', async ({ app: page }) => {
  await openTab(page, 'model');
  const cards = page.locator('[data-testid^="layer-card-"]');
  const search = page.getByTestId('palette-search');
  const before = await addLayerFromSearch(page, 'dropout');
  await expect(classAt(page, before)).toHaveText('Dropout');

  // Tab to a palette item and press Enter.
  await search.fill('batch');
  await page.getByTestId('palette-item-BatchNormalization').focus();
  await page.keyboard.press('Enter');
  await expect(cards).toHaveCount(before + 2);
  await expect(classAt(page, before + 1)).toHaveText('BatchNormalization');

  // Select the new card and move it up one place with Alt+ArrowUp.
  await page
    .getByTestId(`layer-card-${before + 1}`)
    .locator('[data-select-button]')
    .focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Alt+ArrowUp');
  await expect(classAt(page, before)).toHaveText('BatchNormalization');
  await expect(classAt(page, before + 1)).toHaveText('Dropout');
  await shot(page, 'keyboard-01-moved');

  // Delete removes the selected card; Ctrl+Z brings it back, Ctrl+Shift+Z removes it again.
  await page.keyboard.press('Delete');
  await expect(cards).toHaveCount(before + 1);
  await expect(classAt(page, before)).toHaveText('Dropout');
  await page.keyboard.press('Control+z');
  await expect(cards).toHaveCount(before + 2);
  await expect(classAt(page, before)).toHaveText('BatchNormalization');
  await page.keyboard.press('Control+Shift+z');
  await expect(cards).toHaveCount(before + 1);
  // Four more undos (the delete, the move and both additions) give back the stack the project opened with.
  for (let i = 0; i < 4; i++) await page.keyboard.press('Control+z');
  await expect(cards).toHaveCount(before);
  await shot(page, 'keyboard-02-undone');
});

test('reorder a layer by dragging it, and remove one by dropping it on the trash', async ({ app: page }) => {
  await openTab(page, 'model');
  const cards = page.locator('[data-testid^="layer-card-"]');
  const summaryAt = (index: number) => page.getByTestId(`layer-card-${index}`).locator('.summary');
  const before = await cards.count();
  const lastIndex = before - 1;
  const lastSummary = (await summaryAt(lastIndex).textContent()) ?? '';
  const firstSummary = (await summaryAt(0).textContent()) ?? '';
  expect(lastSummary).not.toBe(firstSummary);

  // Drag the last card (the softmax output) above the first one.
  const top = await page.getByTestId('layer-card-0').boundingBox();
  if (!top) throw new Error('the first card is not on screen');
  await page.getByTestId(`layer-card-${lastIndex}`).dragTo(page.getByTestId('layer-card-0'), {
    targetPosition: { x: top.width / 2, y: 4 },
  });
  await expect(summaryAt(0)).toHaveText(lastSummary);
  await expect(summaryAt(1)).toHaveText(firstSummary);
  await expect(cards).toHaveCount(before);
  // An output layer in the middle of the stack is not a valid classifier any more: the check says so.
  await expect(page.getByTestId('tab-model')).toContainText('!');

  // Drop it on the trash zone.
  await page.getByTestId('layer-card-0').dragTo(page.getByTestId('trash-zone'));
  await expect(cards).toHaveCount(before - 1);
  await expect(summaryAt(0)).toHaveText(firstSummary);
  await shot(page, 'mouse-01-trashed');
});
