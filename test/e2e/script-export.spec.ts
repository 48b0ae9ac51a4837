/**
 * Export & Predict writes a trained run as a PyTorch training script: the page names the file after the project
 * and run, and offers the script and the run's weights for download.
 */
import { expect, openTab, test } from './app.js';
import { setNumber, waitForStatus } from './pages.js';

test('a trained run downloads as a PyTorch script with its weights', async ({ app: page }) => {
  await page.getByTestId('project-name').fill('flowers');
  await openTab(page, 'train');
  await setNumber(page, 'epochs', '4');
  await page.getByTestId('train-start').click();
  await waitForStatus(page, /^Finished/);
  await openTab(page, 'export');
  await page.getByTestId('export-script-pytorch').click();
  await expect(page.getByTestId('export-script-result')).toContainText('Saved flowers-run-1-pytorch', {
    timeout: 60_000,
  });

  const script = await page.getByTestId('export-script-download').getAttribute('href');
  const response = await page.request.get(new URL(script!, page.url()).toString());
  expect(response.ok()).toBe(true);
  const text = await response.text();
  expect(text).toContain('DistributedDataParallel');
  expect(text).toContain('"target": "species"');

  const weights = await page.getByTestId('export-script-weights-download').getAttribute('href');
  const blob = await (await page.request.get(new URL(weights!, page.url()).toString())).body();
  expect(blob.subarray(0, 4).toString('latin1')).toBe('LLW1');
});
