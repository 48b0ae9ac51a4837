/**
 * The layer stack as immutable data, and every edit a user can make to it. Each function returns a new
 * state (or the same object when nothing changes), so the undo history can keep plain snapshots.
 *
 * Every layer carries a stable `id` ("L1", "L2", …) from the moment it enters the stack: the UI keys
 * its cards by it, and selection follows a layer when it moves.
 */
import { createLayer } from '$core/model/catalog.js';
import {
  MODEL_SPEC_VERSION,
  type LayerClassName,
  type LayerConfigs,
  type LayerSpec,
  type ModelSpec,
} from '$core/model/spec.js';

export interface StackState {
  readonly spec: ModelSpec;
  readonly selectedId: string | null;
  /** The number the next new layer id uses; kept in the state so ids stay unique across undo. */
  readonly nextId: number;
}

/** A suggested repair from the shape check: put `layer` at `insertAt`, or swap it in at `replaceAt`. */
export interface StackFix {
  insertAt: number;
  layer: LayerSpec;
  replaceAt?: number;
}

const ID_PATTERN = /^L(\d+)$/;

export function emptySpec(): ModelSpec {
  return { version: MODEL_SPEC_VERSION, layers: [] };
}

export function createStackState(spec: ModelSpec = emptySpec()): StackState {
  return withIds({ spec: emptySpec(), selectedId: null, nextId: 1 }, spec);
}

/** Gives every layer of `spec` a unique id (keeping ones it already has) and makes it the stack. */
function withIds(state: StackState, spec: ModelSpec): StackState {
  let nextId = state.nextId;
  for (const layer of spec.layers) {
    const match = layer.id ? ID_PATTERN.exec(layer.id) : null;
    if (match) nextId = Math.max(nextId, Number(match[1]) + 1);
  }
  const seen = new Set<string>();
  const layers = spec.layers.map((layer) => {
    if (layer.id && !seen.has(layer.id)) {
      seen.add(layer.id);
      return layer;
    }
    const id = `L${nextId++}`;
    seen.add(id);
    return { ...layer, id } as LayerSpec;
  });
  return { spec: { version: MODEL_SPEC_VERSION, layers }, selectedId: state.selectedId, nextId };
}

export function indexOfId(spec: ModelSpec, id: string | null): number {
  return id === null ? -1 : spec.layers.findIndex((layer) => layer.id === id);
}

export function selectedIndex(state: StackState): number {
  return indexOfId(state.spec, state.selectedId);
}

function isIndex(spec: ModelSpec, index: number): boolean {
  return Number.isInteger(index) && index >= 0 && index < spec.layers.length;
}

function clampInsertIndex(spec: ModelSpec, index: number | undefined): number {
  if (index === undefined || !Number.isFinite(index)) return spec.layers.length;
  return Math.min(Math.max(0, Math.trunc(index)), spec.layers.length);
}

function withLayers(state: StackState, layers: LayerSpec[], selectedId = state.selectedId): StackState {
  return { ...state, spec: { ...state.spec, layers }, selectedId };
}

/** Puts `layer` (given a fresh id) at `index` (default: the end) and selects it. */
export function insertLayerSpec(state: StackState, layer: LayerSpec, index?: number): StackState {
  const at = clampInsertIndex(state.spec, index);
  const id = `L${state.nextId}`;
  const layers = [...state.spec.layers];
  layers.splice(at, 0, { ...structuredClone(layer), id } as LayerSpec);
  return { ...withLayers(state, layers, id), nextId: state.nextId + 1 };
}

/** Adds a layer of `className` with the catalogue's default settings. */
export function insertLayer(state: StackState, className: LayerClassName, index?: number): StackState {
  return insertLayerSpec(state, createLayer(className), index);
}

/** Moves the layer at `from` so that it ends up at index `to`. */
export function moveLayer(state: StackState, from: number, to: number): StackState {
  if (!isIndex(state.spec, from) || !isIndex(state.spec, to) || from === to) return state;
  const layers = [...state.spec.layers];
  const moved = layers.splice(from, 1)[0]!;
  layers.splice(to, 0, moved);
  return withLayers(state, layers);
}

/**
 * Drag and drop speaks in gaps: gap g lies just above card g (gap = length is below the last card).
 * Returns the final index for the dragged card, or null when the drop would not move it.
 */
export function gapToMoveTarget(from: number, gap: number): number | null {
  const to = gap > from ? gap - 1 : gap;
  return to === from ? null : to;
}

/** Removes the layer at `index`; the selection moves to its neighbour so Delete can be pressed again. */
export function removeLayer(state: StackState, index: number): StackState {
  if (!isIndex(state.spec, index)) return state;
  const removed = state.spec.layers[index]!;
  const layers = state.spec.layers.filter((_, i) => i !== index);
  let selectedId = state.selectedId;
  if (selectedId === removed.id) selectedId = (layers[index] ?? layers[index - 1])?.id ?? null;
  return withLayers(state, layers, selectedId);
}

/** Replaces the settings of the layer at `index` (the caller has validated them). */
export function updateLayerConfig<K extends LayerClassName>(
  state: StackState,
  index: number,
  config: LayerConfigs[K],
): StackState {
  if (!isIndex(state.spec, index)) return state;
  const layers = [...state.spec.layers];
  layers[index] = { ...layers[index]!, config: structuredClone(config) } as LayerSpec;
  return withLayers(state, layers);
}

export function selectLayer(state: StackState, id: string | null): StackState {
  if (id === state.selectedId) return state;
  if (id !== null && indexOfId(state.spec, id) < 0) return state;
  return { ...state, selectedId: id };
}

/** Selects the layer `delta` places away from the selected one (the first one if none is). */
export function selectRelative(state: StackState, delta: number): StackState {
  const count = state.spec.layers.length;
  if (count === 0) return state;
  const current = selectedIndex(state);
  const next = current < 0 ? (delta > 0 ? 0 : count - 1) : Math.min(Math.max(current + delta, 0), count - 1);
  return selectLayer(state, state.spec.layers[next]!.id ?? null);
}

/** Applies a fix suggested by the shape check, selecting the layer it placed. */
export function applyStackFix(state: StackState, fix: StackFix): StackState {
  if (fix.replaceAt !== undefined) {
    if (!isIndex(state.spec, fix.replaceAt)) return state;
    const layers = [...state.spec.layers];
    const id = layers[fix.replaceAt]!.id;
    layers[fix.replaceAt] = { ...structuredClone(fix.layer), id } as LayerSpec;
    return withLayers(state, layers, id ?? null);
  }
  return insertLayerSpec(state, fix.layer, fix.insertAt);
}

/** Makes `spec` the whole stack (loading a project, a template); selection is cleared. */
export function replaceStack(state: StackState, spec: ModelSpec): StackState {
  return withIds({ ...state, selectedId: null }, spec);
}

/** The spec without editor ids, for callers that compare or store stacks without them. */
export function stripIds(spec: ModelSpec): ModelSpec {
  return {
    version: spec.version,
    layers: spec.layers.map(({ className, config }) => ({ className, config }) as LayerSpec),
  };
}
