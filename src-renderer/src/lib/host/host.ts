/**
 * What the program around the page can do. Electron and browser mode differ in what they offer (native
 * dialogs, an application menu, asking before the window closes); panels ask the host instead of testing
 * which one they run in. One implementation is chosen at start-up (see choose-host.ts).
 */
import type { MenuCommand } from '$contract/api.js';
import type { AppCommandId } from '../commands/app-registry.js';

export interface Host {
  /** Open and save go through the host's own file dialogs; without them the page offers uploads instead. */
  readonly nativeDialogs: boolean;
  /** An application menu, which owns the keys it shows and delivers them as menu commands. */
  readonly applicationMenu: boolean;
  /** Saved files reach the person as downloads from a link (the host writes no files itself). */
  readonly downloads: boolean;
  /** Starts a download of a saved file, where files arrive that way. */
  download(url: string, fileName: string): void;
  /** Keeps the host told about unsaved work, so closing the window asks first. */
  reportUnsaved(dirty: boolean): void;
  /** Commands chosen in the host's menu. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
  /** The focused text field's own version of a command: its native undo or redo. */
  textFieldCommand(id: AppCommandId): void;
}

/** Undo and redo as the browser does them in the focused field. */
export function nativeTextCommand(id: AppCommandId): void {
  if (id === 'undo' || id === 'redo') document.execCommand(id);
}
