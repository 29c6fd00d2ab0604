import type { Readable } from 'node:stream';
import { ArchiveError } from '../../archive/archive.types.js';
import { scanArchive } from '../../archive/archive.scan.js';
import type { ArchiveSource } from '../../archive/archive.source.js';
import type { NewTakeoutEntry, TakeoutPartRow } from '../../db/db.types.js';
import { roleOfName, splitEntryPath } from './takeout.names.js';
import {
  exportRootOf,
  folderInExport,
  ignoredInExport,
  largeDocumentAllowed,
  type ExportDocument,
} from './takeout.pixelunion.js';
import { readExportDocument } from './takeout.pixelunion.read.js';
import type { TakeoutRepo } from './takeout.repo.js';
import { parseJson, sidecarOf } from './takeout.sidecar.js';

/** A sidecar bigger than this is not Google's photo metadata; it is listed as ignored. */
const maxSidecarBytes = 1024 * 1024;
/** albums.json and shares.json of a PixelUnion export grow with the library. */
const maxExportDocumentBytes = 128 * 1024 * 1024;
const batchSize = 500;

/**
 * The folder as Google Photos knows it: without `Takeout/<Google Photos, Google Fotos, Google
 * Фото…>/`, whose name depends on the account's language, so that a photo, its JSON and its album
 * copies meet in one folder whatever part (or language) they came in. In a PixelUnion export,
 * the folder below its root `PixelUnion export <date>/` (`2023/10`, `Trash/2019/08`).
 */
export function libraryFolder(folder: string): string {
  const segments = folder.split('/');
  if (segments[0] === 'Takeout' && segments.length >= 2) return segments.slice(2).join('/');
  return folderInExport(folder) ?? folder;
}

async function readSmall(stream: Readable, limit: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = chunk as Buffer;
    size += bytes.length;
    if (size > limit) {
      stream.destroy();
      return null;
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The first phase of an import: one pass over a part that records every entry in the database.
 * Media files are only listed (their bytes are read once, when imported); JSON files are read and
 * kept parsed, because their photo may be in any other part. An interrupted index is redone.
 * Without `keepLocation` (the owner keeps no location) a sidecar's place is not stored at all.
 */
export async function indexPart(
  repo: TakeoutRepo,
  part: TakeoutPartRow,
  source: ArchiveSource,
  signal: AbortSignal,
  keepLocation = true,
): Promise<void> {
  await repo.deleteEntriesOfPart(part.import_id, part.id);
  let batch: NewTakeoutEntry[] = [];
  const flush = async () => {
    await repo.insertEntries(batch);
    batch = [];
  };
  const base = (path: string, index: number, size: number): NewTakeoutEntry => {
    const { folder, name } = splitEntryPath(path);
    return {
      folder: libraryFolder(folder),
      name,
      import_id: part.import_id,
      part_id: part.id,
      entry_index: index,
      path,
      size,
      role: 'media',
      sidecar: null,
      sidecar_entry_id: null,
      match_how: null,
      motion_of_entry_id: null,
      outcome: null,
      detail: null,
      asset_id: null,
    };
  };
  try {
    const { format } = await scanArchive(
      source,
      {
        file: async (entry, open) => {
          const row = base(entry.path, entry.index, entry.size);
          const role = roleOfName(row.name);
          const inExport = ignoredInExport(entry.path);
          if (inExport !== null) {
            Object.assign(row, { role: 'ignored', outcome: 'ignored', detail: inExport });
          } else if (role === 'ignored') {
            const kind = /\.([^.]{1,8})$/.exec(row.name)?.[1]?.toUpperCase() ?? 'a';
            const detail = `${kind} file, not a photo or video`;
            Object.assign(row, { role, outcome: 'ignored', detail });
          } else if (role === 'sidecar-json') {
            Object.assign(row, await classifyJson(entry.path, entry.size, open, keepLocation));
          }
          batch.push(row);
          if (batch.length >= batchSize) await flush();
        },
        refused: async (entry, reason) => {
          batch.push({
            ...base(entry.path, entry.index, 0),
            role: 'refused',
            outcome: 'refused',
            detail: reason,
          });
          if (batch.length >= batchSize) await flush();
        },
      },
      { signal },
    );
    await flush();
    await repo.updatePart(part.id, { status: 'indexed', format, error: null });
  } catch (error) {
    if (!(error instanceof ArchiveError)) throw error;
    // What was read before the damage is kept and imported; the part says what went wrong.
    await flush();
    await repo.updatePart(part.id, { status: 'failed', error: error.message });
  }
}

/** What a JSON that is not photo metadata is, for the report. */
function otherJson(name: string): string {
  if (/print/i.test(name)) return 'print order, not photo metadata';
  if (/memor/i.test(name)) return 'memory titles, not photo metadata';
  return 'JSON that is not photo or album metadata';
}

async function classifyJson(
  path: string,
  size: number,
  open: () => Readable,
  keepLocation: boolean,
): Promise<Partial<NewTakeoutEntry>> {
  const ignored = (detail: string) => ({
    role: 'ignored' as const,
    outcome: 'ignored' as const,
    detail,
  });
  const limit = largeDocumentAllowed(path) ? maxExportDocumentBytes : maxSidecarBytes;
  if (size > limit) return ignored('JSON too large to be photo metadata');
  const text = await readSmall(open(), limit);
  const value = text === null ? undefined : parseJson(text);
  if (value === undefined) {
    return ignored(
      exportRootOf(path) === null
        ? 'not valid JSON'
        : 'PixelUnion export: not valid JSON (damaged?); its photo comes with its own metadata only',
    );
  }
  const document = readExportDocument(value, path);
  if (document) return exportDocumentEntry(document, keepLocation);
  const sidecar = sidecarOf(value);
  if (!sidecar) return ignored('not valid JSON');
  switch (sidecar.kind) {
    case 'photo': {
      // The names of the people Google recognised are never used, so they are never stored.
      const kept = { ...sidecar, people: [], ...(keepLocation ? {} : { location: null }) };
      return { role: 'sidecar', sidecar: JSON.stringify(kept) };
    }
    case 'album':
      return { role: 'album-meta', sidecar: JSON.stringify(sidecar) };
    case 'other':
      return ignored(otherJson(splitEntryPath(path).name));
  }
}

/** A PixelUnion export's document: a photo's JSON is a sidecar, albums.json album metadata. */
function exportDocumentEntry(
  document: ExportDocument,
  keepLocation: boolean,
): Partial<NewTakeoutEntry> {
  switch (document.kind) {
    case 'pixelunion-asset':
      return {
        role: 'sidecar',
        sidecar: JSON.stringify(keepLocation ? document : { ...document, location: null }),
      };
    case 'pixelunion-albums':
      return { role: 'album-meta', sidecar: JSON.stringify(document) };
    case 'pixelunion-shares':
      // Kept for the report's note; the links themselves are not recreated.
      return {
        role: 'ignored',
        outcome: 'ignored',
        detail: `PixelUnion export: ${document.links} share links, not recreated (they were links of the exporting server)`,
        sidecar: JSON.stringify(document),
      };
    case 'pixelunion-ignored':
      return { role: 'ignored', outcome: 'ignored', detail: document.detail };
  }
}
