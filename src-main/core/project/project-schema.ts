/**
 * The project document's one schema, in two variants that differ only in how the layer stack is checked.
 * Strict (files on disk, before every save): the stack must be a valid model. Draft (a document arriving
 * from the UI): the stack may still be half-edited, so only its outline is checked; it is checked strictly
 * when it is saved or trained.
 */
import { z } from 'zod';
import { validateModelSpec } from '../model/schema.js';
import type { ModelSpec } from '../model/spec.js';
import { BACKEND_NAMES, RUN_OUTCOMES } from '../training/types.js';
import { dataSettingsSchema, trainingSettingsSchema } from './settings-schema.js';
import { PROJECT_FORMAT, PROJECT_VERSION, type ProjectDocument } from './types.js';

/** A layer stack that must be a valid model; older versions are lifted to the current one. */
export const checkedModelSpec = z.unknown().transform((value, ctx): ModelSpec => {
  const checked = validateModelSpec(value);
  if (!checked.ok) {
    for (const message of checked.errors) ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  }
  return checked.spec;
});

/** The outline of a layer stack; the layers' configs are not looked at. */
export const draftModelSpec = z
  .object({
    version: z.number().int(),
    layers: z.array(
      z.object({ className: z.string(), config: z.record(z.string(), z.unknown()), id: z.string().optional() }),
    ),
  })
  .transform((value) => value as unknown as ModelSpec);

const metrics = z.record(z.string(), z.number());

const exportRecord = z.object({
  fileName: z.string().min(1).max(255),
  exportedAt: z.string(),
  maxDifference: z.number().nonnegative(),
  rowsCompared: z.number().int().nonnegative(),
});

function projectSchemaWith(modelSpec: z.ZodType<ModelSpec, unknown>) {
  const run = z.object({
    id: z.string().min(1),
    startedAt: z.string(),
    spec: modelSpec,
    dataSettings: dataSettingsSchema,
    settings: trainingSettingsSchema,
    backend: z.enum(BACKEND_NAMES),
    seconds: z.number().nonnegative(),
    outcome: z.enum(RUN_OUTCOMES),
    bestEpoch: z.number().int().nullable(),
    keptEpoch: z.number().int().nullable().optional(),
    history: z.array(z.object({ epoch: z.number().int(), metrics, learningRate: z.number(), seconds: z.number() })),
    finalValidation: metrics,
    finalTest: metrics.optional(),
    weightsFile: z.string().nullable(),
    exports: z.array(exportRecord).optional(),
  });
  return z.object({
    format: z.literal(PROJECT_FORMAT),
    version: z.literal(PROJECT_VERSION),
    name: z.string().max(200),
    dataset: z.object({ path: z.string().min(1), hash: z.string(), name: z.string() }).nullable(),
    dataSettings: dataSettingsSchema.nullable(),
    model: modelSpec,
    training: trainingSettingsSchema,
    runs: z.array(run),
  }) satisfies z.ZodType<ProjectDocument, unknown>;
}

export const projectSchema = projectSchemaWith(checkedModelSpec);
export const draftProjectSchema = projectSchemaWith(draftModelSpec);
