/**
 * Where an undo goes. The router is driven the way the window drives it (a keydown, then the host menu's
 * command for the same press), with the real application registry over the real layer-stack commands and
 * history. Focused elements are described by the properties the router reads off a DOM element.
 */
import { describe, expect, it } from 'vitest';
import { APP_COMMANDS } from '../../src-main/contract/app-commands.js';
import { builderKeyCommand, createStackCommands } from '../../src-renderer/src/lib/builder/stack-commands.js';
import { createStackState, type StackState } from '../../src-renderer/src/lib/builder/stack-ops.js';
import {
  AppCommandRegistry,
  appCommandInfo,
  registerHistoryCommands,
  type AppCommandId,
  type UndoTarget,
} from '../../src-renderer/src/lib/commands/app-registry.js';
import { createHistory, type History } from '../../src-renderer/src/lib/commands/history.js';
import { chordFromAccelerator, type FocusTarget, type KeyChord } from '../../src-renderer/src/lib/commands/keys.js';
import { CommandRouter } from '../../src-renderer/src/lib/commands/routing.js';

const TEXT_FIELD: FocusTarget = { tagName: 'INPUT', type: 'text', isContentEditable: false };
const NUMBER_FIELD: FocusTarget = { tagName: 'INPUT', type: 'number', isContentEditable: false };
const TEXTAREA: FocusTarget = { tagName: 'TEXTAREA', isContentEditable: false };
const EDITABLE_DIV: FocusTarget = { tagName: 'DIV', isContentEditable: true };
const LAYER_CARD_BUTTON: FocusTarget = { tagName: 'BUTTON', type: 'submit', isContentEditable: false };
const CHECKBOX: FocusTarget = { tagName: 'INPUT', type: 'checkbox', isContentEditable: false };

function press(key: string, mods: Partial<KeyChord> = {}, target: FocusTarget | null = null) {
  return { key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods, target };
}

const CTRL_Z = (target: FocusTarget | null) => press('z', { ctrlKey: true }, target);

/**
 * A window with a three-layer stack (three undo steps), undo and redo registered as Workspace registers
 * them, and a record of what reached the focused text field natively.
 */
function window(options: { applicationMenu: boolean }) {
  const stack = createStackCommands();
  let history: History<StackState> = createHistory(createStackState());
  // The editor's undo surface over the real stack registry and history (StackEditor does the same with runes).
  const editor: UndoTarget = {
    get canUndo() {
      return stack.isEnabled(history, 'undo');
    },
    get canRedo() {
      return stack.isEnabled(history, 'redo');
    },
    undo: () => step('undo'),
    redo: () => step('redo'),
  };
  const step = (id: 'undo' | 'redo') => {
    const result = stack.execute(history, id);
    history = result.history;
    return result.performed;
  };
  for (const className of ['Dense', 'Dropout', 'Dense'] as const) {
    history = stack.execute(history, 'layer.add', { className }).history;
  }
  let focused: FocusTarget | null = null;
  const textFieldCommands: AppCommandId[] = [];
  const saves: string[] = [];

  const registry = registerHistoryCommands(new AppCommandRegistry(), editor).register('save', {
    run: (source) => void saves.push(source),
  });
  const router = new CommandRouter(registry, {
    applicationMenu: options.applicationMenu,
    focused: () => focused,
    textFieldCommand: (id) => void textFieldCommands.push(id),
  });
  return {
    router,
    registry,
    stack,
    get history() {
      return history;
    },
    get layers() {
      return history.present.spec.layers.map((layer) => layer.className);
    },
    focus(target: FocusTarget | null) {
      focused = target;
    },
    textFieldCommands,
    saves,
  };
}

describe('undo while a text field has the focus', () => {
  it('a menu undo (Electron, Edit > Undo or its accelerator) goes to the field, and the layer stack keeps its layers', async () => {
    for (const field of [TEXT_FIELD, NUMBER_FIELD, TEXTAREA, EDITABLE_DIV]) {
      const w = window({ applicationMenu: true });
      w.focus(field);
      expect(w.router.keyDown(CTRL_Z(field))).toBe(false);
      await w.router.menu('undo');
      expect(w.layers).toEqual(['Dense', 'Dropout', 'Dense']);
      expect(w.history.past).toHaveLength(3);
      expect(w.textFieldCommands).toEqual(['undo']);
    }
  });

  it('Ctrl+Z in a field in browser mode (no menu) is left to the field: the page does not claim the key', () => {
    const w = window({ applicationMenu: false });
    w.focus(TEXT_FIELD);
    expect(w.router.keyDown(CTRL_Z(TEXT_FIELD))).toBe(false);
    expect(w.router.keyDown(press('y', { ctrlKey: true }, TEXT_FIELD))).toBe(false);
    expect(w.layers).toEqual(['Dense', 'Dropout', 'Dense']);
    expect(w.history.past).toHaveLength(3);
  });

  it("the builder's own keys (Delete, arrows, undo) leave a text field alone too", () => {
    const w = window({ applicationMenu: false });
    const delete_ = press('Delete', {}, TEXT_FIELD);
    expect(builderKeyCommand(w.stack, w.history, delete_, 'stack')).toBeNull();
    expect(builderKeyCommand(w.stack, w.history, CTRL_Z(TEXT_FIELD), 'stack')).toBeNull();
    // Undo is never the builder's key, even on a card: the window's router owns it.
    expect(builderKeyCommand(w.stack, w.history, CTRL_Z(LAYER_CARD_BUTTON), 'stack')).toBeNull();
    expect(builderKeyCommand(w.stack, w.history, press('ArrowUp', {}, LAYER_CARD_BUTTON), 'stack')).toBe(
      'layer.selectPrevious',
    );
  });
});

describe('one undo per press', () => {
  it("Electron: Ctrl+Z outside a field is the menu's; its keydown does nothing and the menu command undoes exactly one step", async () => {
    const w = window({ applicationMenu: true });
    w.focus(LAYER_CARD_BUTTON);
    // The same press, as the page sees it and then as the menu delivers it.
    expect(w.router.keyDown(CTRL_Z(LAYER_CARD_BUTTON))).toBe(false);
    expect(w.history.past).toHaveLength(3);
    await w.router.menu('undo');
    expect(w.history.past).toHaveLength(2);
    expect(w.history.future).toHaveLength(1);
    expect(w.layers).toEqual(['Dense', 'Dropout']);
    expect(w.textFieldCommands).toEqual([]);
  });

  it("a checkbox is not a text field: the menu undo is the stack's", async () => {
    const w = window({ applicationMenu: true });
    w.focus(CHECKBOX);
    await w.router.menu('undo');
    expect(w.layers).toEqual(['Dense', 'Dropout']);
  });

  it('browser mode: with no menu to deliver it, the keydown itself undoes one step', () => {
    const w = window({ applicationMenu: false });
    expect(w.router.keyDown(CTRL_Z(LAYER_CARD_BUTTON))).toBe(true);
    expect(w.layers).toEqual(['Dense', 'Dropout']);
    expect(w.router.keyDown(press('Z', { ctrlKey: true, shiftKey: true }, LAYER_CARD_BUTTON))).toBe(true);
    expect(w.layers).toEqual(['Dense', 'Dropout', 'Dense']);
  });

  it("Electron: a redo key the menu does not show (Ctrl+Y) is the page's, and runs once", () => {
    const w = window({ applicationMenu: true });
    expect(w.router.keyDown(CTRL_Z(null))).toBe(false);
    void w.router.menu('undo');
    expect(w.layers).toEqual(['Dense', 'Dropout']);
    expect(w.router.keyDown(press('Z', { ctrlKey: true, shiftKey: true }, null))).toBe(false);
    expect(w.router.keyDown(press('y', { ctrlKey: true }, null))).toBe(true);
    expect(w.layers).toEqual(['Dense', 'Dropout', 'Dense']);
  });

  it('nothing to undo: the key is not claimed, so the browser keeps it', () => {
    const w = window({ applicationMenu: false });
    for (let i = 0; i < 3; i++) expect(w.router.keyDown(CTRL_Z(null))).toBe(true);
    expect(w.layers).toEqual([]);
    expect(w.router.keyDown(CTRL_Z(null))).toBe(false);
  });
});

describe('one declaration for the menu and the keys', () => {
  it("the page catches a command's key in browser mode and Ctrl+S in a text field still saves", () => {
    const w = window({ applicationMenu: false });
    expect(w.router.keyDown(press('s', { ctrlKey: true }, TEXT_FIELD))).toBe(true);
    expect(w.router.keyDown(press('s', { metaKey: true }, null))).toBe(true);
    expect(w.saves).toEqual(['key', 'key']);
    // In Electron the same key is the menu's: the page leaves it to arrive as a menu command.
    const desktop = window({ applicationMenu: true });
    expect(desktop.router.keyDown(press('s', { ctrlKey: true }, null))).toBe(false);
    expect(desktop.saves).toEqual([]);
  });

  it('every declared command has a distinct key, shown as the page shows it', () => {
    const chords = APP_COMMANDS.flatMap((command) => command.accelerators).map((accelerator) =>
      JSON.stringify(chordFromAccelerator(accelerator)),
    );
    expect(new Set(chords).size).toBe(chords.length);
    expect(appCommandInfo('saveAs').shortcut).toBe('Ctrl+Shift+S');
    expect(appCommandInfo('startTraining').shortcut).toBe('Ctrl+Enter');
    expect(appCommandInfo('openOnnx').shortcut).toBeUndefined();
    expect(new AppCommandRegistry().title('save')).toBe('Save (Ctrl+S)');
  });

  it("the stack's undo and redo keys are the application's declared ones", () => {
    const stack = createStackCommands();
    expect(stack.get('undo')?.shortcut).toBe(appCommandInfo('undo').shortcut);
    expect(stack.get('redo')?.shortcut).toBe(appCommandInfo('redo').shortcut);
  });

  it('a command registered twice is refused, and the unregistered ones are listed', () => {
    const registry = new AppCommandRegistry().register('new', { run: () => {} });
    expect(() => registry.register('new', { run: () => {} })).toThrow(/'new' is registered twice/);
    expect(registry.unregistered()).not.toContain('new');
    expect(registry.unregistered()).toContain('stopTraining');
  });
});
