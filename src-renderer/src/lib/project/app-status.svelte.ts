/** The window's own state: which tab is open, what the engine said about itself, and what is in progress. */
import type { ConnectionState } from '../api.js';
import type { AppInfo } from '$contract/api.js';
import { errorMessage } from '../ui/format.js';
import type { Notices } from '../ui/notices.svelte.js';

export type TabId = 'data' | 'model' | 'train' | 'insight' | 'results' | 'export';

export class AppStatus {
  tab = $state<TabId>('data');
  appInfo = $state.raw<AppInfo | null>(null);
  connection = $state<ConnectionState>('connecting');
  /** A project-wide action in progress ("Opening project…"). */
  busy = $state<string | null>(null);

  constructor(private readonly notices: Notices) {}

  /** Runs one project-wide action with its label on the top bar; a failure becomes an error notice. */
  async guard(label: string, action: () => Promise<void>): Promise<void> {
    this.busy = label;
    try {
      await action();
    } catch (error) {
      this.notices.push('error', errorMessage(error));
    } finally {
      this.busy = null;
    }
  }
}
