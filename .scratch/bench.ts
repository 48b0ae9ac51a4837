import { train, defaultTrainingSettings } from '../src-main/core/training/index.js';
import type { PreparedData, SplitData } from '../src-main/core/data/types.js';
import type { ModelSpec } from '../src-main/core/model/spec.js';
const backend = (process.argv[2] ?? 'wasm') as 'wasm' | 'cpu';
const N = 100000, D = 32;
let s = 1; const rnd = () => { s = (s * 16807) % 2147483647; return s / 2147483647; };
function split(n: number): SplitData { const x = new Float32Array(n * D); for (let i = 0; i < x.length; i++) x[i] = rnd() * 2 - 1; const y = new Float32Array(n); for (let i = 0; i < n; i++) y[i] = x[i * D] + x[i * D + 1] > 0 ? 1 : 0; return { x, y, rows: new Int32Array(n), count: n }; }
const task = { kind: 'binary' as const, target: 't', labels: ['a', 'b'] };
const prepared: PreparedData = { task, preprocessor: { features: [], encodedWidth: D, inputShape: [D], task }, inputShape: [D], train: split(N), validation: split(2000), test: split(0), droppedRows: 0, warnings: [] };
const spec: ModelSpec = { version: 1, layers: [{ className: 'Dense', config: { units: 64, activation: 'relu' } }, { className: 'Dense', config: { units: 64, activation: 'relu' } }, { className: 'Dense', config: { units: 1, activation: 'sigmoid' } }] };
const settings = { ...defaultTrainingSettings(task), optimizer: { name: 'adam' as const, learningRate: 0.001 }, batchSize: 256, epochs: 3, backend };
const r = await train(spec, prepared, settings, { onEvent: (e) => { if (e.type !== 'batch') console.log(JSON.stringify(e)); } });
console.log(backend, 'samples/s', r.samplesPerSecond.toFixed(0), r.outcome);
