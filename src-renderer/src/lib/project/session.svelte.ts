/**
 * The window's session in the engine. The engine outlives the window (a reload, a second tab), so the window
 * keeps its draft there as it changes, under a random key it stores for its origin, and asks for it back when
 * it starts: the dataset, the model, the settings, the runs and a training in progress come back.
 */
import { api } from '../api.js';
import type { TrainingRun } from '../train/training-run.svelte.js';
import type { ProjectFile } from './project-file.svelte.js';

const KEY_NAME = 'layerlab.session';
/** Edits come a keystroke at a time; the engine hears of them once they pause. */
const SEND_DELAY_MS = 250;

/** A key of 24 random hex digits, kept for this origin so a reload and a second tab find the same session. */
export function windowSessionKey(storage: Pick<Storage, 'getItem' | 'setItem'> | null = localStorageOrNull()): string {
  const kept = storage?.getItem(KEY_NAME);
  if (kept && /^s-[0-9a-f]{24}$/.test(kept)) return kept;
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  const key = `s-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
  storage?.setItem(KEY_NAME, key);
  return key;
}

function localStorageOrNull(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    // Storage can be switched off; the window then starts afresh on every load, as before.
    return null;
  }
}

export class WindowSession {
  private lastSent = '';
  private send: (() => void) | null = null;

  constructor(
    private readonly project: ProjectFile,
    private readonly run: TrainingRun,
    readonly key = windowSessionKey(),
  ) {}

  /** Brings back the engine's session for this window; false when it has none (start with the sample then). */
  async restore(): Promise<boolean> {
    this.run.holdForJoin();
    let snapshot: Awaited<ReturnType<typeof api.getSession>> = null;
    try {
      snapshot = await api.getSession(this.key);
    } finally {
      this.run.join(snapshot?.running ?? null);
    }
    if (!snapshot) return false;
    this.project.restore(snapshot);
    return true;
  }

  /** Sends the draft whenever it changes (call inside an effect root); a page being left sends it at once. */
  keep(): () => void {
    $effect(() => {
      const projectId = this.project.projectId;
      const draft = this.project.draft();
      if (!projectId || !draft) return;
      const text = JSON.stringify(draft);
      if (text === this.lastSent) return;
      const send = () => {
        this.send = null;
        this.lastSent = text;
        // A draft the engine refuses (a field mid-edit) leaves the last good one in place; the next edit retries.
        api.setSessionDraft(this.key, projectId, draft).catch(() => (this.lastSent = ''));
      };
      this.send = send;
      const timer = setTimeout(send, SEND_DELAY_MS);
      return () => clearTimeout(timer);
    });
    const leaving = () => this.send?.();
    window.addEventListener('pagehide', leaving);
    return () => window.removeEventListener('pagehide', leaving);
  }
}
