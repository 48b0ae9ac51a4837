/**
 * Start-to-first-epoch: from the engine's startTraining call to the first 'epoch' event, through the real engine
 * and its forked training process, on a seeded 1,000,000-row CSV. A small network and large batches keep the
 * epoch itself short, so the number is mostly what a run costs before it learns anything.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../../src-main/engine/engine.js';
import { createNodeHost } from '../../src-main/engine/node-host.js';
import { SMALL_REGRESSION_SPEC, seededBenchCsv } from './bench-files.js';
import type { BenchResult } from './stats.js';

export async function benchStart(rows = 1_000_000, columns = 20, repeats = 2): Promise<BenchResult[]> {
  const file = await seededBenchCsv('start', rows, columns, 20261202);
  const workspaceDir = mkdtempSync(path.join(os.tmpdir(), 'layerlab-bench-start-'));
  const host = createNodeHost({ mode: 'electron', workspaceDir });
  const engine = createEngine({ ...host, chooseOpenFile: async () => file });
  try {
    const dataset = await engine.openCsvDialog();
    if (!dataset) throw new Error('the benchmark CSV did not open');
    const project = await engine.newProject();
    const seconds: number[] = [];
    let backend = '';
    for (let i = 0; i < repeats; i++) {
      const began = performance.now();
      let firstEpoch = 0;
      const ended = new Promise<void>((resolve, reject) => {
        const stop = engine.onTrainingEvent(({ event }) => {
          if (event.type === 'started') backend = event.backend;
          if (event.type === 'epoch' && firstEpoch === 0) firstEpoch = performance.now();
          if (event.type === 'error') reject(new Error(event.message));
          if (event.type === 'finished' || event.type === 'stopped' || event.type === 'error') {
            stop();
            resolve();
          }
        });
      });
      await engine.startTraining(project.projectId, {
        datasetId: dataset.id,
        dataSettings: dataset.defaults,
        spec: SMALL_REGRESSION_SPEC,
        settings: {
          ...project.document.training,
          epochs: 1,
          batchSize: 8192,
          earlyStopping: { ...project.document.training.earlyStopping, enabled: false },
        },
      });
      await ended;
      seconds.push((firstEpoch - began) / 1000);
    }
    const best = Math.min(...seconds);
    return [
      {
        name: `Start-to-first-epoch (${rows.toLocaleString('en')} x ${columns} numeric CSV, ${(statSync(file).size / 1e6).toFixed(0)} MB, ${backend})`,
        value: +best.toFixed(2),
        unit: 's',
        detail: { runs: seconds.map((s) => +s.toFixed(3)), backend, batchSize: 8192 },
      },
    ];
  } finally {
    await engine.dispose();
    rmSync(workspaceDir, { recursive: true, force: true });
  }
}
