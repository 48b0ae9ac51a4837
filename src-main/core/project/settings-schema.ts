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
import { TRAINING_RANGES, rangeProblem, type NumberRange } from '../model/training-ranges.js';
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

/** A number in its training range, refused with the message the window shows at the field. */
const ranged = (range: NumberRange) =>
  z.number().superRefine((value, ctx) => {
    const problem = rangeProblem(range, value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
const R = TRAINING_RANGES;

export const trainingSettingsSchema = z.object({
  optimizer: z.object({
    name: z.enum(OPTIMIZER_NAMES),
    learningRate: ranged(R.learningRate),
    momentum: ranged(R.momentum).optional(),
    nesterov: z.boolean().optional(),
  }),
  loss: z.enum(LOSS_NAMES),
  epochs: ranged(R.epochs),
  batchSize: ranged(R.batchSize),
  shuffle: z.boolean(),
  seed: z.number().int(),
  classWeights: z.union([z.literal('none'), z.literal('balanced'), z.record(z.string(), ranged(R.classWeight))]),
  earlyStopping: z.object({
    enabled: z.boolean(),
    monitor: monitorSchema,
    patience: ranged(R.patience),
    minDelta: ranged(R.minDelta),
    restoreBestWeights: z.boolean(),
  }),
  reduceLrOnPlateau: z.object({
    enabled: z.boolean(),
    monitor: monitorSchema,
    factor: ranged(R.factor),
    patience: ranged(R.patience),
    minLearningRate: ranged(R.minLearningRate),
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
