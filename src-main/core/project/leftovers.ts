/**
 * What interrupted saves leave in a project's folders: temp files (removed) and weights files no run lists
 * (reported, never removed: they may be the only copy of a run a person wants back).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { removeLeftoverTemps, resolveProjectPath } from './project-file.js';
import type { ProjectDocument } from './types.js';
import { weightsPathFor } from './weights-file.js';

export interface ProjectLeftovers {
  removedTemps: string[];
  /** Paths of `.llw` files in the project's weights folder that no run of the document lists. */
  unlistedWeights: string[];
}

export async function tidyProjectFolders(projectPath: string, document: ProjectDocument): Promise<ProjectLeftovers> {
  const weightsFolder = path.dirname(weightsPathFor(projectPath, 'x'));
  const removedTemps = [
    ...(await removeLeftoverTemps(path.dirname(projectPath))),
    ...(await removeLeftoverTemps(weightsFolder)),
  ];
  const listed = new Set(
    document.runs.flatMap((run) => (run.weightsFile ? [resolveProjectPath(projectPath, run.weightsFile)] : [])),
  );
  let entries: string[] = [];
  try {
    entries = await fs.readdir(weightsFolder);
  } catch {
    // No weights folder yet: nothing is unlisted.
  }
  const unlistedWeights = entries
    .filter((entry) => entry.endsWith('.llw'))
    .map((entry) => path.join(weightsFolder, entry))
    .filter((file) => !listed.has(file));
  return { removedTemps, unlistedWeights };
}

/** The warning for weights files no run lists, or null when there are none. */
export function unlistedWeightsWarning(projectPath: string, unlisted: readonly string[]): string | null {
  if (unlisted.length === 0) return null;
  const shown = unlisted.slice(0, 3).map((file) => path.basename(file));
  const more = unlisted.length > 3 ? ` and ${unlisted.length - 3} more` : '';
  return (
    `${path.basename(projectPath)}: ${unlisted.length} weights file${unlisted.length === 1 ? '' : 's'} in ` +
    `${path.basename(path.dirname(unlisted[0]!))} belong${unlisted.length === 1 ? 's' : ''} to no run of the project ` +
    `(${shown.join(', ')}${more}), probably from a save that was interrupted: delete ` +
    `${unlisted.length === 1 ? 'it' : 'them'} if no run is missing.`
  );
}
