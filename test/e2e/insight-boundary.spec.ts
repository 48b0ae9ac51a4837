/**
 * Journey on two moons: the learning-rate finder's suggestion becomes the learning rate in one click, and the
 * decision boundary drawn in the Inside tab changes from one epoch to a later one while the run trains. On auto
 * mpg, a category feature on an axis is drawn as bands named by its categories.
 */
import { expect, openTab, shot, test } from './app.js';
import { setNumber, waitForStatus } from './pages.js';

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

test('a category feature on an axis is drawn as bands named by its categories', async ({ app: page }) => {
  await openTab(page, 'data');
  await page.getByTestId('sample-picker').selectOption('auto_mpg');
  await page.getByTestId('sample-load').click();
  await expect(page.getByTestId('dataset-name')).toHaveText('auto_mpg.csv');
  await expect(page.getByTestId('task-kind')).toContainText('Regression: predict mpg');
  await page.getByLabel('Use cylinders as').selectOption('category');

  await openTab(page, 'model');
  await page.getByTestId('use-default-model').click();
  await expect(page.getByTestId('stack-error')).toHaveCount(0);
  await openTab(page, 'train');
  await setNumber(page, 'epochs', '10');
  await page.getByTestId('train-start').click();
  await waitForStatus(page, /^Finished/);

  // The fitted curve over origin: one band per origin, named on the axis.
  await openTab(page, 'insight');
  await expect(page.getByTestId('boundary-feature-0').locator('option')).toContainText(['cylinders', 'origin']);
  await page.getByTestId('boundary-feature-0').selectOption('origin');
  const xTicks = page.getByTestId('boundary-ticks-x').locator('span');
  await expect(xTicks).toHaveText(['Europe', 'Japan', 'USA']);
  await expect(page.getByTestId('boundary-canvas')).toHaveAttribute('data-epoch', 'kept');
  await shot(page, 'boundary-category-curve');

  // A number axis still shows its range's two ends.
  await page.getByTestId('boundary-feature-0').selectOption('weight_lbs');
  await expect(xTicks).toHaveCount(2);
  await expect(xTicks.first()).toHaveText(/^\d+$/);

  // Classification over a category and a number: the category's names along its axis, the other as numbers.
  await openTab(page, 'data');
  await page.getByTestId('target-picker').selectOption('origin');
  await expect(page.getByTestId('task-kind')).toContainText('origin');
  await openTab(page, 'model');
  await page.getByTestId('use-default-model').click();
  await expect(page.getByTestId('stack-error')).toHaveCount(0);
  await openTab(page, 'train');
  await page.getByTestId('train-start').click();
  await waitForStatus(page, /^Finished/);
  await openTab(page, 'insight');
  await page.getByTestId('boundary-feature-1').selectOption('cylinders');
  await page.getByTestId('boundary-feature-0').selectOption('horsepower');
  await expect(page.getByTestId('boundary-ticks-y').locator('span')).toHaveText(['8', '6', '5', '4', '3']);
  await expect(page.getByTestId('boundary-ticks-x').locator('span')).toHaveCount(2);
  await expect(page.getByTestId('boundary-legend')).toContainText('Japan');
  await expect(page.getByTestId('boundary-canvas')).toHaveAttribute('data-epoch', 'kept');
  await shot(page, 'boundary-category-axis');
});
