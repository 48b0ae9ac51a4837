/**
 * Keys in browser mode go through the application command registry: Ctrl+Z in a text field is the field's
 * own undo and leaves the layer stack alone; outside a field it undoes one stack step; Ctrl+S saves.
 */
import { expect, openTab, test } from './app.js';
import { addLayerFromSearch } from './pages.js';

test('Ctrl+Z in a text field undoes the typing, not the layer stack; outside it undoes one step', async ({
  app: page,
}) => {
  await openTab(page, 'model');
  const cards = page.locator('[data-testid^="layer-card-"]');
  const search = page.getByTestId('palette-search');
  const before = await addLayerFromSearch(page, 'dropout');

  // Typing in the search field, then undo: the field takes back its text; the added layer stays.
  await search.fill('');
  await search.focus();
  await page.keyboard.type('batch');
  await expect(search).toHaveValue('batch');
  await page.keyboard.press('Control+z');
  await expect(search).not.toHaveValue('batch');
  await expect(cards).toHaveCount(before + 1);

  // With the focus on a card, one press is one undo of the stack.
  await page.getByTestId(`layer-card-${before}`).locator('[data-select-button]').focus();
  await page.keyboard.press('Control+z');
  await expect(cards).toHaveCount(before);
  await page.keyboard.press('Control+Shift+z');
  await expect(cards).toHaveCount(before + 1);
});

test('Ctrl+S saves the project, even from a text field', async ({ app: page }) => {
  const name = page.getByTestId('project-name');
  await name.fill('Saved from the keyboard');
  await expect(page.getByTestId('dirty-marker')).toBeVisible();
  const downloading = page.waitForEvent('download');
  await name.press('Control+s');
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.layerlab\.json$/);
  await expect(page.getByTestId('dirty-marker')).toHaveCount(0);
  await expect(page.getByTestId('project-save')).toHaveAttribute('title', 'Save (Ctrl+S)');
});
