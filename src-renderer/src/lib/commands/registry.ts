/**
 * Every user action on a document is a registered command, whatever triggered it (palette, keyboard,
 * menu, drag and drop). One `execute` path means every action can be undone the same way, and a
 * shortcut is just another way to name a command.
 *
 * `M` maps each command id to the type of its arguments (`undefined` for none).
 */
import type { KeyChord } from './keys.js';
import { commitState, redoHistory, undoHistory, canRedo, canUndo, type History } from './history.js';

interface CommandBase<S, A> {
  id: string;
  label: string;
  /** How the shortcut is shown in menus and tooltips, e.g. "Ctrl+Z". */
  shortcut?: string;
  keyTest?: (event: KeyChord) => boolean;
  isEnabled?: (state: S, args: A) => boolean;
}

/** A command that computes the next state; `null` means "nothing to do" (no history entry). */
export interface StateCommand<S, A> extends CommandBase<S, A> {
  kind: 'state';
  /**
   * Whether the change becomes an undo step (edits do; selection changes do not). A function lets
   * one command decide per call, e.g. to fold a burst of typing in one field into one step.
   */
  captureUndo: boolean | ((args: A) => boolean);
  perform: (state: S, args: A) => S | null;
}

/** Undo and redo walk the history instead of computing a state. */
export interface HistoryCommand<S> extends CommandBase<S, undefined> {
  kind: 'undo' | 'redo';
}

export type Command<S, A> = StateCommand<S, A> | HistoryCommand<S>;

export type ArgsOf<M, K extends keyof M> = M[K] extends undefined ? [args?: undefined] : [args: M[K]];

export interface ExecuteResult<S> {
  history: History<S>;
  /** False when the command was unknown, disabled or had nothing to do. */
  performed: boolean;
}

export class CommandRegistry<S, M extends { [id: string]: unknown }> {
  readonly #commands = new Map<keyof M, Command<S, never>>();

  register<K extends keyof M & string>(command: Command<S, M[K]> & { id: K }): this {
    if (this.#commands.has(command.id)) throw new Error(`Command '${command.id}' is registered twice`);
    this.#commands.set(command.id, command as Command<S, never>);
    return this;
  }

  get<K extends keyof M>(id: K): Command<S, M[K]> | undefined {
    return this.#commands.get(id) as Command<S, M[K]> | undefined;
  }

  list(): Command<S, unknown>[] {
    return [...this.#commands.values()] as Command<S, unknown>[];
  }

  isEnabled<K extends keyof M>(history: History<S>, id: K, ...rest: ArgsOf<M, K>): boolean {
    const command = this.get(id);
    if (!command) return false;
    if (command.kind === 'undo' && !canUndo(history)) return false;
    if (command.kind === 'redo' && !canRedo(history)) return false;
    return command.isEnabled ? command.isEnabled(history.present, rest[0] as M[K] & undefined) : true;
  }

  /** Runs one command against the history and returns the new history (the input is never changed). */
  execute<K extends keyof M>(history: History<S>, id: K, ...rest: ArgsOf<M, K>): ExecuteResult<S> {
    const command = this.get(id);
    if (!command || !this.isEnabled(history, id, ...rest)) return { history, performed: false };
    if (command.kind === 'undo') return { history: undoHistory(history), performed: true };
    if (command.kind === 'redo') return { history: redoHistory(history), performed: true };
    const edit = command as StateCommand<S, M[K]>;
    const args = rest[0] as M[K];
    const next = edit.perform(history.present, args);
    if (next === null || next === history.present) return { history, performed: false };
    const capture = typeof edit.captureUndo === 'function' ? edit.captureUndo(args) : edit.captureUndo;
    return { history: commitState(history, next, capture), performed: true };
  }

  /**
   * The command a key press should run: the first enabled match, in registration order. Two enabled
   * matches mean two commands claim one shortcut, which is a bug worth hearing about.
   */
  commandForKey(history: History<S>, event: KeyChord): (keyof M & string) | null {
    const matches = this.list().filter(
      (command) =>
        command.keyTest?.(event) &&
        this.isEnabled(history, command.id as keyof M, ...([] as unknown as ArgsOf<M, keyof M>)),
    );
    const first = matches[0];
    if (!first) return null;
    if (matches.length > 1) {
      console.warn(
        `Shortcut clash: ${matches.map((c) => c.id).join(', ')} all match this key press; running ${first.id}`,
      );
    }
    return first.id as keyof M & string;
  }
}
