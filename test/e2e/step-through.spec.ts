/**
 * Following one example on the two-moons sample: after a short run, the Inside tab traces a training row with
 * the run's kept weights, shows its loss and the gradients of its first layer (finite, not all zero), and Next
 * batch takes a real step whose loss change is shown. The Train tab shows the optimizer's rule with the
 * learning rate put in.
 */
import { expect, openTab, shot, test } from './app.js';
import { setNumber, waitForStatus } from './pages.js';

/** Every number in a text as the view writes them (a minus sign may be U+2212). */
function numbersIn(text: string): number[] {
  return (text.replace(/−/g, '-').match(/-?\d+(\.\d+)?(e[-+]?\d+)?/g) ?? []).map(Number);
}

test('one row of two moons, step by step, and Next batch changes its loss', async ({ app: page }) => {
  await page.getByTestId('sample-picker').selectOption('moons');
  await page.getByTestId('sample-load').click();
  await expect(page.getByTestId('dataset-name')).toHaveText('moons.csv');
  await openTab(page, 'model');
  await page.getByTestId('use-default-model').click();
  await expect(page.getByTestId('stack-error')).toHaveCount(0);

  await openTab(page, 'train');
  await page.getByTestId('optimizer').selectOption('sgd');
  await setNumber(page, 'learning-rate', '0.05');
  await expect(page.getByTestId('optimizer-rule')).toContainText('w ← w − 0.05·g');
  await expect(page.getByTestId('batch-rule')).toContainText('Mini-batch gradient descent');
  await page.getByTestId('optimizer').selectOption('adam');
  await expect(page.getByTestId('optimizer-rule')).toContainText('0.05');
  await expect(page.getByTestId('optimizer-rule')).toContainText('Adam');
  await setNumber(page, 'epochs', '3');
  await page.getByTestId('train-start').click();
  await waitForStatus(page, /^Finished/);

  await openTab(page, 'insight');
  const view = page.getByTestId('step-through');
  await expect(view.getByTestId('step-weights')).toContainText('kept weights');
  const loss = numbersIn((await view.getByTestId('step-loss').textContent()) ?? '');
  expect(loss).toHaveLength(1);
  expect(Number.isFinite(loss[0]!) && loss[0]! > 0).toBe(true);

  await view.getByRole('tab', { name: 'Loss' }).click();
  await expect(view.getByTestId('trace-loss')).toHaveText(/\d/);
  await view.getByRole('tab', { name: '← 1 Dense' }).click();
  const gradients = numbersIn((await view.getByTestId('trace-gradients').textContent()) ?? '');
  expect(gradients.length).toBeGreaterThan(4);
  expect(gradients.every(Number.isFinite)).toBe(true);
  expect(gradients.some((g) => g !== 0)).toBe(true);
  await view.getByRole('tab', { name: 'Update' }).click();
  await expect(view.getByTestId('update-example')).toContainText('Δw =');
  await shot(page, 'step-through-update');

  await view.getByTestId('next-batch').click();
  const step = view.getByTestId('batch-step');
  await expect(step).toContainText('Batch 1 of');
  const [before, after] = numbersIn((await step.textContent())!.split('batch loss')[1]!);
  expect(Number.isFinite(before!) && Number.isFinite(after!)).toBe(true);
  expect(after).not.toBe(before);
  await expect(view.getByTestId('step-weights')).toContainText('after 1 batch of Next batch');
  await shot(page, 'step-through-next-batch');
});
