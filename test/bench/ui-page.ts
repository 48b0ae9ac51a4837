/** What the UI benchmarks wait for on the page. */
import type { Page } from 'playwright';

/** The window can train: a dataset is loaded and checked, the model is valid, and Start is enabled. */
export async function waitUntilReadyToTrain(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    () => {
      const start = document.querySelector<HTMLButtonElement>('[data-testid="train-start"]');
      return start !== null && !start.disabled;
    },
    null,
    { timeout: timeoutMs, polling: 'raf' },
  );
}
