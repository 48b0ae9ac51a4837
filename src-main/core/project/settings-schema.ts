/**
 * Runtime schemas for the settings that arrive from outside (project files, IPC, the CLI). The TypeScript types
 * live next to the code that uses them; `satisfies` below keeps each schema and its type in step.
 */
import { z } from 'zod';
import {
  COLUMN_ENCODINGS,
  COLUMN_ROLES,
  COLUMN_TREATMENTS,
  MISSING_POLICIES,
  type DataSettings,
} from '../data/types.js';
import { BACKEND_CHOICES, LOSS_NAMES, OPTIMIZER_NAMES, type TrainingSettings } from '../training/types.js';

const fraction = z.number().min(0).max(1);

export const columnSettingsSchema = z.object({
  name: z.string().min(1),
  role: z.enum(COLUMN_ROLES),
  treatAs: z.enum(COLUMN_TREATMENTS),
  missing: z.enum(MISSING_POLICIES),
  constant: z.union([z.number(), z.string()]).optional(),
  encoding: z.enum(COLUMN_ENCODINGS),
});

export const dataSettingsSchema = z.object({
  columns: z.array(columnSettingsSchema),
  split: z.object({
    train: fraction,
    validation: fraction,
    test: fraction,
    seed: z.number().int(),
    stratify: z.boolean(),
  }),
  image: z.object({ shape: z.array(z.number().int().positive()).min(1).max(3) }).optional(),
}) satisfies z.ZodType<DataSettings>;

const monitorSchema = z.string().min(1);

export const trainingSettingsSchema = z.object({
  optimizer: z.object({
    name: z.enum(OPTIMIZER_NAMES),
    learningRate: z.number().positive().max(100),
    momentum: z.number().min(0).max(1).optional(),
    nesterov: z.boolean().optional(),
  }),
  loss: z.enum(LOSS_NAMES),
  epochs: z.number().int().min(1).max(100_000),
  batchSize: z.number().int().min(1).max(1_000_000),
  shuffle: z.boolean(),
  seed: z.number().int(),
  classWeights: z.union([z.literal('none'), z.literal('balanced'), z.record(z.string(), z.number().nonnegative())]),
  earlyStopping: z.object({
    enabled: z.boolean(),
    monitor: monitorSchema,
    patience: z.number().int().min(0),
    minDelta: z.number().min(0),
    restoreBestWeights: z.boolean(),
  }),
  reduceLrOnPlateau: z.object({
    enabled: z.boolean(),
    monitor: monitorSchema,
    factor: z.number().gt(0).lt(1),
    patience: z.number().int().min(0),
    minLearningRate: z.number().min(0),
  }),
  backend: z.enum(BACKEND_CHOICES),
}) satisfies z.ZodType<TrainingSettings>;

/** Turns zod issues into lines a person can read: "training.epochs: must be at least 1". */
export function describeIssues(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((issue) => {
    const where = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return where ? `${where}: ${issue.message}` : issue.message;
  });
}
