/** The Electron window's pure rules: which file an app:// address serves, and which links leave the app. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_START_URL, appUrlToFile, mayOpenExternally } from '../../src-main/host/app-protocol.js';

const root = path.resolve('/opt/layerlab/renderer');

describe('app:// addresses', () => {
  it('serve files of the renderer folder, the start page included', () => {
    expect(appUrlToFile(root, APP_START_URL)).toBe(path.join(root, 'index.html'));
    expect(appUrlToFile(root, 'app://layerlab/')).toBe(path.join(root, 'index.html'));
    expect(appUrlToFile(root, 'app://layerlab/assets/index-1a2b.js?v=1')).toBe(
      path.join(root, 'assets', 'index-1a2b.js'),
    );
  });

  it('never reach outside the folder, whatever the escaping', () => {
    for (const address of [
      'app://layerlab/../../etc/passwd',
      'app://layerlab/%2e%2e/%2e%2e/etc/passwd',
      'app://layerlab/assets/%2e%2e%2f%2e%2e%2f..%2fetc/passwd',
    ]) {
      const file = appUrlToFile(root, address);
      expect(file === null || file.startsWith(root + path.sep), `${address} -> ${file}`).toBe(true);
    }
    expect(appUrlToFile(root, 'app://layerlab/assets/%2e%2e%2f%2e%2e%2f..%2fetc/passwd')).toBeNull();
    for (const address of [
      'app://layerlab/..%5c..%5cwindows',
      'app://layerlab/index.html%00.png',
      'app://layerlab/%E0%A4%A',
      'app://other/index.html',
      'file:///etc/passwd',
      'not an address',
    ]) {
      expect(appUrlToFile(root, address), address).toBeNull();
    }
  });
});

describe('links opened in the browser', () => {
  it('are https on an allowed host only', () => {
    expect(mayOpenExternally('https://onnx.ai/onnx/operators/')).toBe(true);
    expect(mayOpenExternally('https://www.tensorflow.org/js')).toBe(true);
    expect(mayOpenExternally('http://onnx.ai/')).toBe(false);
    expect(mayOpenExternally('https://onnx.ai.evil.example/')).toBe(false);
    expect(mayOpenExternally('https://user@onnx.ai/')).toBe(false);
    expect(mayOpenExternally('file:///etc/passwd')).toBe(false);
    expect(mayOpenExternally('javascript:alert(1)')).toBe(false);
  });
});
