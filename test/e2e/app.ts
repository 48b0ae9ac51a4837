/**
 * What the journeys share: opening the app at the server's address, screenshots of each step, and a
 * watch on the browser console so a page error fails the test with its message.
 */
import { expect, test as base, type Page } from '@playwright/test';
import path from 'node:path';

export const SCREENS_DIR = path.join('test-results', 'screens');

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENS_DIR, `${name}.png`), fullPage: false });
}

export function appUrl(): string {
  const url = process.env.LAYERLAB_E2E_URL;
  if (!url)
    throw new Error(
      'LAYERLAB_E2E_URL is not set: run the tests through playwright.config.ts, whose global setup starts the server.',
    );
  return url;
}

interface AppFixtures {
  app: Page;
}

export const test = base.extend<AppFixtures>({
  app: async ({ page }, use) => {
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') console.log(`[browser console] ${message.text()}`);
    });
    await page.goto(appUrl());
    // The app opens the iris sample project on start; wait until its data is checked and ready.
    await expect(page.getByTestId('dataset-name')).toBeVisible();
    await use(page);
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  },
});

export { expect };

export async function openTab(
  page: Page,
  tab: 'data' | 'model' | 'train' | 'insight' | 'results' | 'export',
): Promise<void> {
  await page.getByTestId(`tab-${tab}`).click();
}
