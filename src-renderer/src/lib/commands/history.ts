/**
 * Undo history as plain immutable data: the present state plus what came before and after it.
 * States are whole snapshots (a layer stack is a few kilobytes), so undo never has to invert an edit.
 */
export interface History<S> {
  readonly past: readonly S[];
  readonly present: S;
  readonly future: readonly S[];
}

/** How many steps back a user can go; older snapshots are dropped first. */
export const DEFAULT_HISTORY_LIMIT = 200;

export function createHistory<S>(present: S): History<S> {
  return { past: [], present, future: [] };
}

/**
 * Makes `next` the present. With `captureUndo` the old present becomes an undo step and the redo
 * branch is dropped; without it the present is swapped in place (selection changes, for instance,
 * should not fill the undo list).
 */
export function commitState<S>(
  history: History<S>,
  next: S,
  captureUndo: boolean,
  limit = DEFAULT_HISTORY_LIMIT,
): History<S> {
  if (next === history.present) return history;
  if (!captureUndo) return { ...history, present: next };
  const past = [...history.past, history.present];
  return { past: past.length > limit ? past.slice(past.length - limit) : past, present: next, future: [] };
}

export function canUndo<S>(history: History<S>): boolean {
  return history.past.length > 0;
}

export function canRedo<S>(history: History<S>): boolean {
  return history.future.length > 0;
}

export function undoHistory<S>(history: History<S>): History<S> {
  if (!canUndo(history)) return history;
  // canUndo saw a past entry; `as S` rather than `!` because S itself may allow undefined.
  const previous = history.past[history.past.length - 1] as S;
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future] };
}

export function redoHistory<S>(history: History<S>): History<S> {
  if (!canRedo(history)) return history;
  const [next, ...rest] = history.future;
  return { past: [...history.past, history.present], present: next as S, future: rest };
}
