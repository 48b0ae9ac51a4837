/**
 * Which part of the window a key press or menu command belongs to.
 *
 * - A text field keeps its own undo and redo: with one focused, Ctrl+Z (the key or the menu item) undoes
 *   the typing, never the layer stack.
 * - Where the host has an application menu, the menu owns the keys it shows: the press reaches the page as
 *   a menu command, so the page's key handler leaves those keys alone. Otherwise one press could run the
 *   command twice, once from the key and once from the menu.
 */
import { appCommandInfo, isMenuChord, type AppCommandId, type AppCommandRegistry } from './app-registry.js';
import { isTextEntryTarget, type FocusTarget, type KeyChord } from './keys.js';

export interface RoutingSurroundings {
  /** The host draws an application menu, which delivers its own keys as menu commands. */
  readonly applicationMenu: boolean;
  /** The element with the keyboard focus now. */
  focused(): FocusTarget | null;
  /** Lets the focused text field do its own version of the command (its native undo or redo). */
  textFieldCommand(id: AppCommandId): void;
}

export class CommandRouter {
  constructor(
    private readonly registry: AppCommandRegistry,
    private readonly surroundings: RoutingSurroundings,
  ) {}

  /**
   * Runs the command a key press names when the press is the page's to handle; true means it ran (the
   * caller then prevents the browser's default for the key).
   */
  keyDown(event: KeyChord & { target?: EventTarget | FocusTarget | null }): boolean {
    const command = this.registry.commandForKey(event);
    if (!command) return false;
    if (this.surroundings.applicationMenu && isMenuChord(event)) return false;
    if (command.textFieldsOwnIt && isTextEntryTarget(event.target)) return false;
    if (!this.registry.isEnabled(command.id)) return false;
    void this.registry.run(command.id, 'key');
    return true;
  }

  /** A command chosen in the host's menu (or with its key): the focused text field's when it has one. */
  async menu(id: AppCommandId): Promise<void> {
    const command = appCommandInfo(id);
    if (command.textFieldsOwnIt && isTextEntryTarget(this.surroundings.focused())) {
      this.surroundings.textFieldCommand(id);
      return;
    }
    await this.registry.run(id, 'menu');
  }
}
