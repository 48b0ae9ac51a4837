import { describe, expect, it } from 'vitest';
import {
  canRedo,
  canUndo,
  commitState,
  createHistory,
  redoHistory,
  undoHistory,
  type History,
} from '../../src-renderer/src/lib/commands/history.js';
import { matchesChord, type KeyChord } from '../../src-renderer/src/lib/commands/keys.js';
import {
  createStackCommands,
  type StackCommandArgs,
  type StackCommandId,
} from '../../src-renderer/src/lib/builder/stack-commands.js';
import {
  applyStackFix,
  createStackState,
  gapToMoveTarget,
  insertLayer,
  moveLayer,
  removeLayer,
  replaceStack,
  selectedIndex,
  stripIds,
  updateLayerConfig,
  type StackState,
} from '../../src-renderer/src/lib/builder/stack-ops.js';
import {
  checkSetting,
  formatFieldValue,
  parseFieldText,
  parseRegularizer,
} from '../../src-renderer/src/lib/builder/field-values.js';
import { summarizeLayer } from '../../src-renderer/src/lib/builder/layer-summary.js';
import { layoutDiagram, MAX_NEURONS, stackColumns } from '../../src-renderer/src/lib/builder/diagram-layout.js';
import { inferShapes } from '../../src-main/core/model/infer-shapes.js';
import { checkModelForTask } from '../../src-main/core/model/task-check.js';
import { LAYER_CATALOG } from '../../src-main/core/model/catalog.js';
import type { ArgsOf } from '../../src-renderer/src/lib/commands/registry.js';
import type { LayerSpec, ModelSpec } from '../../src-main/core/model/spec.js';

const classes = (state: StackState) => state.spec.layers.map((l) => l.className);
const ids = (state: StackState) => state.spec.layers.map((l) => l.id);

function key(key: string, mods: Partial<KeyChord> = {}): KeyChord {
  return { key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods };
}

/** Drives the real command registry the way the editor does, keeping the history between calls. */
function session(spec?: ModelSpec) {
  const registry = createStackCommands();
  let history: History<StackState> = createHistory(createStackState(spec));
  return {
    registry,
    get state() {
      return history.present;
    },
    get history() {
      return history;
    },
    run<K extends StackCommandId>(id: K, ...args: ArgsOf<StackCommandArgs, K>): boolean {
      const result = registry.execute(history, id, ...args);
      history = result.history;
      return result.performed;
    },
    press(event: KeyChord): string | null {
      const id = registry.commandForKey(history, event);
      // Keys only ever name commands without arguments.
      if (id) history = registry.execute(history, id as 'undo').history;
      return id;
    },
  };
}

describe('undo history', () => {
  it('walks back and forth through committed snapshots and drops the redo branch on a new edit', () => {
    let h = createHistory(1);
    h = commitState(h, 2, true);
    h = commitState(h, 3, true);
    expect([h.past, h.present, h.future]).toEqual([[1, 2], 3, []]);
    h = undoHistory(undoHistory(h));
    expect(h.present).toBe(1);
    expect(canUndo(h)).toBe(false);
    h = redoHistory(h);
    expect(h.present).toBe(2);
    h = commitState(h, 9, true);
    expect([h.past, h.present, h.future]).toEqual([[1, 2], 9, []]);
    expect(canRedo(h)).toBe(false);
  });

  it('swaps the present without an undo step when captureUndo is false, and keeps at most `limit` steps', () => {
    let h = commitState(createHistory('a'), 'b', false);
    expect([h.past.length, h.present]).toEqual([0, 'b']);
    for (let i = 0; i < 10; i++) h = commitState(h, `s${i}`, true, 4);
    expect(h.past).toEqual(['s5', 's6', 's7', 's8']);
  });
});

describe('stack operations', () => {
  it('adds catalogue layers with fresh ids, at the end or at an index, and selects the new one', () => {
    let s = insertLayer(createStackState(), 'Dense');
    s = insertLayer(s, 'Dropout');
    s = insertLayer(s, 'BatchNormalization', 1);
    expect(classes(s)).toEqual(['Dense', 'BatchNormalization', 'Dropout']);
    expect(ids(s)).toEqual(['L1', 'L3', 'L2']);
    expect(s.selectedId).toBe('L3');
    expect(s.spec.layers[0]?.config).toEqual({ units: 32, activation: 'relu' });
  });

  it('moves a layer and keeps the selection on it', () => {
    let s = createStackState();
    for (const name of ['Dense', 'Dropout', 'Activation'] as const) s = insertLayer(s, name);
    s = moveLayer(s, 2, 0);
    expect(classes(s)).toEqual(['Activation', 'Dense', 'Dropout']);
    expect(selectedIndex(s)).toBe(0);
    expect(moveLayer(s, 0, 3)).toBe(s);
  });

  it('converts drop gaps to move targets', () => {
    expect(gapToMoveTarget(0, 3)).toBe(2);
    expect(gapToMoveTarget(2, 0)).toBe(0);
    expect(gapToMoveTarget(1, 1)).toBeNull();
    expect(gapToMoveTarget(1, 2)).toBeNull();
  });

  it('removes a layer and hands the selection to its neighbour', () => {
    let s = createStackState();
    for (const name of ['Dense', 'Dropout', 'Activation'] as const) s = insertLayer(s, name);
    s = removeLayer(s, 2);
    expect(classes(s)).toEqual(['Dense', 'Dropout']);
    expect(s.selectedId).toBe('L2');
    expect(removeLayer(s, 7)).toBe(s);
  });

  it('replaces settings without touching the old snapshot', () => {
    const before = insertLayer(createStackState(), 'Dense');
    const after = updateLayerConfig(before, 0, { units: 3, activation: 'softmax' });
    expect(after.spec.layers[0]?.config).toEqual({ units: 3, activation: 'softmax' });
    expect(before.spec.layers[0]?.config).toEqual({ units: 32, activation: 'relu' });
  });

  it('gives loaded layers ids, keeps existing unique ones, and never reuses a number', () => {
    const spec: ModelSpec = {
      version: 1,
      layers: [
        { className: 'Dense', config: { units: 4 }, id: 'L7' },
        { className: 'Dense', config: { units: 4 }, id: 'L7' },
        { className: 'Dense', config: { units: 2 } },
      ],
    };
    const s = replaceStack(createStackState(), spec);
    expect(ids(s)).toEqual(['L7', 'L8', 'L9']);
    expect(ids(insertLayer(s, 'Dropout'))).toEqual(['L7', 'L8', 'L9', 'L10']);
    expect(stripIds(s.spec).layers[2]).toEqual({ className: 'Dense', config: { units: 2 } });
  });
});

describe('stack commands', () => {
  it('undoes and redoes a sequence of add, move, update and remove', () => {
    const s = session();
    s.run('layer.add', { className: 'Dense' });
    s.run('layer.add', { className: 'Dropout' });
    s.run('layer.add', { className: 'Dense' });
    s.run('layer.update', { index: 2, config: { units: 3, activation: 'softmax' } });
    s.run('layer.move', { from: 1, to: 0 });
    s.run('layer.remove', { index: 2 });
    expect(classes(s.state)).toEqual(['Dropout', 'Dense']);

    expect(s.run('undo')).toBe(true);
    expect(classes(s.state)).toEqual(['Dropout', 'Dense', 'Dense']);
    expect(s.state.spec.layers[2]?.config).toEqual({ units: 3, activation: 'softmax' });
    s.run('undo');
    expect(classes(s.state)).toEqual(['Dense', 'Dropout', 'Dense']);
    s.run('undo');
    expect(s.state.spec.layers[2]?.config).toEqual({ units: 32, activation: 'relu' });
    s.run('redo');
    s.run('redo');
    expect(classes(s.state)).toEqual(['Dropout', 'Dense', 'Dense']);
    expect(s.history.past).toHaveLength(5);

    for (let i = 0; i < 10; i++) s.run('undo');
    expect(s.state.spec.layers).toEqual([]);
    expect(s.run('undo')).toBe(false);
  });

  it('does not record selection changes or no-op edits as undo steps', () => {
    const s = session();
    s.run('layer.add', { className: 'Dense' });
    s.run('layer.add', { className: 'Dense' });
    s.run('layer.select', { id: 'L1' });
    expect(s.run('layer.move', { from: 1, to: 1 })).toBe(false);
    expect(s.run('layer.select', { id: 'nope' })).toBe(false);
    expect(s.history.past).toHaveLength(2);
    expect(s.state.selectedId).toBe('L1');
  });

  it('maps the keyboard to commands: Delete, Alt+arrows, Ctrl/Cmd+Z, Shift+Ctrl+Z and Ctrl+Y', () => {
    const s = session();
    s.run('layer.add', { className: 'Dense' });
    s.run('layer.add', { className: 'Dropout' });
    s.run('layer.add', { className: 'Activation' });
    expect(s.press(key('ArrowUp', { altKey: true }))).toBe('layer.moveSelectedUp');
    expect(classes(s.state)).toEqual(['Dense', 'Activation', 'Dropout']);
    expect(s.press(key('ArrowUp'))).toBe('layer.selectPrevious');
    expect(s.press(key('Delete'))).toBe('layer.removeSelected');
    expect(classes(s.state)).toEqual(['Activation', 'Dropout']);
    expect(s.press(key('z', { metaKey: true }))).toBe('undo');
    expect(classes(s.state)).toEqual(['Dense', 'Activation', 'Dropout']);
    expect(s.press(key('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(classes(s.state)).toEqual(['Activation', 'Dropout']);
    s.run('undo');
    expect(s.press(key('y', { ctrlKey: true }))).toBe('redo');
    expect(classes(s.state)).toEqual(['Activation', 'Dropout']);
    // Nothing left to redo: the shortcut is not claimed, so a text field could still use it.
    expect(s.press(key('y', { ctrlKey: true }))).toBeNull();
    expect(matchesChord(key('z', { ctrlKey: true, altKey: true }), { key: 'z', mod: true })).toBe(false);
  });

  it('refuses to register one id twice', () => {
    const registry = createStackCommands();
    expect(() => registry.register({ id: 'undo', kind: 'undo', label: 'Undo again' })).toThrow(
      /'undo' is registered twice/,
    );
  });
});

describe('fixes from the shape check', () => {
  it('inserts the suggested Reshape before a Conv2D fed with flat input, giving a valid stack', () => {
    const s = session();
    s.run('layer.add', { className: 'Conv2D' });
    s.run('layer.add', { className: 'Flatten' });
    s.run('layer.add', { className: 'Dense' });
    const before = inferShapes([64], s.state.spec);
    expect(before.ok).toBe(false);
    expect(before.issue?.layerIndex).toBe(0);
    expect(before.issue?.fix?.layer).toEqual({ className: 'Reshape', config: { targetShape: [8, 8, 1] } });

    s.run('stack.applyFix', { fix: before.issue!.fix! });
    const after = inferShapes([64], s.state.spec);
    expect(after.ok).toBe(true);
    expect(classes(s.state)).toEqual(['Reshape', 'Conv2D', 'Flatten', 'Dense']);
    expect(after.layers.map((l) => l.outputShape)).toEqual([[8, 8, 1], [8, 8, 16], [1024], [32]]);
    expect(s.state.selectedId).toBe(s.state.spec.layers[0]?.id);

    s.run('undo');
    expect(classes(s.state)).toEqual(['Conv2D', 'Flatten', 'Dense']);
  });

  it('replaces a layer in place (keeping its id) when the fix is a setting change', () => {
    const spec: ModelSpec = {
      version: 1,
      layers: [
        { className: 'Reshape', config: { targetShape: [2, 2, 1] } },
        { className: 'Conv2D', config: { filters: 4, kernelSize: [3, 3] } },
        { className: 'Flatten', config: {} },
      ],
    };
    const s = session(spec);
    const report = inferShapes([4], s.state.spec);
    expect(report.issue?.fix?.replaceAt).toBe(1);
    const convId = s.state.spec.layers[1]?.id;
    s.run('stack.applyFix', { fix: report.issue!.fix! });
    expect(s.state.spec.layers[1]).toMatchObject({ id: convId, config: { padding: 'same' } });
    expect(inferShapes([4], s.state.spec).ok).toBe(true);
    expect(applyStackFix(s.state, { insertAt: 0, replaceAt: 9, layer: spec.layers[0]! })).toBe(s.state);
  });
});

describe('fixes for the task', () => {
  it('inserts Flatten before a Dense that follows image input, and the model then fits a 10-class task', () => {
    const task = { kind: 'multiclass' as const, classes: 10 };
    const s = session();
    s.run('layer.add', { className: 'Dense' });
    s.run('layer.update', { index: 0, config: { units: 10, activation: 'softmax' } });
    const before = checkModelForTask([8, 8, 1], s.state.spec, task);
    expect(before.ok).toBe(false);
    expect(before.issue?.message).toMatch(/add Flatten before it/);
    expect(before.issue?.fix?.layer.className).toBe('Flatten');

    s.run('stack.applyFix', { fix: before.issue!.fix! });
    const after = checkModelForTask([8, 8, 1], s.state.spec, task);
    expect(classes(s.state)).toEqual(['Flatten', 'Dense']);
    expect(after.ok).toBe(true);
    expect(after.outputShape).toEqual([10]);
    expect(after.totalParams).toBe(64 * 10 + 10);
  });

  it('reaches a valid model by applying fixes one after another from Conv2D on flat input', () => {
    const task = { kind: 'binary' as const };
    const s = session();
    s.run('layer.add', { className: 'Conv2D' });
    let report = checkModelForTask([16], s.state.spec, task);
    const applied: string[] = [];
    for (let i = 0; i < 6 && !report.ok && report.issue?.fix; i++) {
      applied.push(report.issue.fix.description);
      s.run('stack.applyFix', { fix: report.issue.fix });
      report = checkModelForTask([16], s.state.spec, task);
    }
    expect(report.ok).toBe(true);
    expect(applied[0]).toMatch(/Reshape/);
    expect(classes(s.state)[0]).toBe('Reshape');
    expect(report.outputShape).toEqual([1]);
    // Each fix is its own undo step.
    expect(s.history.past).toHaveLength(1 + applied.length);
  });
});

describe('inspector values', () => {
  const dense = LAYER_CATALOG.Dense.fields.find((f) => f.key === 'units')!;
  const kernel = LAYER_CATALOG.Conv2D.fields.find((f) => f.key === 'kernelSize')!;
  const rate = LAYER_CATALOG.Dropout.fields.find((f) => f.key === 'rate')!;
  const seed = LAYER_CATALOG.Dropout.fields.find((f) => f.key === 'seed')!;

  it('parses numbers, lists and empty text, refusing what the field does not allow', () => {
    expect(parseFieldText(dense, '64')).toEqual({ ok: true, value: 64 });
    expect(parseFieldText(dense, '2.5')).toEqual({ ok: false, message: 'must be a whole number >= 1' });
    expect(parseFieldText(dense, '')).toEqual({ ok: false, message: 'is required' });
    expect(parseFieldText(seed, '')).toEqual({ ok: true, value: undefined });
    expect(parseFieldText(rate, '0.99')).toEqual({ ok: false, message: 'must be a number from 0 to 0.95' });
    expect(parseFieldText(kernel, '3, 5')).toEqual({ ok: true, value: [3, 5] });
    expect(parseFieldText(kernel, '4')).toEqual({ ok: true, value: 4 });
    expect(parseFieldText(kernel, '3, 3, 3')).toEqual({ ok: false, message: 'needs 1 or 2 numbers, e.g. 3, 3' });
    expect(formatFieldValue(kernel, [3, 5])).toBe('3, 5');
    expect(parseRegularizer('', '0.01')).toEqual({ ok: true, value: { l2: 0.01 } });
    expect(parseRegularizer('0', '')).toEqual({ ok: true, value: undefined });
    expect(parseRegularizer('x', '')).toMatchObject({ ok: false });
  });

  it('checks a changed setting against the layer schema before it reaches the stack', () => {
    const layer: LayerSpec = { className: 'Reshape', config: { targetShape: [8, 8, 1] }, id: 'L1' };
    expect(checkSetting(layer, 0, 'targetShape', [-1, -1])).toEqual({
      ok: false,
      message: 'may contain -1 only once',
      ownField: true,
    });
    const good = checkSetting(layer, 0, 'targetShape', [4, 16]);
    expect(good).toEqual({ ok: true, layer: { className: 'Reshape', config: { targetShape: [4, 16] }, id: 'L1' } });
    const gru: LayerSpec = { className: 'GRU', config: { units: 8 } };
    expect(checkSetting(gru, 2, 'resetAfter', true)).toMatchObject({
      ok: false,
      ownField: true,
      message: expect.stringMatching(/^must be false/),
    });
  });

  it('summarizes each kind of layer in one line', () => {
    expect(summarizeLayer({ className: 'Dense', config: { units: 64, activation: 'relu' } })).toBe('64 units · relu');
    expect(summarizeLayer({ className: 'Dense', config: { units: 1 } })).toBe('1 unit · linear');
    expect(summarizeLayer({ className: 'Conv2D', config: { filters: 8, kernelSize: [3, 3], padding: 'same' } })).toBe(
      '8 filters · 3×3 · same · linear',
    );
    expect(summarizeLayer({ className: 'Reshape', config: { targetShape: [8, 8, 1] } })).toBe('to [8, 8, 1]');
    expect(summarizeLayer({ className: 'LSTM', config: { units: 16, returnSequences: true } })).toBe(
      '16 units · tanh · all steps',
    );
    expect(summarizeLayer({ className: 'MaxPooling2D', config: {} })).toBe('pool 2×2 · valid');
  });
});

describe('network diagram layout', () => {
  it('draws a column per layer output, caps wide ones, and joins element-wise layers one to one', () => {
    const layout = layoutDiagram([
      { label: 'Input', shape: [4] },
      { label: 'Dense', shape: [64] },
      { label: 'Dropout', shape: [64], elementwise: true },
      { label: 'Dense', shape: [3] },
    ]);
    expect(layout.columns.map((c) => c.nodes.length)).toEqual([4, MAX_NEURONS, MAX_NEURONS, 3]);
    expect(layout.columns[1]?.ellipsis?.text).toBe('… 64');
    expect(layout.columns[0]?.ellipsis).toBeUndefined();
    expect(layout.links).toHaveLength(4 * MAX_NEURONS + MAX_NEURONS + MAX_NEURONS * 3);
    const xs = layout.columns.map((c) => c.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
  });

  it('draws grids and unknown shapes as labelled blocks with one link to each neighbour', () => {
    const layout = layoutDiagram([
      { label: 'Input', shape: [64] },
      { label: 'Reshape', shape: [8, 8, 1] },
      { label: 'Conv2D', shape: null, invalid: true },
    ]);
    expect(layout.columns.map((c) => c.kind)).toEqual(['neurons', 'block', 'block']);
    expect(layout.columns[1]?.block?.text).toBe('8×8×1');
    expect(layout.columns[2]).toMatchObject({ shapeLabel: '?', invalid: true, block: { text: '?' } });
    expect(layout.links).toHaveLength(MAX_NEURONS + 1);
  });

  it('reads its columns from a stack: the input, then each layer, with the one at fault marked', () => {
    const spec: ModelSpec = {
      version: 1,
      layers: [
        { className: 'Dense', config: { units: 5 } },
        { className: 'Dropout', config: { rate: 0.2 } },
      ],
    };
    const report = inferShapes([3], spec);
    const stack = { inputShape: [3], layers: spec.layers, layerShape: (index: number) => report.layers[index] };
    expect(stackColumns(stack)).toEqual([
      { label: 'Input', shape: [3], invalid: false },
      { label: 'Dense', shape: [5], elementwise: false, invalid: false },
      { label: 'Dropout', shape: [5], elementwise: true, invalid: false },
    ]);
    expect(stackColumns(stack, -1).map((c) => c.invalid)).toEqual([true, false, false]);
    expect(stackColumns(stack, 1).map((c) => c.invalid)).toEqual([false, false, true]);
  });
});
