/**
 * One project schema in two variants: what the UI sends may hold a half-edited layer stack (draft), what is
 * read from or written to disk must be a valid model (strict). Every other rule is the same in both, and the
 * word lists the types are made of are the ones the schema accepts.
 */
import { describe, expect, it } from 'vitest';
import {
  createProject,
  draftProjectSchema,
  parseProject,
  projectSchema,
  ProjectError,
} from '../../src-main/core/project/index.js';
import type { ProjectDocument, RunRecord } from '../../src-main/core/project/types.js';
import { defaultTrainingSettings } from '../../src-main/core/training/defaults.js';
import { BACKEND_NAMES, RUN_OUTCOMES } from '../../src-main/core/training/types.js';
import { ArgumentError, validateArgs } from '../../src-main/engine/validate-args.js';

const training = defaultTrainingSettings({ kind: 'multiclass', target: 'species', labels: ['a', 'b', 'c'] });
const model = {
  version: 1 as const,
  layers: [{ className: 'Dense' as const, config: { units: 3, activation: 'softmax' as const } }],
};

function project(overrides: Partial<ProjectDocument> = {}): ProjectDocument {
  return { ...createProject({ name: 'iris', model, training }), ...overrides };
}

function run(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    id: 'run-1',
    startedAt: '2026-01-01T00:00:00.000Z',
    spec: model,
    dataSettings: { columns: [], split: { train: 0.8, validation: 0.2, test: 0, seed: 1, stratify: true } },
    settings: training,
    backend: 'cpu',
    seconds: 1.5,
    outcome: 'finished',
    bestEpoch: 3,
    history: [{ epoch: 1, metrics: { loss: 0.5 }, learningRate: 0.005, seconds: 0.2 }],
    finalValidation: { valLoss: 0.4 },
    weightsFile: null,
    ...overrides,
  };
}

const halfEdited = {
  version: 1,
  layers: [{ className: 'Dense', config: { units: -3 } }],
} as unknown as ProjectDocument['model'];

describe('the project schema', () => {
  it('strict refuses a half-edited layer stack that the draft keeps', () => {
    const document = project({ model: halfEdited });
    expect(draftProjectSchema.safeParse(document).success).toBe(true);
    expect(projectSchema.safeParse(document).success).toBe(false);
    expect(() => parseProject(document, 'iris.layerlab.json')).toThrow(ProjectError);
    expect(() => parseProject(document, 'iris.layerlab.json')).toThrow(
      /iris\.layerlab\.json is damaged and cannot be opened:\n- model/,
    );
  });

  it('the UI sends documents through the draft variant, so a half-edited stack reaches saveProject', () => {
    const [, parsed] = validateArgs('saveProject', ['p1', project({ model: halfEdited }), { saveAs: false }]) as [
      string,
      ProjectDocument,
    ];
    expect(parsed.model).toEqual(halfEdited);
  });

  it('accepts every run outcome and backend of the word lists, in both variants', () => {
    const runs = [
      ...RUN_OUTCOMES.map((outcome, i) => run({ id: `run-${i}`, outcome })),
      ...BACKEND_NAMES.map((backend, i) => run({ id: `backend-${i}`, backend })),
    ];
    const document = project({ runs });
    expect(projectSchema.parse(document).runs.map((r) => r.outcome)).toEqual([
      ...RUN_OUTCOMES,
      'finished',
      'finished',
      'finished',
    ]);
    expect(draftProjectSchema.parse(document).runs.map((r) => r.backend)).toEqual([
      ...RUN_OUTCOMES.map(() => 'cpu'),
      ...BACKEND_NAMES,
    ]);
  });

  it('refuses a word not in the lists the same way from disk and from the UI', () => {
    const document = project({ runs: [run({ outcome: 'crashed' as RunRecord['outcome'] })] });
    expect(() => parseProject(document, 'p.layerlab.json')).toThrow(/runs\.0\.outcome: .*"finished".*"error"/);
    expect(() => validateArgs('saveProject', ['p1', document, { saveAs: false }])).toThrow(ArgumentError);
    expect(() => validateArgs('saveProject', ['p1', document, { saveAs: false }])).toThrow(
      /document\.runs\[0\]\.outcome: .*"finished".*"error"/,
    );
  });

  it('holds the same rules for the rest in both variants: a run needs an id, time cannot be negative', () => {
    for (const bad of [run({ id: '' }), run({ seconds: -1 })]) {
      const document = project({ runs: [bad] });
      expect(projectSchema.safeParse(document).success).toBe(false);
      expect(draftProjectSchema.safeParse(document).success).toBe(false);
    }
  });
});
