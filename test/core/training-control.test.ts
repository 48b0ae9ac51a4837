import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { LayerSpec, ModelSpec } from '../../src-main/core/model/spec.js';
import { LAYER_CLASS_NAMES } from '../../src-main/core/model/spec.js';
import {
  RunControl,
  buildModel,
  defaultTrainingSettings,
  extractWeights,
  predictRaw,
  parseBackendOverride,
  selectBackend,
  withBackendOverride,
  train,
  type TrainingEvent,
  type TrainingSettings,
  type WeightTensor,
} from '../../src-main/core/training/index.js';
import type { PreparedData } from '../../src-main/core/data/types.js';
import { spawnTrainer } from '../../src-main/trainer/trainer-client.js';
import type { FromTrainer } from '../../src-main/trainer/protocol.js';
import { loadFixture, syntheticData } from './training-kit.js';

const dense = (units: number, activation: 'relu' | 'sigmoid' | 'linear' = 'relu'): LayerSpec => ({
  className: 'Dense',
  config: { units, activation },
});
const mlp: ModelSpec = {
  version: 1,
  layers: [dense(16), { className: 'Dropout', config: { rate: 0.2 } }, dense(1, 'sigmoid')],
};

function settings(prepared: PreparedData, patch: Partial<TrainingSettings> = {}): TrainingSettings {
  return {
    ...defaultTrainingSettings(prepared.preprocessor.task),
    epochs: 4,
    batchSize: 32,
    earlyStopping: { enabled: false, monitor: 'valLoss', patience: 3, minDelta: 0, restoreBestWeights: true },
    backend: 'wasm',
    ...patch,
  };
}

function sameWeights(a: WeightTensor[], b: WeightTensor[]): boolean {
  return (
    a.length === b.length && a.every((w, i) => w.name === b[i]!.name && w.values.every((v, j) => v === b[i]!.values[j]))
  );
}

describe('repeatable runs', () => {
  it('the same seed gives identical metrics and weights; another seed does not; tensors do not leak', async () => {
    const prepared = syntheticData({ rows: 600, inputShape: [6], kind: 'binary', noise: 0.5 });
    const tensorCounts: number[] = [];
    const run = (seed: number) =>
      train(mlp, prepared, settings(prepared, { seed }), {
        onEvent: (e) => {
          if (e.type === 'epoch') tensorCounts.push(tf.memory().numTensors);
        },
      });
    const first = await run(11);
    const second = await run(11);
    const other = await run(12);
    expect(first.history.map((h) => h.metrics)).toEqual(second.history.map((h) => h.metrics));
    expect(sameWeights(first.model.weights, second.model.weights)).toBe(true);
    expect(first.history[0]!.metrics.loss).not.toBe(other.history[0]!.metrics.loss);
    // Within a run the number of live tensors stays flat from epoch to epoch.
    const firstRun = tensorCounts.slice(0, 4);
    expect(new Set(firstRun).size).toBe(1);
  });
});

describe('stop, pause and resume', () => {
  const prepared = syntheticData({ rows: 2000, inputShape: [8], kind: 'binary', noise: 0.3 });

  it('stop after the 2nd epoch event ends before another batch and keeps the weights of epoch 2', async () => {
    const control = new RunControl();
    const events: TrainingEvent[] = [];
    const result = await train(mlp, prepared, settings(prepared, { epochs: 6 }), {
      control,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'epoch' && e.epoch === 2) control.stop();
      },
    });
    expect(result.outcome).toBe('stopped');
    expect(result.history).toHaveLength(2);
    const afterStop = events.slice(events.findIndex((e) => e.type === 'epoch' && e.epoch === 2) + 1);
    expect(afterStop.map((e) => e.type)).toEqual(['stopped']);
    expect(afterStop[0]).toMatchObject({ type: 'stopped', outcome: 'stopped', epochsCompleted: 2 });

    const twoEpochs = await train(mlp, prepared, settings(prepared, { epochs: 2 }));
    expect(sameWeights(result.model.weights, twoEpochs.model.weights)).toBe(true);
    expect(result.finalValidation.valAccuracy).toBe(twoEpochs.finalValidation.valAccuracy);
  });

  it('an AbortSignal in the middle of an epoch stops at the next batch and keeps the previous epoch', async () => {
    // Many small batches, so the abort lands part-way through epoch 2.
    const big = syntheticData({ rows: 20000, inputShape: [8], kind: 'binary', noise: 0.3 });
    const abort = new AbortController();
    const batchesAfterAbort: number[] = [];
    const result = await train(mlp, big, settings(big, { epochs: 4, batchSize: 16 }), {
      signal: abort.signal,
      onEvent: (e) => {
        if (e.type === 'epoch' && e.epoch === 1) setTimeout(() => abort.abort(), 0);
        if (e.type === 'batch' && abort.signal.aborted) batchesAfterAbort.push(e.batch);
      },
    });
    expect(result.outcome).toBe('stopped');
    expect(result.history).toHaveLength(1);
    expect(batchesAfterAbort).toEqual([]);
    const oneEpoch = await train(mlp, big, settings(big, { epochs: 1, batchSize: 16 }));
    expect(sameWeights(result.model.weights, oneEpoch.model.weights)).toBe(true);
  });

  it('pause holds batches until resume, then the run completes', async () => {
    const control = new RunControl();
    const log: string[] = [];
    const result = await train(mlp, prepared, settings(prepared, { epochs: 3 }), {
      control,
      onEvent: (e) => {
        log.push(e.type);
        if (e.type === 'epoch' && e.epoch === 1) {
          control.pause();
          setTimeout(() => {
            log.push('resume-called');
            control.resume();
          }, 300);
        }
      },
    });
    expect(result.outcome).toBe('finished');
    expect(result.history).toHaveLength(3);
    const paused = log.indexOf('paused');
    const resumeCalled = log.indexOf('resume-called');
    expect(paused).toBeGreaterThan(log.indexOf('epoch'));
    expect(resumeCalled).toBeGreaterThan(paused);
    // Nothing but the resume itself happened while paused.
    expect(log.slice(paused + 1, resumeCalled)).toEqual([]);
    expect(log[resumeCalled + 1]).toBe('resumed');
  });
});

describe('guards and schedules', () => {
  it('a diverging run stops with outcome nan and a message naming epoch, batch and what to try', async () => {
    const { prepared, spec } = await loadFixture('diabetes.csv', 'progression', (s) => ({
      ...s,
      columns: s.columns.map((c) => (c.role === 'feature' ? { ...c, encoding: 'none' } : c)),
    }));
    const errors: TrainingEvent[] = [];
    const result = await train(
      spec,
      prepared,
      settings(prepared, { optimizer: { name: 'sgd', learningRate: 1e6 }, epochs: 5 }),
      {
        onEvent: (e) => {
          if (e.type === 'error') errors.push(e);
        },
      },
    );
    expect(result.outcome).toBe('nan');
    expect(errors).toHaveLength(1);
    const error = errors[0] as Extract<TrainingEvent, { type: 'error' }>;
    expect(error.message).toMatch(new RegExp(`epoch ${error.epoch}, batch ${error.batch} of \\d+`));
    expect(error.message).toContain('lower the learning rate (now 1000000)');
    expect(error.message).toContain('BatchNormalization');
    for (const w of result.model.weights) expect(w.values.every(Number.isFinite)).toBe(true);
  });

  it('early stopping ends before the last epoch and restores the best epoch', async () => {
    const ends: TrainingEvent[] = [];
    // Few noisy rows and a wide layer: validation loss turns up after a few epochs.
    const prepared = syntheticData({ rows: 120, inputShape: [10], kind: 'binary', noise: 2, seed: 3 });
    const spec: ModelSpec = { version: 1, layers: [dense(128), dense(128), dense(1, 'sigmoid')] };
    const result = await train(
      spec,
      prepared,
      settings(prepared, {
        epochs: 200,
        batchSize: 8,
        optimizer: { name: 'adam', learningRate: 0.01 },
        earlyStopping: { enabled: true, monitor: 'valLoss', patience: 4, minDelta: 0, restoreBestWeights: true },
      }),
      { onEvent: (event) => void ends.push(event) },
    );
    expect(result.outcome).toBe('early-stopped');
    // The window tells an early stop from the event's outcome, not from its wording.
    expect(ends.at(-1)).toMatchObject({ type: 'finished', outcome: 'early-stopped' });
    expect(result.history.length).toBeLessThan(200);
    const losses = result.history.map((h) => h.metrics.valLoss as number);
    const best = losses.indexOf(Math.min(...losses)) + 1;
    expect(result.bestEpoch).toBe(best);
    expect(result.history.length).toBe(best + 4);
    // The returned weights are the best epoch's: they reproduce its validation accuracy.
    const outputs = predictRaw(result.model, prepared.validation.x, prepared.validation.count);
    let correct = 0;
    for (let i = 0; i < prepared.validation.count; i++)
      if ((outputs[i]! >= 0.5 ? 1 : 0) === prepared.validation.y[i]) correct++;
    expect(correct / prepared.validation.count).toBeCloseTo(
      result.history[best - 1]!.metrics.valAccuracy as number,
      10,
    );
    expect(result.finalValidation.valLoss).toBe(losses[best - 1]);
  });

  it('reduce-LR-on-plateau lowers the learning rate, never below the minimum', async () => {
    const prepared = syntheticData({ rows: 120, inputShape: [10], kind: 'binary', noise: 2, seed: 3 });
    const spec: ModelSpec = { version: 1, layers: [dense(64), dense(1, 'sigmoid')] };
    const rates: number[] = [];
    await train(
      spec,
      prepared,
      settings(prepared, {
        epochs: 30,
        batchSize: 8,
        optimizer: { name: 'sgd', learningRate: 0.2, momentum: 0.9, nesterov: true },
        reduceLrOnPlateau: { enabled: true, monitor: 'valLoss', factor: 0.5, patience: 1, minLearningRate: 0.03 },
      }),
      {
        onEvent: (e) => {
          if (e.type === 'epoch') rates.push(e.learningRate);
        },
      },
    );
    expect(rates[0]).toBe(0.2);
    expect(Math.min(...rates)).toBe(0.03);
    for (let i = 1; i < rates.length; i++) expect(rates[i]).toBeLessThanOrEqual(rates[i - 1]!);
    expect(new Set(rates).has(0.1)).toBe(true);
  });
});

describe('every layer class trains on wasm and on cpu', () => {
  const flat: LayerSpec[][] = [
    [dense(6)],
    [{ className: 'Activation', config: { activation: 'swish' } }],
    [{ className: 'Dropout', config: { rate: 0.3 } }, dense(4, 'relu')],
    [{ className: 'BatchNormalization', config: {} }],
    [{ className: 'LayerNormalization', config: {} }],
    [
      { className: 'Reshape', config: { targetShape: [6, 2] } },
      { className: 'Flatten', config: {} },
    ],
    // Flatten on an input that is already flat does nothing (tf.js itself would refuse to build it).
    [{ className: 'Flatten', config: {} }, dense(5, 'relu'), { className: 'Flatten', config: {} }],
  ];
  const sequence: LayerSpec[][] = [
    [
      { className: 'Conv1D', config: { filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' } },
      { className: 'MaxPooling1D', config: { poolSize: 2 } },
      { className: 'AveragePooling1D', config: { poolSize: 2 } },
      { className: 'Flatten', config: {} },
    ],
    [{ className: 'GlobalAveragePooling1D', config: {} }],
    [
      { className: 'SimpleRNN', config: { units: 4, returnSequences: true } },
      { className: 'Flatten', config: {} },
    ],
    [{ className: 'LSTM', config: { units: 4 } }],
    [{ className: 'GRU', config: { units: 4 } }],
  ];
  const image: LayerSpec[][] = [
    [
      { className: 'Conv2D', config: { filters: 4, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' } },
      { className: 'MaxPooling2D', config: { poolSize: 2 } },
      { className: 'AveragePooling2D', config: { poolSize: 1 } },
      { className: 'Flatten', config: {} },
    ],
    [
      { className: 'Conv2D', config: { filters: 3, kernelSize: [3, 2], strides: 2, padding: 'same' } },
      { className: 'GlobalAveragePooling2D', config: {} },
    ],
  ];
  const cases: { inputShape: number[]; body: LayerSpec[] }[] = [
    ...flat.map((body) => ({ inputShape: [12], body })),
    ...sequence.map((body) => ({ inputShape: [8, 3], body })),
    ...image.map((body) => ({ inputShape: [6, 6, 1], body })),
  ];

  it('the cases cover the whole catalogue', () => {
    const covered = new Set(cases.flatMap((c) => c.body.map((l) => l.className)));
    expect([...LAYER_CLASS_NAMES].filter((name) => !covered.has(name))).toEqual([]);
  });

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`one epoch per layer class on ${backend}: finite loss, and layers with weights learn`, async () => {
      for (const { inputShape, body } of cases) {
        const spec: ModelSpec = { version: 1, layers: [...body, dense(1, 'sigmoid')] };
        const prepared = syntheticData({ rows: 64, inputShape, kind: 'binary' });
        const initial = buildModel(spec, inputShape, 42);
        const before = extractWeights(initial);
        initial.dispose();
        const result = await train(spec, prepared, settings(prepared, { epochs: 1, batchSize: 16, backend, seed: 42 }));
        const label = `${body.map((l) => l.className).join('+')} on ${backend}`;
        expect(result.backend, label).toBe(backend);
        expect(result.outcome, label).toBe('finished');
        expect(Number.isFinite(result.history[0]!.metrics.loss), label).toBe(true);
        // Every trainable weight of the layers under test moved (its gradient reached it).
        for (const w of result.model.weights.filter((w) => w.layerIndex < body.length)) {
          const start = before.find((b) => b.layerIndex === w.layerIndex && b.name === w.name);
          expect(start, label).toBeDefined();
          expect(
            w.values.some((v, i) => v !== start?.values[i]),
            `${label}: ${w.name} of layer ${w.layerIndex + 1}`,
          ).toBe(true);
        }
      }
    });
  }

  it('the filled-in wasm convolution kernel gradient matches the cpu backend', async () => {
    const gradient = async (backend: 'wasm' | 'cpu') => {
      await selectBackend(backend);
      return tf.tidy(() => {
        const x = tf.tensor4d(
          Float32Array.from({ length: 2 * 7 * 6 * 3 }, (_, i) => Math.sin(i)),
          [2, 7, 6, 3],
        );
        const filter = tf.tensor4d(
          Float32Array.from({ length: 3 * 2 * 3 * 4 }, (_, i) => Math.cos(i)),
          [3, 2, 3, 4],
        );
        const g = tf.grad((f: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, f as tf.Tensor4D, [2, 1], 'same'))))(filter);
        return Array.from(g.dataSync());
      });
    };
    const onWasm = await gradient('wasm');
    const onCpu = await gradient('cpu');
    expect(onWasm).toHaveLength(onCpu.length);
    onWasm.forEach((v, i) => expect(v).toBeCloseTo(onCpu[i]!, 3));
  });
});

describe('the training process', () => {
  it('runs iris end to end in a child process and streams events', async () => {
    const { spec, prepared } = await loadFixture('iris.csv', 'species');
    const trainer = spawnTrainer();
    const messages: FromTrainer[] = [];
    try {
      const done = new Promise<FromTrainer>((resolve) => {
        trainer.onMessage((m) => {
          messages.push(m);
          if (m.type === 'result' || m.type === 'fatal') resolve(m);
        });
      });
      trainer.start({
        runId: 'run-1',
        prepared,
        spec,
        trainingSettings: { ...defaultTrainingSettings(prepared.preprocessor.task), epochs: 30, backend: 'wasm' },
      });
      const last = await done;
      if (last.type !== 'result') throw new Error(`trainer failed: ${JSON.stringify(last)}`);
      const events = messages
        .filter((m): m is Extract<FromTrainer, { type: 'event' }> => m.type === 'event')
        .map((m) => m.event);
      expect(events[0]).toMatchObject({ type: 'started', backend: 'wasm', trainSamples: prepared.train.count });
      expect(events.filter((e) => e.type === 'epoch').length).toBe(last.result.history.length);
      expect(events.at(-1)?.type).toBe('finished');
      expect(last.runId).toBe('run-1');
      // Typed arrays cross the process boundary intact.
      expect(last.result.model.weights[0]?.values).toBeInstanceOf(Float32Array);
      expect(last.evaluation.validation?.kind).toBe('classification');
      if (last.evaluation.validation?.kind === 'classification')
        expect(last.evaluation.validation.accuracy).toBeGreaterThan(0.8);
    } finally {
      trainer.dispose();
    }
  });

  it('reports a model that does not fit the prepared data as a fatal message naming the layer', async () => {
    const trainer = spawnTrainer();
    try {
      const fatal = new Promise<FromTrainer>((resolve) => trainer.onMessage((m) => m.type === 'fatal' && resolve(m)));
      const { prepared } = await loadFixture('iris.csv', 'species');
      const spec: ModelSpec = { version: 1, layers: [{ className: 'Conv2D', config: { filters: 4, kernelSize: 3 } }] };
      trainer.start({
        runId: 'run-2',
        prepared,
        spec,
        trainingSettings: defaultTrainingSettings(prepared.preprocessor.task),
      });
      const message = await fatal;
      expect(message).toMatchObject({ type: 'fatal', runId: 'run-2' });
      expect((message as { message: string }).message).toMatch(/Conv2D \(layer 1\) needs a 3-D input/);
    } finally {
      trainer.dispose();
    }
  });
});

describe('class weights and penalties', () => {
  // About one row in six is positive.
  const imbalanced = (() => {
    const data = syntheticData({ rows: 900, inputShape: [6], kind: 'regression', seed: 9 });
    for (const split of [data.train, data.validation])
      for (let i = 0; i < split.count; i++) split.y[i] = split.y[i]! > 0.9 ? 1 : 0;
    const task = { kind: 'binary' as const, target: 'label', labels: ['no', 'yes'] };
    return { ...data, task, preprocessor: { ...data.preprocessor, task, targetScale: undefined } };
  })();
  const spec: ModelSpec = { version: 1, layers: [dense(8), dense(1, 'sigmoid')] };

  it("'balanced' and per-label weights raise the recall of the rare class", async () => {
    const positives = imbalanced.train.y.reduce((a, b) => a + b, 0);
    expect(positives / imbalanced.train.count).toBeLessThan(0.25);
    const base = settings(imbalanced, { epochs: 3, optimizer: { name: 'adam', learningRate: 0.003 } });
    const plain = await train(spec, imbalanced, base);
    const balanced = await train(spec, imbalanced, { ...base, classWeights: 'balanced' });
    const manual = await train(spec, imbalanced, { ...base, classWeights: { yes: 5 } });
    expect(balanced.finalValidation.valRecall).toBeGreaterThan(plain.finalValidation.valRecall as number);
    expect(manual.finalValidation.valRecall).toBeGreaterThan(plain.finalValidation.valRecall as number);
  });

  it('an unknown class in the weights is named in the error', async () => {
    await expect(train(spec, imbalanced, settings(imbalanced, { classWeights: { maybe: 2 } }))).rejects.toThrow(
      /"maybe".*classes are no, yes/,
    );
  });

  it('an L2 penalty adds to the training loss', async () => {
    const penalized: ModelSpec = {
      version: 1,
      layers: [
        { className: 'Dense', config: { units: 8, activation: 'relu', kernelRegularizer: { l2: 0.5 } } },
        dense(1, 'sigmoid'),
      ],
    };
    const plain = await train(spec, imbalanced, settings(imbalanced, { epochs: 1 }));
    const withPenalty = await train(penalized, imbalanced, settings(imbalanced, { epochs: 1 }));
    expect(withPenalty.history[0]!.metrics.loss as number).toBeGreaterThan(
      (plain.history[0]!.metrics.loss as number) + 0.1,
    );
  });
});

describe('backend selection', () => {
  it('auto skips the missing native backend, says why, and picks wasm', async () => {
    const selection = await selectBackend();
    expect(selection.backend).toBe('wasm');
    expect(selection.note).toContain(
      'native TensorFlow is not installed (optional dependency @tensorflow/tfjs-node); using wasm',
    );
    expect(selection.note).toMatch(/SIMD (on|off)/);
  });

  it('LAYERLAB_BACKEND, read by the adapters, overrides auto only; a bad value or an unavailable explicit choice fails clearly', async () => {
    const auto = defaultTrainingSettings({ kind: 'regression', target: 'y' });
    const override = parseBackendOverride(' cpu ', 'LAYERLAB_BACKEND');
    expect(override).toBe('cpu');
    expect(parseBackendOverride(undefined, 'LAYERLAB_BACKEND')).toBe('auto');
    expect(parseBackendOverride('', 'LAYERLAB_BACKEND')).toBe('auto');
    const chosen = withBackendOverride(auto, override);
    expect(chosen.backend).toBe('cpu');
    expect(auto.backend).toBe('auto');
    expect((await selectBackend(chosen.backend)).backend).toBe('cpu');
    expect(withBackendOverride({ ...auto, backend: 'wasm' }, override).backend).toBe('wasm');
    expect(() => parseBackendOverride('gpu', 'LAYERLAB_BACKEND')).toThrow(
      'LAYERLAB_BACKEND is "gpu"; use one of auto, tensorflow, wasm, cpu.',
    );
    await expect(selectBackend('tensorflow')).rejects.toThrow(
      /tensorflow backend was requested but is not available: native TensorFlow is not installed/,
    );
  });
});

describe('a model that does not fit the data is refused with a message that says what to change', () => {
  const prepared = syntheticData({ rows: 40, inputShape: [5], kind: 'regression' });

  it('a regression model with 3 outputs', async () => {
    await expect(train({ version: 1, layers: [dense(3, 'linear')] }, prepared, settings(prepared))).rejects.toThrow(
      'Regression on "value" needs a final layer with 1 unit; the model\'s last layer has 3.',
    );
  });

  it('a classification loss on a regression target', async () => {
    await expect(
      train(
        { version: 1, layers: [dense(1, 'sigmoid')] },
        prepared,
        settings(prepared, { loss: 'binaryCrossentropy' }),
      ),
    ).rejects.toThrow(/binaryCrossentropy loss is for classification.*meanSquaredError/);
  });

  it('a layer whose shape cannot follow the input names the layer', async () => {
    const spec: ModelSpec = {
      version: 1,
      layers: [{ className: 'Conv2D', config: { filters: 2, kernelSize: 3 } }, dense(1, 'linear')],
    };
    await expect(train(spec, prepared, settings(prepared))).rejects.toThrow(/Conv2D/);
  });
});
