import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

/** Extensions the CLI sends; the server still checks the content of each file. */
export const mediaExtensions = new Set([
  'jpg',
  'jpeg',
  'jpe',
  'heic',
  'heif',
  'hif',
  'png',
  'webp',
  'avif',
  'tif',
  'tiff',
  'gif',
  'jxl',
  'bmp',
  'dng',
  'nef',
  'nrw',
  'cr2',
  'cr3',
  'crw',
  'arw',
  'srf',
  'sr2',
  'orf',
  'rw2',
  'raf',
  'pef',
  'srw',
  'x3f',
  'raw',
  'rwl',
  '3fr',
  'iiq',
  'erf',
  'kdc',
  'mrw',
  'mp4',
  'm4v',
  'mov',
  'qt',
  '3gp',
  '3g2',
  'mkv',
  'webm',
  'avi',
  'mts',
  'm2ts',
  'mpg',
  'mpeg',
  'wmv',
  'flv',
]);

export const isMediaFile = (file: string): boolean =>
  mediaExtensions.has(path.extname(file).slice(1).toLowerCase());

/** Every media file under the given paths (files or folders), skipping hidden entries. */
export async function collectFiles(
  paths: readonly string[],
): Promise<{ files: string[]; missing: string[] }> {
  const files: string[] = [];
  const missing: string[] = [];
  const visit = async (p: string, explicit: boolean): Promise<void> => {
    let stat: fs.Stats;
    try {
      stat = await fsp.stat(p);
    } catch {
      missing.push(p);
      return;
    }
    if (stat.isDirectory()) {
      const entries = (await fsp.readdir(p)).filter((name) => !name.startsWith('.')).sort();
      for (const entry of entries) await visit(path.join(p, entry), false);
    } else if (stat.isFile() && (explicit || isMediaFile(p))) {
      files.push(p);
    }
  };
  for (const p of paths) await visit(path.resolve(p), true);
  return { files, missing };
}

export async function sha1OfFile(file: string): Promise<string> {
  const hash = createHash('sha1');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}
