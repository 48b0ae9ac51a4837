import { train, defaultTrainingSettings, evaluate } from '../src-main/core/training/index.js';
import { loadFixture } from '../test/core/training-kit.js';
const cases: [string, string, any?][] = [['iris.csv','species'],['breast_cancer.csv','diagnosis'],['diabetes.csv','progression'],['digits.csv','digit',(s:any)=>({...s,image:{shape:[8,8,1]}})],['auto_mpg.csv','mpg'],['wine.csv','cultivar']];
for (const [file, target, adj] of cases) {
  const f = await loadFixture(file, target, adj);
  const t0 = performance.now();
  const settings = { ...defaultTrainingSettings(f.prepared.task), backend: (process.argv[2] ?? 'wasm') as any };
  if (process.argv[3]) settings.epochs = Number(process.argv[3]);
  const r = await train(f.spec, f.prepared, settings);
  const ev = evaluate(r.model, f.prepared.test);
  console.log(file, f.prepared.train.count, JSON.stringify(r.finalValidation), 'test', ev.kind === 'regression' ? ev.r2 : ev.accuracy, ((performance.now()-t0)/1000).toFixed(1)+'s', f.spec.layers.map(l=>l.className).join(','));
}
