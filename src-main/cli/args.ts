/** Command-line parsing shared by the subcommands: typed flags, and errors that say which flag is wrong. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {}

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

export function parseFlags(
  argv: string[],
  options: FlagSpec,
  usage: string,
): Record<string, string | boolean | undefined> {
  try {
    const { values } = parseArgs({ args: argv, options, allowPositionals: false, strict: true });
    return values as Record<string, string | boolean | undefined>;
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
  }
}

export function requireString(values: Record<string, unknown>, name: string, usage: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required.\n\n${usage}`);
  return value;
}

export function optionalNumber(
  values: Record<string, unknown>,
  name: string,
  check: { integer?: boolean; min?: number; max?: number; exclusiveMin?: number } = {},
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const problems: string[] = [];
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(value)) problems.push('a number');
  else {
    if (check.integer && !Number.isInteger(value)) problems.push('a whole number');
    if (check.min !== undefined && value < check.min) problems.push(`at least ${check.min}`);
    if (check.max !== undefined && value > check.max) problems.push(`at most ${check.max}`);
    if (check.exclusiveMin !== undefined && value <= check.exclusiveMin)
      problems.push(`greater than ${check.exclusiveMin}`);
  }
  if (problems.length) throw new UsageError(`--${name} must be ${problems.join(' and ')} (got "${String(raw)}").`);
  return value;
}
