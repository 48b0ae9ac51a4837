/**
 * The application's commands (save, open, train, undo…): their labels and keys come from the shared
 * declaration in contract/app-commands.ts, which also builds the Electron menu; the page registers what
 * each one does, once. Buttons, keys and the host's menu all run them through here.
 */
import { APP_COMMANDS, type AppCommandDeclaration, type AppCommandId } from '$contract/app-commands.js';
import { chordFromAccelerator, chordLabel, matchesChord, type ChordPattern, type KeyChord } from './keys.js';

export type { AppCommandId };

/** How a command was asked for. */
export type CommandSource = 'button' | 'key' | 'menu';

export interface AppCommandHandler {
  run(source: CommandSource): void | Promise<void>;
  /** Without it the command is always available. */
  isEnabled?(): boolean;
}

export interface AppCommand extends AppCommandDeclaration {
  readonly id: AppCommandId;
  readonly chords: readonly ChordPattern[];
  /** The menu's key, the first accelerator, as the page shows it ("Ctrl+S"). */
  readonly shortcut: string | undefined;
}

const COMMANDS: ReadonlyMap<AppCommandId, AppCommand> = new Map(
  APP_COMMANDS.map((declared): [AppCommandId, AppCommand] => {
    const chords = declared.accelerators.map(chordFromAccelerator);
    const first = chords[0];
    return [declared.id, { ...declared, chords, shortcut: first ? chordLabel(first) : undefined }];
  }),
);

/** The keys an application menu shows, and so owns, where there is one. */
const MENU_CHORDS: readonly ChordPattern[] = [...COMMANDS.values()].flatMap((command) => command.chords.slice(0, 1));

export function isMenuChord(event: KeyChord): boolean {
  return MENU_CHORDS.some((chord) => matchesChord(event, chord));
}

export function appCommandInfo(id: AppCommandId): AppCommand {
  const command = COMMANDS.get(id);
  if (!command) throw new Error(`No application command '${id}'`);
  return command;
}

export class AppCommandRegistry {
  readonly #handlers = new Map<AppCommandId, AppCommandHandler>();

  register(id: AppCommandId, handler: AppCommandHandler): this {
    if (this.#handlers.has(id)) throw new Error(`Application command '${id}' is registered twice`);
    this.#handlers.set(id, handler);
    return this;
  }

  /** Declared commands nobody registered: a menu item or key that would do nothing. */
  unregistered(): AppCommandId[] {
    return [...COMMANDS.keys()].filter((id) => !this.#handlers.has(id));
  }

  isEnabled(id: AppCommandId): boolean {
    const handler = this.#handlers.get(id);
    return handler !== undefined && (handler.isEnabled?.() ?? true);
  }

  /** Runs the command when it is enabled; resolves to whether it ran. */
  async run(id: AppCommandId, source: CommandSource): Promise<boolean> {
    const handler = this.#handlers.get(id);
    if (!handler || !this.isEnabled(id)) return false;
    await handler.run(source);
    return true;
  }

  /** The declared command a key press names, enabled or not. */
  commandForKey(event: KeyChord): AppCommand | null {
    for (const command of COMMANDS.values()) {
      if (command.chords.some((chord) => matchesChord(event, chord))) return command;
    }
    return null;
  }

  /** "Save (Ctrl+S)": a button's tooltip. */
  title(id: AppCommandId): string {
    const command = appCommandInfo(id);
    const label = command.label.replace(/…$/, '');
    return command.shortcut ? `${label} (${command.shortcut})` : label;
  }
}

/** What undo and redo act on when no text field has them: the layer stack's editor. */
export interface UndoTarget {
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  undo(): boolean;
  redo(): boolean;
}

/** Registers undo and redo over the editor's history (the router gives them to a focused text field first). */
export function registerHistoryCommands(registry: AppCommandRegistry, target: UndoTarget): AppCommandRegistry {
  return registry
    .register('undo', { run: () => void target.undo(), isEnabled: () => target.canUndo })
    .register('redo', { run: () => void target.redo(), isEnabled: () => target.canRedo });
}
