/** Short messages for the person (warnings, errors, confirmations) shown in one corner of the window. */
export type NoticeTone = 'info' | 'warning' | 'error' | 'ok';

export interface Notice {
  id: number;
  tone: NoticeTone;
  text: string;
}

const INFO_LIFETIME_MS = 6000;

export class Notices {
  list = $state.raw<Notice[]>([]);
  private nextId = 1;

  push(tone: NoticeTone, text: string): void {
    const notice = { id: this.nextId++, tone, text };
    this.list = [...this.list, notice];
    // Errors and warnings stay until dismissed: they usually need reading twice.
    if (tone === 'info' || tone === 'ok') setTimeout(() => this.dismiss(notice.id), INFO_LIFETIME_MS);
  }

  dismiss(id: number): void {
    this.list = this.list.filter((notice) => notice.id !== id);
  }
}
