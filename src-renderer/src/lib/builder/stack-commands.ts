/**
 * The commands of the layer stack: what the palette, the cards, the keyboard, the menus and drag and
 * drop can ask for. All of them go through one registry so that each edit is one undo step.
 */
import { CommandRegistry } from '../commands/registry.js';
import { appCommandInfo } from '../commands/app-registry.js';
import {
  chordLabel,
  chordTest,
  isTextEntryTarget,
  type ChordPattern,
  type FocusTarget,
  type KeyChord,
} from '../commands/keys.js';
import type { History } from '../commands/history.js';
import type { LayerClassName, LayerConfigs, ModelSpec } from '$core/model/spec.js';
import {
  applyStackFix,
  createStackState,
  insertLayer,
  moveLayer,
  removeLayer,
  replaceStack,
  selectedIndex,
  selectLayer,
  selectRelative,
  updateLayerConfig,
  type StackFix,
  type StackState,
} from './stack-ops.js';

export type StackCommandArgs = {
  'layer.add': { className: LayerClassName; index?: number };
  'layer.move': { from: number; to: number };
  'layer.remove': { index: number };
  /** `mergeWithPrevious`: the previous edit was the same field of the same layer; replace it, do not stack. */
  'layer.update': { index: number; config: LayerConfigs[LayerClassName]; mergeWithPrevious?: boolean };
  'layer.select': { id: string | null };
  'layer.selectPrevious': undefined;
  'layer.selectNext': undefined;
  'layer.removeSelected': undefined;
  'layer.moveSelectedUp': undefined;
  'layer.moveSelectedDown': undefined;
  'stack.applyFix': { fix: StackFix };
  'stack.replace': { spec: ModelSpec };
  'stack.clear': undefined;
  undo: undefined;
  redo: undefined;
};

export type StackCommandId = keyof StackCommandArgs;

/** Commands that act on the selected card: their keys only count while the stack has the focus. */
export const STACK_FOCUS_COMMANDS: ReadonlySet<StackCommandId> = new Set<StackCommandId>([
  'layer.selectPrevious',
  'layer.selectNext',
  'layer.removeSelected',
  'layer.moveSelectedUp',
  'layer.moveSelectedDown',
]);

/** The stack's history keys are the application's undo and redo: declared once, with the menu. */
const historyChords = (id: 'undo' | 'redo') => appCommandInfo(id).chords.map((chord) => ({ ...chord }));

const keys = {
  undo: historyChords('undo'),
  redo: historyChords('redo'),
  remove: [{ key: 'Delete' }, { key: 'Backspace' }],
  moveUp: [{ key: 'ArrowUp', alt: true }],
  moveDown: [{ key: 'ArrowDown', alt: true }],
  previous: [{ key: 'ArrowUp' }],
  next: [{ key: 'ArrowDown' }],
} satisfies Record<string, ChordPattern[]>;

const shortcut = (patterns: ChordPattern[]) => ({
  shortcut: patterns[0] && chordLabel(patterns[0]),
  keyTest: chordTest(...patterns),
});

/** Where a key press happened: the stack list owns the selection keys; the rest of the builder none of its own. */
export type KeyScope = 'stack' | 'builder';

/** Commands a key can trigger: those that need no arguments. */
export type ArgumentlessStackCommandId = {
  [K in StackCommandId]: StackCommandArgs[K] extends undefined ? K : never;
}[StackCommandId];

/**
 * The stack command the builder's own key handler runs for a press, or null. Undo and redo are not among
 * them: they are application commands, routed (text field, menu or stack) by the window's command router.
 * Keys typed into text fields are left to the field.
 */
export function builderKeyCommand(
  registry: CommandRegistry<StackState, StackCommandArgs>,
  history: History<StackState>,
  event: KeyChord & { target?: EventTarget | FocusTarget | null },
  scope: KeyScope,
): ArgumentlessStackCommandId | null {
  if (isTextEntryTarget(event.target)) return null;
  const id = registry.commandForKey(history, event) as ArgumentlessStackCommandId | null;
  if (!id || id === 'undo' || id === 'redo') return null;
  return scope === 'stack' || !STACK_FOCUS_COMMANDS.has(id) ? id : null;
}

const hasSelection = (state: StackState) => selectedIndex(state) >= 0;

export function createStackCommands(): CommandRegistry<StackState, StackCommandArgs> {
  return new CommandRegistry<StackState, StackCommandArgs>()
    .register({
      id: 'layer.add',
      kind: 'state',
      label: 'Add layer',
      captureUndo: true,
      perform: (state, { className, index }) => insertLayer(state, className, index),
    })
    .register({
      id: 'layer.move',
      kind: 'state',
      label: 'Move layer',
      captureUndo: true,
      perform: (state, { from, to }) => moveLayer(state, from, to),
    })
    .register({
      id: 'layer.remove',
      kind: 'state',
      label: 'Remove layer',
      captureUndo: true,
      perform: (state, { index }) => removeLayer(state, index),
    })
    .register({
      id: 'layer.update',
      kind: 'state',
      label: 'Change layer settings',
      captureUndo: (args) => !args.mergeWithPrevious,
      perform: (state, { index, config }) => updateLayerConfig(state, index, config),
    })
    .register({
      id: 'layer.select',
      kind: 'state',
      label: 'Select layer',
      captureUndo: false,
      perform: (state, { id }) => selectLayer(state, id),
    })
    .register({
      id: 'layer.selectPrevious',
      kind: 'state',
      label: 'Select previous layer',
      captureUndo: false,
      ...shortcut(keys.previous),
      isEnabled: (state) => state.spec.layers.length > 0,
      perform: (state) => selectRelative(state, -1),
    })
    .register({
      id: 'layer.selectNext',
      kind: 'state',
      label: 'Select next layer',
      captureUndo: false,
      ...shortcut(keys.next),
      isEnabled: (state) => state.spec.layers.length > 0,
      perform: (state) => selectRelative(state, 1),
    })
    .register({
      id: 'layer.removeSelected',
      kind: 'state',
      label: 'Remove selected layer',
      captureUndo: true,
      ...shortcut(keys.remove),
      isEnabled: hasSelection,
      perform: (state) => removeLayer(state, selectedIndex(state)),
    })
    .register({
      id: 'layer.moveSelectedUp',
      kind: 'state',
      label: 'Move selected layer up',
      captureUndo: true,
      ...shortcut(keys.moveUp),
      isEnabled: (state) => selectedIndex(state) > 0,
      perform: (state) => moveLayer(state, selectedIndex(state), selectedIndex(state) - 1),
    })
    .register({
      id: 'layer.moveSelectedDown',
      kind: 'state',
      label: 'Move selected layer down',
      captureUndo: true,
      ...shortcut(keys.moveDown),
      isEnabled: (state) => hasSelection(state) && selectedIndex(state) < state.spec.layers.length - 1,
      perform: (state) => moveLayer(state, selectedIndex(state), selectedIndex(state) + 1),
    })
    .register({
      id: 'stack.applyFix',
      kind: 'state',
      label: 'Apply suggested fix',
      captureUndo: true,
      perform: (state, { fix }) => applyStackFix(state, fix),
    })
    .register({
      id: 'stack.replace',
      kind: 'state',
      label: 'Replace the whole stack',
      captureUndo: true,
      perform: (state, { spec }) => replaceStack(state, spec),
    })
    .register({
      id: 'stack.clear',
      kind: 'state',
      label: 'Remove all layers',
      captureUndo: true,
      isEnabled: (state) => state.spec.layers.length > 0,
      perform: (state) => ({ ...createStackState(), nextId: state.nextId }),
    })
    .register({ id: 'undo', kind: 'undo', label: 'Undo', ...shortcut(keys.undo) })
    .register({ id: 'redo', kind: 'redo', label: 'Redo', ...shortcut(keys.redo) });
}
