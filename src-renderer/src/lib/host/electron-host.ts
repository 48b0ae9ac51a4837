/** The desktop app: native dialogs, an application menu, and a main process that asks before closing. */
import { api } from '../api.js';
import { nativeTextCommand, type Host } from './host.js';

export function createElectronHost(): Host {
  let reported: boolean | null = null;
  return {
    nativeDialogs: true,
    applicationMenu: true,
    downloads: false,
    // The main process writes saved files itself and never hands out download links.
    download: () => {},
    reportUnsaved(dirty) {
      if (dirty === reported) return;
      reported = dirty;
      void api.setDirty(dirty).catch(() => {});
    },
    onMenuCommand: (listener) => api.onMenuCommand(listener),
    textFieldCommand: nativeTextCommand,
  };
}
