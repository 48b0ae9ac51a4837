/**
 * Reading and writing `*.layerlab.json`. Saving is atomic (write a sibling temp file, flush, rename) so a crash
 * or a full disk never leaves a half-written project; loading validates everything and names what is wrong.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { migrateProject, ProjectVersionError } from './migrations.js';
import { projectSchema } from './project-schema.js';
import { describeIssues } from './settings-schema.js';
import { PROJECT_FORMAT, type ProjectDocument } from './types.js';

export const PROJECT_EXTENSION = '.layerlab.json';

export class ProjectError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
    this.name = 'ProjectError';
  }
}

/** Validates a parsed document (from disk, an upload or IPC) and lifts older versions. */
export function parseProject(value: unknown, fileName: string): ProjectDocument {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProjectError(`${fileName} is not a LayerLab project: expected a JSON object.`, fileName);
  }
  const record = value as Record<string, unknown>;
  if (record.format !== PROJECT_FORMAT) {
    throw new ProjectError(`${fileName} is not a LayerLab project ("format" should be "${PROJECT_FORMAT}").`, fileName);
  }
  let migrated: Record<string, unknown>;
  try {
    migrated = migrateProject(record, fileName);
  } catch (error) {
    if (error instanceof ProjectVersionError) throw new ProjectError(error.message, fileName);
    throw error;
  }
  const parsed = projectSchema.safeParse(migrated);
  if (!parsed.success) {
    const problems = describeIssues(parsed.error).slice(0, 5);
    throw new ProjectError(`${fileName} is damaged and cannot be opened:\n- ${problems.join('\n- ')}`, fileName);
  }
  return parsed.data;
}

export function parseProjectText(text: string, fileName: string): ProjectDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ProjectError(
      `${fileName} is not valid JSON (${detail}); the file may be truncated or edited by hand.`,
      fileName,
    );
  }
  return parseProject(value, fileName);
}

export async function loadProject(filePath: string): Promise<ProjectDocument> {
  const fileName = path.basename(filePath);
  let text: string;
  try {
    text = await fs.readFile(filePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ProjectError(`${filePath} was not found: check the path.`, fileName);
    throw new ProjectError(`${filePath} could not be read (${code ?? String(error)}).`, fileName);
  }
  await removeLeftoverTemps(path.dirname(filePath));
  return parseProjectText(text, fileName);
}

export function serializeProject(document: ProjectDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

function tempPathFor(filePath: string): string {
  return path.join(path.dirname(filePath), `.${path.basename(filePath)}.${process.pid}.${Date.now()}.tmp`);
}

/** A save that was killed between writing and renaming leaves its temp file: `.NAME.PID.TIME.tmp`. */
const TEMP_NAME = /^\..+\.(\d+)\.(\d+)\.tmp$/;

/** After this long a temp file is left over even if a process of that id runs (ids are reused). */
const LEFTOVER_AGE_MS = 60 * 60_000;

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temp files interrupted saves left in `folder`; returns their names. A temp of this process
 * or of another live one is a save in progress and stays, unless it is an hour old.
 */
export async function removeLeftoverTemps(folder: string, now = Date.now()): Promise<string[]> {
  let entries: string[];
  try {
    entries = await fs.readdir(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const match = TEMP_NAME.exec(entry);
    if (!match) continue;
    const [pid, time] = [Number(match[1]), Number(match[2])];
    if (now - time < LEFTOVER_AGE_MS && (pid === process.pid || processRuns(pid))) continue;
    await fs.rm(path.join(folder, entry), { force: true });
    removed.push(entry);
  }
  return removed;
}

/** Writes beside the target and renames over it: readers see the old file or the new one, never a mix. */
export async function writeFileAtomic(filePath: string, data: string | Uint8Array): Promise<void> {
  await removeLeftoverTemps(path.dirname(filePath));
  const temp = tempPathFor(filePath);
  try {
    const handle = await fs.open(temp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, filePath);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

export async function saveProject(filePath: string, document: ProjectDocument): Promise<void> {
  // Validate before writing so a bad document can never replace a good file.
  const parsed = projectSchema.safeParse(document);
  if (!parsed.success) {
    const problems = describeIssues(parsed.error).slice(0, 5);
    throw new ProjectError(
      `${path.basename(filePath)} was not saved: the project to save is not valid:\n- ${problems.join('\n- ')}`,
      path.basename(filePath),
    );
  }
  await writeFileAtomic(filePath, serializeProject(document));
}

/** Dataset paths are stored relative to the project when possible, so a project folder can be moved whole. */
export function datasetPathForSaving(projectPath: string, datasetPath: string): string {
  const relative = path.relative(path.dirname(projectPath), datasetPath);
  return relative.startsWith('..') || path.isAbsolute(relative) ? datasetPath : relative.split(path.sep).join('/');
}

/**
 * Where a project keeps its own copy of a data file that would not outlive the session (an upload):
 * `<project>.data/<file name>` beside the project, as its weights are in `<project>.weights/`.
 */
export function dataCopyPathFor(projectPath: string, fileName: string): string {
  const base = path.basename(projectPath).replace(/\.layerlab\.json$/i, '');
  return path.join(path.dirname(projectPath), `${base}.data`, path.basename(fileName));
}

export function resolveProjectPath(projectPath: string, stored: string): string {
  return path.isAbsolute(stored) ? stored : path.resolve(path.dirname(projectPath), stored);
}
