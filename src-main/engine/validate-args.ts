/**
 * Every call that crosses from the UI (IPC or WebSocket) is checked here before the engine acts on it: a
 * compromised or buggy page can send anything, so each method has one schema for its argument list, and a
 * rejection names the method and the argument at fault.
 */
import { z } from 'zod';
import type { ApiMethod, InsightRequest, LrFinderRequest } from '../contract/api.js';
import { NON_FINITE_POLICIES, type PredictionTable, type RawRecord, type RawValue } from '../core/data/types.js';
import { checkedModelSpec, draftModelSpec, draftProjectSchema } from '../core/project/project-schema.js';
import { dataSettingsSchema, trainingSettingsSchema } from '../core/project/settings-schema.js';
import { SCRIPT_FORMATS } from '../core/scripts/plan.js';
import { ONNX_PROFILES } from '../core/onnx/onnx-profile.js';

/** Ids are minted by the engine: short, plain characters only. */
const id = z
  .string()
  .min(1, 'must not be empty')
  .max(100, 'is too long')
  .regex(/^[A-Za-z0-9_.:-]+$/, 'is not an id LayerLab handed out');
const fileName = z
  .string()
  .min(1, 'must not be empty')
  .max(255, 'is too long (255 characters at most)')
  .refine((name) => !/[/\\\0]/.test(name), 'must be a plain file name without folders');
const bytes = z.instanceof(Uint8Array, { message: 'must be bytes (a Uint8Array)' });
const wholeFromZero = z.number().int('must be a whole number').min(0, 'must be 0 or more');

const cellValue = z.union([z.string(), z.number(), z.null()]) satisfies z.ZodType<RawValue>;
const rawRecord = z.record(z.string(), cellValue) satisfies z.ZodType<RawRecord>;

const csvLoadOptions = z
  .object({ skipBadRows: z.boolean().optional(), nonFinite: z.enum(NON_FINITE_POLICIES).optional() })
  .strict();

const predictionTable = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.array(cellValue)),
}) satisfies z.ZodType<PredictionTable>;

/** The window's draft: the stack may be half-edited, like a draft project's. */
const sessionDraft = z
  .object({
    name: z.string().max(200, 'is too long (200 characters at most)'),
    dataSettings: dataSettingsSchema.nullable(),
    model: draftModelSpec,
    training: trainingSettingsSchema,
    datasetId: id.nullable(),
  })
  .strict();

/** Boundary grids are drawn, not stored: a few hundred cells a side is more than any screen shows. */
const boundaryRequest = z
  .object({
    features: z
      .array(z.string().min(1).max(200, 'is too long'))
      .min(1, 'needs a feature')
      .max(2, 'takes at most two features'),
    resolution: z.number().int('must be a whole number').min(2, 'must be 2 or more').max(200, 'must be 200 or less'),
  })
  .strict();

const insightRequest = z
  .object({
    layers: z.boolean(),
    weights: z.boolean(),
    boundary: boundaryRequest.nullable(),
  })
  .strict() satisfies z.ZodType<InsightRequest>;

/** A file row number as the data table shows it (1 for the first data row); null: the first training row. */
const rowNumber = z
  .number()
  .int('must be a whole row number')
  .min(1, 'must be 1 or more (rows are numbered from 1)')
  .nullable();

/** The data and model a run trains: what a start, a learning-rate sweep and a fresh model's trace share. */
const trainingRequest = z.object({
  datasetId: id,
  dataSettings: dataSettingsSchema,
  spec: checkedModelSpec,
  settings: trainingSettingsSchema,
}) satisfies z.ZodType<LrFinderRequest>;

const exampleSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('run'), runId: id }).strict(),
  z
    .object({
      kind: z.literal('model'),
      model: trainingRequest.strict(),
    })
    .strict(),
  z.object({ kind: z.literal('stepper'), stepperId: id }).strict(),
]);

type ArgSchemas = { [M in ApiMethod]: z.ZodType<unknown[]> };

/** One tuple schema per method; names in ARG_NAMES label the positions in messages. */
const ARGS = {
  appInfo: z.tuple([]),
  openCsvDialog: z.tuple([csvLoadOptions.optional()]),
  uploadCsv: z.tuple([fileName, bytes, csvLoadOptions.optional()]),
  loadSampleDataset: z.tuple([id]),
  datasetRows: z.tuple([id, wholeFromZero, wholeFromZero.max(10_000, 'must be 10000 or less')]),
  checkData: z.tuple([id, dataSettingsSchema]),
  newProject: z.tuple([]),
  openSampleProject: z.tuple([]),
  openProjectDialog: z.tuple([]),
  uploadProject: z.tuple([fileName, bytes]),
  saveProject: z.tuple([
    id,
    draftProjectSchema,
    z.object({ saveAs: z.boolean(), datasetId: id.optional(), fileName: fileName.optional() }),
  ]),
  relinkDataset: z.tuple([id, id]),
  getSession: z.tuple([id]),
  setSessionDraft: z.tuple([id, id, sessionDraft]),
  startTraining: z.tuple([id, trainingRequest.extend({ insight: insightRequest.optional() })]),
  controlTraining: z.tuple([id, z.enum(['pause', 'resume', 'stop'])]),
  setTrainingInsight: z.tuple([id, insightRequest]),
  getRun: z.tuple([id]),
  exportOnnx: z.tuple([id, z.string().max(200, 'is too long').optional(), z.enum(ONNX_PROFILES).optional()]),
  exportTrainingScript: z.tuple([id, z.enum(SCRIPT_FORMATS), z.string().max(200, 'is too long').optional()]),
  traceExample: z.tuple([exampleSource, rowNumber]),
  stepExampleBatch: z.tuple([id, rowNumber]),
  insightForRun: z.tuple([id, insightRequest.pick({ layers: true, weights: true })]),
  boundaryForRun: z.tuple([id, boundaryRequest]),
  findLearningRate: z.tuple([id, trainingRequest]),
  openOnnxDialog: z.tuple([]),
  uploadOnnx: z.tuple([fileName, bytes]),
  predictRecords: z.tuple([id, z.array(rawRecord).max(100_000, 'has too many records (100000 at most)')]),
  predictDataset: z.tuple([id, id]),
  savePredictions: z.tuple([predictionTable]),
  setDirty: z.tuple([z.boolean()]),
} satisfies ArgSchemas;

export const ARG_NAMES: { [M in ApiMethod]: string[] } = {
  appInfo: [],
  openCsvDialog: ['options'],
  uploadCsv: ['fileName', 'bytes', 'options'],
  loadSampleDataset: ['sampleId'],
  datasetRows: ['datasetId', 'start', 'count'],
  checkData: ['datasetId', 'settings'],
  newProject: [],
  openSampleProject: [],
  openProjectDialog: [],
  uploadProject: ['fileName', 'bytes'],
  saveProject: ['projectId', 'document', 'options'],
  relinkDataset: ['projectId', 'datasetId'],
  getSession: ['sessionKey'],
  setSessionDraft: ['sessionKey', 'projectId', 'draft'],
  startTraining: ['projectId', 'request'],
  controlTraining: ['runId', 'action'],
  setTrainingInsight: ['runId', 'request'],
  getRun: ['runId'],
  exportOnnx: ['runId', 'projectName', 'profile'],
  exportTrainingScript: ['runId', 'format', 'projectName'],
  traceExample: ['source', 'row'],
  stepExampleBatch: ['stepperId', 'row'],
  insightForRun: ['runId', 'request'],
  boundaryForRun: ['runId', 'request'],
  findLearningRate: ['projectId', 'request'],
  openOnnxDialog: [],
  uploadOnnx: ['fileName', 'bytes'],
  predictRecords: ['modelId', 'records'],
  predictDataset: ['modelId', 'datasetId'],
  savePredictions: ['table'],
  setDirty: ['dirty'],
};

export class ArgumentError extends Error {
  override name = 'ArgumentError';
}

function describePath(method: ApiMethod, path: readonly PropertyKey[]): string {
  const [position, ...rest] = path;
  const names = ARG_NAMES[method];
  const head = typeof position === 'number' ? (names[position] ?? `argument ${position + 1}`) : 'arguments';
  const tail = rest.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
  return head + tail;
}

/** Returns the parsed arguments or throws an ArgumentError such as "datasetRows: start must be 0 or more". */
export function validateArgs<M extends ApiMethod>(method: M, args: unknown): unknown[] {
  const schema: z.ZodType<unknown[]> | undefined = (ARGS as ArgSchemas)[method];
  if (!schema) throw new ArgumentError(`${String(method)} is not a LayerLab API method`);
  if (!Array.isArray(args)) throw new ArgumentError(`${method}: arguments must be a list`);
  const expected = ARG_NAMES[method].length;
  if (args.length > expected) {
    throw new ArgumentError(`${method}: takes ${expected} argument${expected === 1 ? '' : 's'}, got ${args.length}`);
  }
  const parsed = schema.safeParse(args);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.slice(0, 5).map((issue) => {
    const where = describePath(method, issue.path);
    const missing =
      issue.code === 'invalid_type' &&
      issue.path.length === 1 &&
      (args as unknown[])[Number(issue.path[0])] === undefined;
    return missing ? `${where} is missing` : `${where}: ${issue.message}`;
  });
  throw new ArgumentError(`${method}: ${lines.join('; ')}`);
}
