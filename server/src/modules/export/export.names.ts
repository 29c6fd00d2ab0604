import path from 'node:path';
import type { AssetRow } from '../../db/db.types.js';

/** The folder every file of an export is in: `PixelUnion export 2026-11-27`. */
export const exportRoot = (createdAt: number): string =>
  `PixelUnion export ${new Date(createdAt).toISOString().slice(0, 10)}`;

/** The file name of a part as offered for download. */
export const partFileName = (
  exportRow: { id: string; created_at: number },
  part: number,
  parts: number,
): string =>
  `pixelunion-export-${new Date(exportRow.created_at).toISOString().slice(0, 10)}-${exportRow.id.slice(0, 8)}-part-${part}-of-${parts}.zip`;

const reserved = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;
const maxNameBytes = 200;

/**
 * A file name that is safe on every system the zip may be opened on: no folders (so no `..` or
 * absolute path), no control characters, none of the characters Windows refuses, no trailing dot
 * or space, no reserved device name, at most 200 bytes of UTF-8 (the extension kept).
 */
export function safeFileName(wanted: string): string {
  const base = path.posix.basename(wanted.normalize('NFC').replaceAll('\\', '/'));
  let name = base
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/[<>:"/|?*]/g, '_')
    .replace(/[. ]+$/, '')
    .trim();
  if (name === '' || name === '.' || name === '..') name = 'file';
  if (reserved.test(name)) name = `_${name}`;
  if (Buffer.byteLength(name) > maxNameBytes) {
    const ext = path.posix.extname(name).slice(0, 16);
    let stem = name.slice(0, name.length - path.posix.extname(name).length);
    // Whole code points are cut, never half of a surrogate pair.
    const points = Array.from(stem);
    while (Buffer.byteLength(points.join('') + ext) > maxNameBytes) points.pop();
    stem = points.join('');
    name = stem + ext;
  }
  return name;
}

/** Where an asset's files go, below the root: trash and locked folder apart from the rest. */
export function assetFolder(
  asset: Pick<AssetRow, 'local_date_time' | 'trashed_at' | 'visibility'>,
): string {
  const month = `${asset.local_date_time.slice(0, 4)}/${asset.local_date_time.slice(5, 7)}`;
  if (asset.trashed_at !== null) return `Trash/${month}`;
  if (asset.visibility === 'locked') return `Locked folder/${month}`;
  return month;
}

const motionExtensions: Record<string, string> = {
  'video/quicktime': '.mov',
  'video/mp4': '.mp4',
};

/** A live photo's video part is named after its still: IMG_1234.HEIC → IMG_1234.mov. */
export function motionName(originalName: string, mimeType: string | null): string {
  const ext = path.posix.extname(originalName);
  return `${originalName.slice(0, originalName.length - ext.length)}${motionExtensions[mimeType ?? ''] ?? '.mp4'}`;
}

/**
 * Names taken in each folder, compared without case (the zip is also extracted on Windows and
 * macOS). A name is given with the sidecars it will have (`.json`, `.xmp`) so that none of
 * them meets another file's name.
 */
export class FolderNames {
  private readonly taken = new Map<string, Set<string>>();

  constructor(private readonly seed: (folder: string) => Promise<string[]>) {}

  /** Forgets every folder: assets come month by month, so earlier months are done with. */
  clear(): void {
    this.taken.clear();
  }

  private async namesIn(folder: string): Promise<Set<string>> {
    let names = this.taken.get(folder);
    if (!names) {
      names = new Set((await this.seed(folder)).map((n) => n.toLowerCase()));
      this.taken.set(folder, names);
    }
    return names;
  }

  /** A free name like `wanted` (`IMG (1).jpg`, …) whose `suffixes` variants are free too. */
  async take(folder: string, wanted: string, suffixes: readonly string[] = []): Promise<string> {
    const names = await this.namesIn(folder);
    const safe = safeFileName(wanted);
    const ext = path.posix.extname(safe);
    const stem = safe.slice(0, safe.length - ext.length);
    const free = (name: string) =>
      [name, ...suffixes.map((s) => name + s)].every((n) => !names.has(n.toLowerCase()));
    let name = safe;
    for (let n = 1; !free(name); n++) name = `${stem} (${n})${ext}`;
    for (const n of [name, ...suffixes.map((s) => name + s)]) names.add(n.toLowerCase());
    return name;
  }
}
