/**
 * The column table says how numbers written with currency and thousands separators were read, and how many
 * cells said inf or NaN or were too large for the model's 32-bit numbers.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, shot, test } from './app.js';
import { uploadCsv } from './pages.js';

test('written numbers, inf words and overflow are shown per column', async ({ app: page }) => {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'layerlab-e2e-written-'));
  const rows = ['price,rate,big,y'];
  for (let i = 0; i < 30; i++) {
    const price = i === 0 ? '"$1,234.50"' : `$${(i * 3.25).toFixed(2)}`;
    const rate = i < 2 ? ['inf', 'NaN'][i] : String(i / 10);
    rows.push(`${price},${rate},${i === 5 ? '1e300' : i},${i % 2}`);
  }
  const file = path.join(folder, 'written.csv');
  await writeFile(file, `${rows.join('\n')}\n`);

  await uploadCsv(page, file);
  await expect(page.getByTestId('dataset-name')).toHaveText('written.csv');
  await expect(page.getByTestId('read-as-price')).toHaveText('"$1,234.50" read as 1234.5');
  await expect(page.getByTestId('non-finite-rate')).toHaveText('2 inf/NaN read as missing');
  await expect(page.getByTestId('overflow-big')).toHaveText('1 too large for float32');
  await shot(page, 'written-numbers');
});

test('"Refuse inf/NaN cells" stops the load at the first one, naming its line and column', async ({ app: page }) => {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'layerlab-e2e-refuse-'));
  const rows = ['x,y', ...Array.from({ length: 20 }, (_, i) => `${i === 3 ? 'inf' : i},${i % 2}`)];
  const file = path.join(folder, 'infs.csv');
  await writeFile(file, `${rows.join('\n')}\n`);

  await page.getByTestId('refuse-non-finite').check();
  await uploadCsv(page, file);
  await expect(page.getByTestId('data-error')).toContainText("infs.csv line 5, column 1 ('x'): 'inf' is not a number");
  await page.getByTestId('data-error').getByRole('button', { name: 'Dismiss' }).click();

  await page.getByTestId('refuse-non-finite').uncheck();
  await uploadCsv(page, file);
  await expect(page.getByTestId('dataset-name')).toHaveText('infs.csv');
  await expect(page.getByTestId('non-finite-x')).toHaveText('1 inf/NaN read as missing');
});
