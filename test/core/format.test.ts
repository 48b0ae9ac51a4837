/** The one formatter for counts and sizes, shared by the window and the CLI, reads the same everywhere. */
import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount } from '../../src-main/core/format/numbers.js';
import * as rendererFormat from '../../src-renderer/src/lib/ui/format.js';

describe('formatBytes', () => {
  it('shows bytes whole below 1 KB, then binary multiples with one decimal', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KB');
    expect(formatBytes(67_112)).toBe('65.5 KB');
    expect(formatBytes(75 * 1024 * 1024)).toBe('75.0 MB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GB');
  });
});

describe('formatCount', () => {
  it('groups thousands with commas whatever the machine locale, rounding to whole numbers', () => {
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1_000_000)).toBe('1,000,000');
    expect(formatCount(12_345.6)).toBe('12,346');
    expect(formatCount(-4_200)).toBe('-4,200');
    expect(formatCount(-0.2)).toBe('0');
  });
});

it('the renderer shows the same text as the CLI: its helpers are the shared ones', () => {
  expect(rendererFormat.formatBytes).toBe(formatBytes);
  expect(rendererFormat.formatCount).toBe(formatCount);
});
