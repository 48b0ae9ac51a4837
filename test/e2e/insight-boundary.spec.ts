/**
 * Journey on two moons: the learning-rate finder's suggestion becomes the learning rate in one click, and the
 * decision boundary drawn in the Inside tab changes from one epoch to a later one while the run trains.
 */
import { expect, openTab, test } from './app.js';
import { setNumber } from './pages.js';

test('the finder sets the learning rate, and the decision boundary moves while the run trains', async ({
  app: page,
}) => {
  await openTab(page, 'data');
  await page.getByTestId('sample-picker').selectOption('moons');
  await page.getByTestId('sample-load').click();
  await expect(page.getByTestId('dataset-name')).toHaveText('moons.csv');

  await openTab(page, 'model');
  await page.getByTestId('use-default-model').click();
  await expect(page.getByTestId('stack-error')).toHaveCount(0);

  await openTab(page, 'train');
  await page.getByTestId('optimizer').selectOption('adam');
  await page.getByTestId('lr-find').click();
  const suggested = page.getByTestId('lr-suggested');
  await expect(suggested).toBeVisible({ timeout: 60_000 });
  const rate = Number(await suggested.getAttribute('data-rate'));
  expect(rate).toBeGreaterThan(1e-5);
  expect(rate).toBeLessThan(1);
  await page.getByTestId('lr-use').click();
  // The field takes the suggestion to two significant digits, as the finder shows it.
  await expect(page.getByTestId('learning-rate')).toHaveValue(String(Number(rate.toPrecision(2))));

  await setNumber(page, 'epochs', '30000');
  // The run must still be going when the second boundary is looked at.
  await page.getByTestId('early-stopping').uncheck();
  await page.getByTestId('train-start').click();
  await openTab(page, 'insight');

  const canvas = page.getByTestId('boundary-canvas');
  await expect(canvas).toHaveAttribute('data-epoch', /^\d+$/, { timeout: 60_000 });
  const firstEpoch = Number(await canvas.getAttribute('data-epoch'));
  const firstPixels = await canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL());
  await expect(page.getByTestId('boundary-legend')).toContainText('upper');
  await expect(page.getByTestId('boundary-legend')).toContainText('lower');

  // A later epoch paints a different boundary (the model is still learning the moons' shape).
  await expect
    .poll(
      async () => {
        const epoch = Number(await canvas.getAttribute('data-epoch'));
        const pixels = await canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL());
        return epoch > firstEpoch && pixels !== firstPixels;
      },
      { timeout: 90_000 },
    )
    .toBe(true);

  await openTab(page, 'train');
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('train-status')).toHaveText(/^Stopped at epoch \d+$/, { timeout: 60_000 });
});
