/** Files browser mode offers for download, by an unguessable id (the path never reaches the page). */
import { randomBytes } from 'node:crypto';

export interface OfferedFile {
  filePath: string;
  fileName: string;
}

export class DownloadRegistry {
  private readonly files = new Map<string, OfferedFile>();

  offer(filePath: string, fileName: string): string {
    const id = randomBytes(12).toString('base64url');
    this.files.set(id, { filePath, fileName });
    return id;
  }

  get(id: string): OfferedFile | undefined {
    return this.files.get(id);
  }
}

/** RFC 6266 filename parameters: an ASCII fallback plus the exact UTF-8 name. */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
