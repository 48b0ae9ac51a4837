/**
 * One onnxruntime session, run through onnxruntime-node's native binding when it can be reached.
 *
 * The package's public `run()` defers every call to the next turn of the event loop (setImmediate), checks the
 * feeds again in JavaScript and then makes the very same synchronous native call; the native side then reads
 * each input through the `Tensor` class' getters. For LayerLab's small graphs that bookkeeping is a sizeable part
 * of a single row (measured on the benchmark MLP, 32 inputs: about 175 µs public, 140 µs direct). The arithmetic
 * is the same library doing the same work, so outputs are identical. When the binding is not where this version
 * of the package keeps it, the public session is used.
 */
import { createRequire } from 'node:module';
import * as ort from 'onnxruntime-node';

type Feeds = Record<string, ort.Tensor>;
type Outputs = Record<string, ort.Tensor>;

/** What the native binding reads from each input: the same four fields a `Tensor` has, as plain data. */
interface NativeInput {
  type: ort.Tensor.Type;
  dims: readonly number[];
  data: ort.Tensor['data'];
  location: 'cpu';
}

interface NativeSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: object): void;
  readonly outputMetadata: Array<{ name: string }>;
  run(feeds: Record<string, NativeInput>, fetches: Record<string, null>, options: object): Outputs;
  dispose(): void;
}

interface NativeBinding {
  binding: { InferenceSession: new () => NativeSession };
  initOrt: () => void;
}

export interface RunSession {
  /** Runs the graph and gives `fetch`'s outputs (default: all of them). */
  run(feeds: Feeds, fetch?: readonly string[]): Promise<Outputs>;
  release(): Promise<void>;
}

let nativeBinding: NativeBinding | null | undefined;

/** onnxruntime-node's binding module, or null when this version of the package does not have it there. */
function loadBinding(): NativeBinding | null {
  if (nativeBinding !== undefined) return nativeBinding;
  try {
    const found = createRequire(import.meta.url)('onnxruntime-node/dist/binding.js') as Partial<NativeBinding>;
    const usable = typeof found.initOrt === 'function' && typeof found.binding?.InferenceSession === 'function';
    nativeBinding = usable ? (found as NativeBinding) : null;
  } catch {
    nativeBinding = null;
  }
  return nativeBinding;
}

function nativeInputs(feeds: Feeds): Record<string, NativeInput> {
  const inputs: Record<string, NativeInput> = {};
  for (const name in feeds) {
    const tensor = feeds[name]!;
    inputs[name] = { type: tensor.type, dims: tensor.dims, data: tensor.data, location: 'cpu' };
  }
  return inputs;
}

function directSession(binding: NativeBinding, bytes: Uint8Array, options: ort.InferenceSession.SessionOptions) {
  binding.initOrt();
  const native = new binding.binding.InferenceSession();
  native.loadModel(bytes.buffer, bytes.byteOffset, bytes.byteLength, options);
  const fetchesOf = (names: readonly string[]) => Object.fromEntries(names.map((name) => [name, null]));
  const all = fetchesOf(native.outputMetadata.map((output) => output.name));
  // The last chosen list and its fetches: a caller asks for the same outputs run after run.
  let chosen: { names: readonly string[]; fetches: Record<string, null> } | null = null;
  const fetchesFor = (names: readonly string[] | undefined) => {
    if (!names) return all;
    if (chosen?.names !== names) chosen = { names, fetches: fetchesOf(names) };
    return chosen.fetches;
  };
  const runOptions = {};
  return {
    // async so that a native error arrives as a rejected promise, as it does from the public run()
    run: async (feeds: Feeds, fetch?: readonly string[]) =>
      native.run(nativeInputs(feeds), fetchesFor(fetch), runOptions),
    release: async () => native.dispose(),
  };
}

export async function createRunSession(
  bytes: Uint8Array,
  options: ort.InferenceSession.SessionOptions,
): Promise<RunSession> {
  const binding = loadBinding();
  if (binding) return directSession(binding, bytes, options);
  const session = await ort.InferenceSession.create(bytes, options);
  return {
    run: async (feeds, fetch) => (await (fetch ? session.run(feeds, fetch) : session.run(feeds))) as Outputs,
    release: () => session.release(),
  };
}
