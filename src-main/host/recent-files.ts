/** Projects opened or saved recently, for File > Open Recent (kept in userData). */
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { app } from 'electron';

const LIMIT = 8;

function listFile(): string {
  return path.join(app.getPath('userData'), 'recent-projects.json');
}

export function recentProjects(): string[] {
  try {
    const list = JSON.parse(readFileSync(listFile(), 'utf8')) as unknown;
    return Array.isArray(list)
      ? list.filter((p): p is string => typeof p === 'string' && existsSync(p)).slice(0, LIMIT)
      : [];
  } catch {
    return [];
  }
}

export async function rememberProject(filePath: string): Promise<string[]> {
  const list = [filePath, ...recentProjects().filter((p) => p !== filePath)].slice(0, LIMIT);
  await fs.mkdir(path.dirname(listFile()), { recursive: true });
  await fs.writeFile(listFile(), JSON.stringify(list, null, 2));
  if (process.platform !== 'linux') app.addRecentDocument(filePath);
  return list;
}
