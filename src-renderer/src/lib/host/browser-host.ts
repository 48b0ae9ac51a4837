/**
 * Browser mode: no dialogs and no menu; files come in as uploads and leave as downloads, and the page itself
 * asks before a tab with unsaved work is closed or reloaded.
 */
import { api } from '../api.js';
import { nativeTextCommand, type Host } from './host.js';

export function createBrowserHost(): Host {
  let unsaved = false;
  window.addEventListener('beforeunload', (event) => {
    if (!unsaved) return;
    event.preventDefault();
    event.returnValue = '';
  });
  return {
    nativeDialogs: false,
    applicationMenu: false,
    downloads: true,
    download(url, fileName) {
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      link.rel = 'noopener';
      document.body.append(link);
      link.click();
      link.remove();
    },
    reportUnsaved(dirty) {
      unsaved = dirty;
    },
    // The engine relays host commands (none come in browser mode today) on the same subscription.
    onMenuCommand: (listener) => api.onMenuCommand(listener),
    textFieldCommand: nativeTextCommand,
  };
}
