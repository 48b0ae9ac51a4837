/**
 * How counts and sizes read, for the window and the terminal alike, so a panel and the CLI never disagree
 * about the same file. No Node or DOM here: the renderer imports it too.
 */

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** "640 B", "65.5 KB", "3.0 MB": binary multiples, one decimal from KB up. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

/** 1234567 -> "1,234,567": thousands separators independent of the machine's locale. */
export function formatCount(count: number): string {
  const whole = String(Math.round(Math.abs(count))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return count < 0 && whole !== '0' ? `-${whole}` : whole;
}
