/**
 * The portable profile's sidecar, `<model>.preprocess.json`: the fitted Preprocessor exactly as LayerLab stores
 * it, so LayerLab's runner (or any program) can turn raw rows into the one float input `features` the portable
 * graph takes. Training scripts made elsewhere write the same file, so its schema is declared once, here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { featureWidth } from '../data/encode.js';
import { CATEGORY_ENCODINGS, type Preprocessor } from '../data/types.js';
import { TASK_KINDS } from '../model/task-check.js';
import { product } from './tensor-layout.js';

export const MANIFEST_FORMAT = 'layerlab-preprocess';
export const MANIFEST_VERSION = 1;
/** The portable graph's one input: encoded features, float32 [batch, n]. */
export const PORTABLE_INPUT = 'features';
export const MANIFEST_SUFFIX = '.preprocess.json';

const finite = z.number().finite();

const numericFeature = z.object({
  name: z.string().min(1),
  type: z.literal('number'),
  fill: finite,
  dropMissing: z.boolean(),
  scale: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('standardize'), mean: finite, std: finite }),
    z.object({ kind: z.literal('minmax'), min: finite, max: finite }),
    z.object({ kind: z.literal('none') }),
  ]),
});

const categoryFeature = z.object({
  name: z.string().min(1),
  type: z.literal('category'),
  categories: z.array(z.string()),
  encoding: z.enum(CATEGORY_ENCODINGS),
  fill: z.string().nullable(),
  dropMissing: z.boolean(),
});

export const preprocessorSchema = z
  .object({
    features: z.array(z.discriminatedUnion('type', [numericFeature, categoryFeature])).min(1),
    encodedWidth: z.number().int().positive(),
    inputShape: z.array(z.number().int().positive()).min(1),
    task: z.object({ kind: z.enum(TASK_KINDS), target: z.string(), labels: z.array(z.string()).optional() }),
    targetScale: z.object({ mean: finite, std: finite }).optional(),
  })
  .superRefine((pre, ctx) => {
    const width = pre.features.reduce((sum, f) => sum + featureWidth(f), 0);
    if (width !== pre.encodedWidth)
      ctx.addIssue({
        code: 'custom',
        path: ['encodedWidth'],
        message: `is ${pre.encodedWidth}, but the features encode to ${width} values`,
      });
    if (product(pre.inputShape) !== pre.encodedWidth)
      ctx.addIssue({
        code: 'custom',
        path: ['inputShape'],
        message: `[${pre.inputShape.join(', ')}] does not hold ${pre.encodedWidth} values`,
      });
  }) satisfies z.ZodType<Preprocessor>;

export const preprocessManifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  version: z.literal(MANIFEST_VERSION),
  input: z.string().min(1),
  preprocessor: preprocessorSchema,
});

export type PreprocessManifest = z.infer<typeof preprocessManifestSchema>;

export function preprocessManifest(preprocessor: Preprocessor): PreprocessManifest {
  return { format: MANIFEST_FORMAT, version: MANIFEST_VERSION, input: PORTABLE_INPUT, preprocessor };
}

export function manifestText(manifest: PreprocessManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** `model.onnx` → `model.preprocess.json`, in the same folder. */
export function manifestPathFor(modelPath: string): string {
  return join(dirname(modelPath), manifestFileFor(basename(modelPath)));
}

export function manifestFileFor(modelFileName: string): string {
  return `${modelFileName.replace(/\.onnx$/i, '')}${MANIFEST_SUFFIX}`;
}

/** A manifest's text checked against the schema; `file` names it in the message. */
export function parseManifest(text: string, file: string): PreprocessManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}); export the model again.`);
  }
  const parsed = preprocessManifestSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'the file'}: ${i.message}`);
  throw new Error(
    `${file} is not a LayerLab preprocessing manifest (${MANIFEST_FORMAT}, version ${MANIFEST_VERSION}): ${issues.slice(0, 4).join('; ')}.`,
  );
}

export function readManifest(path: string): PreprocessManifest {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`${basename(path)} cannot be read (${code ?? String(error)}): check the path (${path}).`);
  }
  return parseManifest(text, basename(path));
}

/** The manifest beside a model file, or null when there is none. */
export function findManifestBeside(modelPath: string): PreprocessManifest | null {
  const path = manifestPathFor(modelPath);
  return existsSync(path) ? readManifest(path) : null;
}
