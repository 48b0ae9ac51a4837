/**
 * A million-row CSV, as a person would meet it: it uploads with progress (the browser's read, then the engine's),
 * the summary counts every row, and the preview scrolls to the middle and the very end showing the right rows
 * (only the rows in view exist).
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { expect, openTab, shot, test } from './app.js';

const ROWS = 1_000_000;
const COLOURS = ['red', 'green', 'blue'];

/** Row i (0-based) holds id i+1, a value derived from it, a colour and a target: every cell can be checked. */
async function writeLargeCsv(file: string): Promise<void> {
  const out = createWriteStream(file);
  out.write('id,value,colour,target\n');
  let chunk = '';
  for (let i = 0; i < ROWS; i++) {
    chunk += `${i + 1},${((i * 7) % 1000) / 10},${COLOURS[i % 3]},${i % 2}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

async function expectRowShown(page: import('@playwright/test').Page, index: number): Promise<void> {
  const row = page.locator(`[data-testid="preview-viewport"] [data-row="${index}"]`);
  await expect(row).toBeVisible();
  const cells = row.locator('.cell');
  await expect(cells.nth(0)).toHaveText(String(index + 1));
  await expect(cells.nth(1)).toHaveText(String(index + 1));
  await expect(cells.nth(2)).toHaveText(String(((index * 7) % 1000) / 10));
  await expect(cells.nth(3)).toHaveText(COLOURS[index % 3]!);
}

interface ProgressLog {
  engineProgress: Array<{ label: string; value: number }>;
}

/**
 * The engine's part of the load can be over in a second, too quick for polling to be sure to see it, so the page
 * itself writes down every state of the progress bar that speaks of the engine.
 */
async function recordEngineProgress(page: import('@playwright/test').Page): Promise<void> {
  await page.evaluate(() => {
    const log: ProgressLog['engineProgress'] = [];
    (window as unknown as ProgressLog).engineProgress = log;
    const note = () => {
      const bar = document.querySelector('[data-testid="data-progress"]');
      const label = bar?.getAttribute('aria-label') ?? '';
      const value = bar?.getAttribute('aria-valuenow');
      if (label.includes('in the engine') && value != null && log.at(-1)?.label !== label)
        log.push({ label, value: Number(value) });
    };
    new MutationObserver(note).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true,
    });
  });
}

test('a million-row CSV loads and its preview scrolls to any row', async ({ app: page }) => {
  test.setTimeout(180_000);
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'layerlab-large-')), 'million.csv');
  await writeLargeCsv(file);

  await openTab(page, 'data');
  await recordEngineProgress(page);
  await page.getByTestId('csv-upload').setInputFiles(file);
  await expect(page.getByTestId('data-progress')).toBeVisible();
  await shot(page, 'large-01-progress');
  await expect(page.getByTestId('dataset-name')).toHaveText('million.csv', { timeout: 120_000 });
  // While the engine read the file, the bar showed how far it had got, in bytes and as a determinate value.
  const engineSteps = await page.evaluate(() => (window as unknown as ProgressLog).engineProgress);
  expect(engineSteps.length).toBeGreaterThan(0);
  for (const step of engineSteps) {
    expect(step.label).toMatch(/^Reading million\.csv in the engine: [\d.]+ (B|KB|MB) of [\d.]+ MB$/);
    expect(step.value).toBeGreaterThanOrEqual(0);
    expect(step.value).toBeLessThanOrEqual(100);
  }
  const values = engineSteps.map((step) => step.value);
  expect(values).toEqual([...values].sort((a, b) => a - b));
  expect(values.at(-1)).toBe(100);
  await expect(page.getByTestId('dataset-rows')).toHaveText('1,000,000 rows');
  // The row counter is recognised as an identifier and left out of the features.
  await expect(page.getByTestId('role-id')).toHaveValue('ignore');

  const viewport = page.getByTestId('preview-viewport');
  await viewport.scrollIntoViewIfNeeded();
  await expectRowShown(page, 0);

  // A few turns of the mouse wheel move through the rows smoothly.
  await viewport.hover();
  for (let i = 0; i < 5; i++) await page.mouse.wheel(0, 280);
  await expect(viewport.locator('[data-row="0"]')).toHaveCount(0);

  // Dragging the scroll bar to the middle and to the end (set as the bar would set it).
  await viewport.evaluate((element) => (element.scrollTop = (element.scrollHeight - element.clientHeight) / 2));
  // The rows under the new scroll position are drawn on the next frame, later still on a busy machine.
  const firstDrawn = async () => Number(await viewport.locator('[data-row]').nth(8).getAttribute('data-row'));
  await expect.poll(firstDrawn).toBeGreaterThan(ROWS * 0.45);
  const middle = await firstDrawn();
  expect(middle).toBeLessThan(ROWS * 0.55);
  await expectRowShown(page, middle);
  await shot(page, 'large-02-middle');

  await viewport.evaluate((element) => (element.scrollTop = element.scrollHeight));
  await expectRowShown(page, ROWS - 1);
  // Only a window of rows exists in the page, never the whole file.
  expect(await viewport.locator('[data-row]').count()).toBeLessThan(60);
  await shot(page, 'large-03-end');
});
