import { train, defaultTrainingSettings } from '../src-main/core/training/index.js';
import { syntheticData } from '../test/core/training-kit.js';
const p = syntheticData({ rows: 200, inputShape: [4], kind: 'binary' });
const r = await train({ version: 1, layers: [{ className: 'Reshape', config: { targetShape: [2, 2] } }, { className: 'LSTM', config: { units: 32 } }, { className: 'Dense', config: { units: 1, activation: 'sigmoid' } }] }, p, { ...defaultTrainingSettings(p.task), epochs: 2, backend: 'wasm' });
console.log(r.outcome);
