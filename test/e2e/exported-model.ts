/** What the journeys read off an exported model and the Model tab, to tell one run's weights from another's. */
import { expect, type Page } from '@playwright/test';
import { onnx } from '../../src-main/core/onnx/proto/onnx.js';
import { openTab } from './app.js';

/** The learned weights in the downloaded ONNX file: every Dense kernel and bias, counted value by value. */
export async function downloadedParameterCount(page: Page): Promise<number> {
  const href = await page.getByTestId('export-download').getAttribute('href');
  expect(href).toBeTruthy();
  const response = await page.request.get(new URL(href!, page.url()).toString());
  expect(response.ok()).toBe(true);
  const model = onnx.ModelProto.decode(await response.body());
  return (model.graph?.initializer ?? [])
    .filter((tensor) => /^dense\d+_(kernel|bias)/.test(tensor.name ?? ''))
    .reduce((sum, tensor) => sum + (tensor.dims ?? []).reduce<number>((n, d) => n * Number(d), 1), 0);
}

/** The model's parameter count as the Model tab shows it. */
export async function totalParams(page: Page): Promise<number> {
  await openTab(page, 'model');
  return Number((await page.getByTestId('total-params').textContent())!.replace(/,/g, ''));
}
