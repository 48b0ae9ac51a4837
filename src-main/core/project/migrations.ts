/**
 * Project files are read by newer LayerLab versions for years. Each migration lifts a document by one version;
 * opening runs them in order, so an old file always reaches the current shape before validation.
 */
import { PROJECT_VERSION } from './types.js';

type Migration = (document: Record<string, unknown>) => Record<string, unknown>;

/** migrations[n] lifts a version-n document to version n + 1. Version 1 is the first, so there are none yet. */
export const migrations: Record<number, Migration> = {};

export class ProjectVersionError extends Error {}

export function migrateProject(document: Record<string, unknown>, fileName: string): Record<string, unknown> {
  let version = document.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new ProjectVersionError(
      `${fileName}: "version" is missing or not a whole number; this is not a LayerLab project file.`,
    );
  }
  if (version > PROJECT_VERSION) {
    throw new ProjectVersionError(
      `${fileName} was saved by a newer LayerLab (project version ${version}; this one reads up to ${PROJECT_VERSION}). Update LayerLab to open it.`,
    );
  }
  let current = document;
  while (version < PROJECT_VERSION) {
    const lift = migrations[version];
    if (!lift) throw new ProjectVersionError(`${fileName}: no migration from project version ${version}.`);
    current = lift(current);
    version += 1;
  }
  return { ...current, version };
}
