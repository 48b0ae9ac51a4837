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
  return (
    event.key.toLowerCase() === pattern.key.toLowerCase() &&
    mod === Boolean(pattern.mod) &&
    event.shiftKey === Boolean(pattern.shift) &&
    event.altKey === Boolean(pattern.alt)
  );
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

/**
 * The chord an Electron accelerator names ("CmdOrCtrl+Shift+S"), so the menu's keys and the page's keys
 * come from one declaration.
 */
export function chordFromAccelerator(accelerator: string): ChordPattern {
  const parts = accelerator.split('+');
  const key = parts.pop();
  if (!key) throw new Error(`Accelerator "${accelerator}" names no key`);
  const chord: ChordPattern = { key: key === 'Return' ? 'Enter' : key };
  for (const modifier of parts) {
    if (['CmdOrCtrl', 'CommandOrControl', 'Cmd', 'Command', 'Ctrl', 'Control', 'Meta', 'Super'].includes(modifier))
      chord.mod = true;
    else if (modifier === 'Shift') chord.shift = true;
    else if (modifier === 'Alt' || modifier === 'Option') chord.alt = true;
    else throw new Error(`Accelerator "${accelerator}" has an unknown modifier "${modifier}"`);
  }
  return chord;
}

/** What key routing needs to know of an element: read off the DOM element itself. */
export interface FocusTarget {
  tagName?: string;
  type?: string;
  isContentEditable?: boolean;
}

const NON_TEXT_INPUTS: ReadonlySet<string> = new Set([
  'button',
  'checkbox',
  'radio',
  'range',
  'submit',
  'reset',
  'color',
  'file',
  'image',
]);

/**
 * True when the key press belongs to a text field, whose own editing keys (Backspace, Ctrl+Z) must win.
 * It reads the element's properties rather than asking `instanceof HTMLElement`, so the routing that
 * depends on it runs outside a page too.
 */
export function isTextEntryTarget(target: EventTarget | FocusTarget | null | undefined): boolean {
  if (!target || typeof target !== 'object') return false;
  const element = target as FocusTarget;
  if (element.isContentEditable === true) return true;
  const tag = element.tagName?.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  return !NON_TEXT_INPUTS.has((element.type ?? 'text').toLowerCase());
}
