/**
 * Notices sit in a strip of their own at the window's foot: at 1024 x 700, a warning about the data never lies
 * over the Data tab's warning box, nor over any part of the panels, while it waits to be read.
 */
import path from 'node:path';
import { expect, shot, test } from './app.js';
import { uploadCsv } from './pages.js';

test.use({ viewport: { width: 1024, height: 700 } });

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

test('a data warning notice covers neither the warning box nor the panels', async ({ app: page }) => {
  await uploadCsv(page, path.resolve('test/fixtures/bad/mostly_numbers.csv'));
  await expect(page.getByTestId('dataset-name')).toHaveText('mostly_numbers.csv');
  const toast = page.getByTestId('notice-warning').filter({ hasText: "column 'y'" });
  await expect(toast).toBeVisible();
  const warnings = page.getByTestId('data-warnings');
  await warnings.scrollIntoViewIfNeeded();
  await expect(warnings).toBeVisible();
  await shot(page, 'notice-dock');

  const toastBox = (await toast.boundingBox())!;
  const warningBox = (await warnings.boundingBox())!;
  const mainBox = (await page.locator('main').boundingBox())!;
  expect(overlaps(toastBox, warningBox), 'the notice lies over the warning box').toBe(false);
  expect(overlaps(toastBox, mainBox), 'the notice lies over the panels').toBe(false);
  // The strip is inside the window, so the notice can be read and dismissed.
  expect(toastBox.y + toastBox.height).toBeLessThanOrEqual(700);
  // Whatever the warning box shows is on screen above the strip, not under it.
  expect(warningBox.y + warningBox.height).toBeLessThanOrEqual(toastBox.y);

  await toast.getByRole('button', { name: 'Dismiss' }).click();
  await expect(toast).toHaveCount(0);
  // With no notice the strip takes no room.
  expect((await page.getByTestId('notices').boundingBox())?.height ?? 0).toBe(0);
});
