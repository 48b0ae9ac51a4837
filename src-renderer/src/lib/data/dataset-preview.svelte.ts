/**
 * The dataset as the person sees and shapes it: the engine's summary, the column settings they edit, and
 * the engine's verdict on those settings (task, input shape, split counts, or a message), re-checked
 * shortly after every change.
 */
import { api } from '../api.js';
import type { ColumnSettings, DataCheck, DataSettings, DatasetSummary, SplitSettings } from '$contract/api.js';
import { errorMessage } from '../ui/format.js';
import { RowPages } from './row-pages.js';

const CHECK_DELAY_MS = 200;

export type SplitPart = 'train' | 'validation' | 'test';

/** The two parts that give way when one part moves, in the order they take the difference. */
const OTHER_PARTS: Record<SplitPart, readonly [SplitPart, SplitPart]> = {
  train: ['validation', 'test'],
  validation: ['train', 'test'],
  test: ['train', 'validation'],
};

export class DatasetPreview {
  summary = $state.raw<DatasetSummary | null>(null);
  settings = $state.raw<DataSettings | null>(null);
  check = $state.raw<DataCheck | null>(null);
  checking = $state(false);
  /** The text in the image-shape field, kept even while it does not parse. */
  imageShapeText = $state('');
  imageShapeError = $state<string | null>(null);
  /** Bumped when a page of rows arrives, so the table redraws. */
  rowsVersion = $state(0);
  rowError = $state<string | null>(null);
  rows: RowPages | null = null;

  private checkTimer: ReturnType<typeof setTimeout> | null = null;
  private checkSequence = 0;

  /**
   * What holds for the data as it is set up now, each message once. A passed check lists only what applies to
   * the columns in use, so a warning goes away when its cause is fixed; before that, the file's own warnings.
   */
  readonly warnings = $derived.by<DatasetSummary['warnings']>(() => {
    const all = this.check?.ok
      ? this.check.warnings
      : [...(this.summary?.warnings ?? []), ...(this.check?.warnings ?? [])];
    return all.filter((warning, i) => all.findIndex((other) => other.message === warning.message) === i);
  });

  readonly targetName = $derived(this.settings?.columns.find((column) => column.role === 'target')?.name ?? null);

  /** Show a dataset; `settings` from a project win over the engine's defaults when they fit this file. */
  show(summary: DatasetSummary | null, settings?: DataSettings | null): void {
    this.summary = summary;
    this.check = null;
    this.rowError = null;
    if (!summary) {
      this.settings = null;
      this.rows = null;
      return;
    }
    const fits =
      settings &&
      settings.columns.length === summary.columns.length &&
      settings.columns.every((column, i) => column.name === summary.columns[i]!.name);
    this.settings = fits ? settings : summary.defaults;
    this.imageShapeText = this.settings.image ? this.settings.image.shape.join(', ') : '';
    this.imageShapeError = null;
    this.rows = new RowPages(
      summary.rowCount,
      (start, count) => api.datasetRows(summary.id, start, count),
      () => this.rowsVersion++,
      (error) => (this.rowError = errorMessage(error)),
      summary.preview,
    );
    this.runCheckSoon(0);
  }

  setColumn(name: string, patch: Partial<ColumnSettings>): void {
    if (!this.settings) return;
    const columns = this.settings.columns.map((column) => {
      if (column.name === name) return { ...column, ...patch };
      // One target at a time: the old target goes back to being a feature.
      if (patch.role === 'target' && column.role === 'target') return { ...column, role: 'feature' as const };
      return column;
    });
    this.update({ ...this.settings, columns });
  }

  setTarget(name: string): void {
    this.setColumn(name, { role: 'target' });
  }

  /** Moves one split fraction and takes the difference from the others, so the three always add to 1. */
  setSplit(part: SplitPart, value: number): void {
    if (!this.settings) return;
    const split = { ...this.settings.split };
    const clamped = Math.max(0, Math.min(1, value));
    split[part] = clamped;
    const [firstPart, secondPart] = OTHER_PARTS[part];
    let rest = 1 - clamped;
    const otherTotal = split[firstPart] + split[secondPart];
    if (otherTotal <= 0) {
      split[firstPart] = rest;
      split[secondPart] = 0;
    } else {
      const first = round(rest * (split[firstPart] / otherTotal));
      split[firstPart] = first;
      rest = round(rest - first);
      split[secondPart] = Math.max(0, rest);
    }
    this.update({ ...this.settings, split: normalise(split) });
  }

  setSplitOption(patch: Partial<Pick<SplitSettings, 'seed' | 'stratify'>>): void {
    if (!this.settings) return;
    this.update({ ...this.settings, split: { ...this.settings.split, ...patch } });
  }

  setImageShape(text: string): void {
    this.imageShapeText = text;
    if (!this.settings) return;
    const trimmed = text.trim();
    if (trimmed === '') {
      this.imageShapeError = null;
      const { image: _dropped, ...rest } = this.settings;
      this.update(rest);
      return;
    }
    const parts = trimmed.split(/[\s,x×]+/).filter((part) => part !== '');
    const shape = parts.map(Number);
    if (shape.length < 2 || shape.some((n) => !Number.isInteger(n) || n <= 0)) {
      this.imageShapeError = 'Write the image shape as whole numbers separated by commas, e.g. "8, 8, 1".';
      return;
    }
    this.imageShapeError = null;
    this.update({ ...this.settings, image: { shape } });
  }

  private update(settings: DataSettings): void {
    this.settings = settings;
    this.runCheckSoon(CHECK_DELAY_MS);
  }

  /** Debounced: typing in a field asks once, and an answer to an older question is thrown away. */
  private runCheckSoon(delay: number): void {
    if (this.checkTimer) clearTimeout(this.checkTimer);
    this.checking = true;
    this.checkTimer = setTimeout(() => void this.runCheck(), delay);
  }

  private async runCheck(): Promise<void> {
    const summary = this.summary;
    const settings = this.settings;
    if (!summary || !settings) return;
    const sequence = ++this.checkSequence;
    try {
      const check = await api.checkData(summary.id, settings);
      if (sequence === this.checkSequence) this.check = check;
    } catch (error) {
      if (sequence === this.checkSequence) this.check = { ok: false, error: errorMessage(error), warnings: [] };
    } finally {
      if (sequence === this.checkSequence) this.checking = false;
    }
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function normalise(split: SplitSettings): SplitSettings {
  const total = split.train + split.validation + split.test;
  if (Math.abs(total - 1) < 1e-9) return split;
  return { ...split, train: round(1 - split.validation - split.test) };
}
