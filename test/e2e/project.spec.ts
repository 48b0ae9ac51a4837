/** Saving and opening a project in browser mode: the file travels as a download and comes back as an upload. */
import { readFile } from 'node:fs/promises';
import { expect, openTab, shot, test } from './app.js';
import { selectCard, setField } from './pages.js';

test('save downloads the project; opening it brings the edited model back', async ({ app: page }, testInfo) => {
  await page.getByTestId('project-name').fill('Iris, wider');
  await openTab(page, 'model');
  await selectCard(page, 0);
  await setField(page, 'units', '24');
  await expect(page.getByTestId('layer-shape-0')).toContainText('[24]');
  await expect(page.getByTestId('dirty-marker')).toBeVisible();

  // Leaving the page with unsaved work asks first; staying keeps everything.
  const asked = page.waitForEvent('dialog');
  await page.close({ runBeforeUnload: true });
  const question = await asked;
  expect(question.type()).toBe('beforeunload');
  await question.dismiss();
  expect(page.isClosed()).toBe(false);
  await expect(page.getByTestId('layer-shape-0')).toContainText('[24]');

  const downloading = page.waitForEvent('download');
  await page.getByTestId('project-save').click();
  const download = await downloading;
  const saved = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(saved);
  expect(download.suggestedFilename()).toMatch(/\.layerlab\.json$/);
  const document = JSON.parse(await readFile(saved, 'utf8')) as {
    name: string;
    model: { layers: Array<{ config: { units?: number } }> };
  };
  expect(document.name).toBe('Iris, wider');
  expect(document.model.layers[0]?.config.units).toBe(24);
  await expect(page.getByTestId('dirty-marker')).toHaveCount(0);
  await shot(page, 'project-01-saved');

  // A fresh project forgets the edit; opening the saved file restores it.
  await page.getByTestId('project-new').click();
  await expect(page.getByTestId('project-name')).not.toHaveValue('Iris, wider');
  await page.getByTestId('project-upload').setInputFiles(saved);
  await expect(page.getByTestId('project-name')).toHaveValue('Iris, wider');
  await expect(page.getByTestId('layer-shape-0')).toContainText('[24]');
  await shot(page, 'project-02-reopened');
});
