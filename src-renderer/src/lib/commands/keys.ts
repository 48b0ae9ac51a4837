/**
 * Keyboard chords for command shortcuts. "mod" is Ctrl on Windows/Linux and Cmd on macOS; either one
 * is accepted so the same shortcut works wherever the app runs (and in a browser tab).
 */
export interface KeyChord {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export interface ChordPattern {
  key: string;
  mod?: boolean;
  shift?: boolean;
  alt?: boolean;
}

export function matchesChord(event: KeyChord, pattern: ChordPattern): boolean {
  const mod = event.ctrlKey || event.metaKey;
  return event.key.toLowerCase() === pattern.key.toLowerCase()
    && mod === Boolean(pattern.mod)
    && event.shiftKey === Boolean(pattern.shift)
    && event.altKey === Boolean(pattern.alt);
}

/** A keyTest accepting any of the given chords. */
export function chordTest(...patterns: ChordPattern[]): (event: KeyChord) => boolean {
  return (event) => patterns.some((pattern) => matchesChord(event, pattern));
}

/** "Ctrl+Shift+Z" (or "⌘⇧Z" style names on macOS are left to the menus, which Electron draws itself). */
export function chordLabel(pattern: ChordPattern): string {
  const parts: string[] = [];
  if (pattern.mod) parts.push('Ctrl');
  if (pattern.shift) parts.push('Shift');
  if (pattern.alt) parts.push('Alt');
  parts.push(pattern.key.length === 1 ? pattern.key.toUpperCase() : pattern.key);
  return parts.join('+');
}

/** True when the key press belongs to a text field, whose own editing keys (Backspace, Ctrl+Z) must win. */
export function isTextEntryTarget(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['button', 'checkbox', 'radio', 'range', 'submit', 'reset', 'color', 'file'].includes(type);
}
