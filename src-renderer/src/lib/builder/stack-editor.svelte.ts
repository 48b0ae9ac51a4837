/**
 * The model editor's state: the layer stack with its undo history, the selected layer, and the live
 * shape report for the dataset's input shape and task. Every change goes through `execute`, the same
 * entry the palette, the keyboard, the host menus and drag and drop use.
 */
import { canRedo, canUndo, createHistory, type History } from '../commands/history.js';
import type { KeyChord } from '../commands/keys.js';
import type { ArgsOf } from '../commands/registry.js';
import {
  inferShapes,
  type LayerShape,
  type ShapeFix,
  type ShapeIssue,
  type ShapeReport,
} from '$core/model/infer-shapes.js';
import { checkModelForTask, defaultModelSpec, type ModelTask } from '$core/model/task-check.js';
import { modelSizeBytes } from '$core/model/summary.js';
import { checkExportable, type ExportIssue } from '$core/model/exportability.js';
import type { LayerClassName, LayerConfigs, LayerSpec, ModelSpec } from '$core/model/spec.js';
import {
  builderKeyCommand,
  createStackCommands,
  type KeyScope,
  type StackCommandArgs,
  type StackCommandId,
} from './stack-commands.js';
import { createStackState, indexOfId, stripIds, type StackState } from './stack-ops.js';

export type BuilderTask = ModelTask;

export type { KeyScope };

export class StackEditor {
  readonly commands = createStackCommands();

  #history = $state.raw<History<StackState>>(createHistory(createStackState()));
  /** The field last edited ("L3:units"), so a burst of typing in it becomes one undo step. */
  #lastFieldEdit: string | null = null;

  /** From the dataset: the shape of one sample (no batch axis), or null before a dataset is ready. */
  inputShape = $state.raw<number[] | null>(null);
  task = $state.raw<BuilderTask | null>(null);

  readonly state: StackState = $derived(this.#history.present);
  readonly spec: ModelSpec = $derived(this.#history.present.spec);
  readonly layers: readonly LayerSpec[] = $derived(this.spec.layers);
  readonly selectedId: string | null = $derived(this.#history.present.selectedId);
  readonly selectedIndex: number = $derived(indexOfId(this.spec, this.selectedId));
  readonly selectedLayer: LayerSpec | null = $derived(this.spec.layers[this.selectedIndex] ?? null);
  readonly canUndo: boolean = $derived(canUndo(this.#history));
  readonly canRedo: boolean = $derived(canRedo(this.#history));

  /** The engine's verdict on the stack; null until the dataset gives an input shape. */
  readonly report: ShapeReport | null = $derived.by(() => {
    const inputShape = this.inputShape;
    if (!inputShape) return null;
    return this.task ? checkModelForTask(inputShape, this.spec, this.task) : inferShapes(inputShape, this.spec);
  });
  readonly issue: ShapeIssue | null = $derived(this.report?.issue ?? null);
  /** Layers that would train but could not be written to ONNX: known before training, not after. */
  readonly exportIssues: readonly ExportIssue[] = $derived(checkExportable(this.spec));
  readonly totalParams: number = $derived(this.report?.totalParams ?? 0);
  readonly trainableParams: number = $derived(this.report?.trainableParams ?? 0);
  readonly sizeBytes: number = $derived(modelSizeBytes(this.totalParams));

  /** Called by the App whenever the dataset's input shape or task changes. */
  setContext(inputShape: number[] | null, task: BuilderTask | null): void {
    if (!sameShape(this.inputShape, inputShape)) this.inputShape = inputShape ? [...inputShape] : null;
    if (!sameTask(this.task, task)) this.task = task ? { ...task } : null;
  }

  /** Shape and parameter count of the layer at `index`, when the check got that far. */
  layerShape(index: number): LayerShape | undefined {
    return this.report?.layers[index];
  }

  /** Runs a registered command; returns whether it changed anything. */
  execute<K extends StackCommandId>(id: K, ...args: ArgsOf<StackCommandArgs, K>): boolean {
    if (id !== 'layer.update') this.#lastFieldEdit = null;
    const result = this.commands.execute(this.#history, id, ...args);
    if (result.performed) this.#history = result.history;
    return result.performed;
  }

  canExecute<K extends StackCommandId>(id: K, ...args: ArgsOf<StackCommandArgs, K>): boolean {
    return this.commands.isEnabled(this.#history, id, ...args);
  }

  /**
   * Runs the stack command bound to a key press, if any, and reports whether it did (the caller then
   * prevents the default action). Undo and redo are the window's (see commands/routing.ts).
   */
  handleKey(event: KeyChord & { target?: EventTarget | null }, scope: KeyScope): boolean {
    const id = builderKeyCommand(this.commands, this.#history, event, scope);
    return id !== null && this.execute(id);
  }

  // ---- the operations, by name -------------------------------------------------------------------------

  add(className: LayerClassName, index?: number): boolean {
    return this.execute('layer.add', { className, index });
  }

  move(from: number, to: number): boolean {
    return this.execute('layer.move', { from, to });
  }

  remove(index: number): boolean {
    return this.execute('layer.remove', { index });
  }

  /**
   * Replaces the settings of the layer at `index`. Pass `field` (the setting's key) when the change comes
   * from typing: successive changes to the same field of the same layer then undo as one step.
   */
  update(index: number, config: LayerConfigs[LayerClassName], field?: string): boolean {
    const layer = this.spec.layers[index];
    const key = layer && field ? `${layer.id}:${field}` : null;
    const mergeWithPrevious = key !== null && key === this.#lastFieldEdit;
    const performed = this.execute('layer.update', { index, config, mergeWithPrevious });
    this.#lastFieldEdit = key;
    return performed;
  }

  select(id: string | null): boolean {
    return this.execute('layer.select', { id });
  }

  /** Applies the report's suggested fix (or the given one). */
  applyFix(fix: ShapeFix | undefined = this.issue?.fix): boolean {
    return fix ? this.execute('stack.applyFix', { fix }) : false;
  }

  /** Swaps in a whole stack as one undoable edit (e.g. "use the suggested model"). */
  replaceSpec(spec: ModelSpec): boolean {
    return this.execute('stack.replace', { spec });
  }

  /** Opens a stack as a fresh start (a loaded project): no undo back into the previous one. */
  load(spec: ModelSpec): void {
    this.#lastFieldEdit = null;
    this.#history = createHistory(createStackState(spec));
  }

  /** The engine's suggested first model for the current dataset, as one undoable edit. */
  useDefaultModel(): boolean {
    if (!this.inputShape || !this.task) return false;
    return this.replaceSpec(stripIds(defaultModelSpec(this.task, this.inputShape)));
  }

  undo(): boolean {
    return this.execute('undo');
  }

  redo(): boolean {
    return this.execute('redo');
  }
}

function sameShape(a: readonly number[] | null, b: readonly number[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function sameTask(a: BuilderTask | null, b: BuilderTask | null): boolean {
  if (a === null || b === null) return a === b;
  return a.kind === b.kind && a.classes === b.classes;
}
