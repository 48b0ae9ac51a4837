/** Short messages for the person (warnings, errors, confirmations) shown in one corner of the window. */
export type NoticeTone = 'info' | 'warning' | 'error' | 'ok';

export interface Notice {
  id: number;
  tone: NoticeTone;
  text: string;
  /** True once the cause is gone: the notice is then withdrawn, read or not. */
  resolved?: () => boolean;
}

const INFO_LIFETIME_MS = 6000;

export class Notices {
  list = $state.raw<Notice[]>([]);
  private nextId = 1;

  push(tone: NoticeTone, text: string, options: { resolved?: () => boolean } = {}): void {
    const notice: Notice = { id: this.nextId++, tone, text, ...options };
    this.list = [...this.list, notice];
    // Errors and warnings stay until dismissed: they usually need reading twice.
    if (tone === 'info' || tone === 'ok') setTimeout(() => this.dismiss(notice.id), INFO_LIFETIME_MS);
  }

  /** Withdraws every notice whose cause is gone; reading `list` and the conditions makes it reactive. */
  withdrawResolved(): void {
    const open = this.list.filter((notice) => !notice.resolved?.());
    if (open.length !== this.list.length) this.list = open;
  }

  dismiss(id: number): void {
    this.list = this.list.filter((notice) => notice.id !== id);
  }
}
