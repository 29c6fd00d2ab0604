import type { Readable } from 'node:stream';
import { ArchiveError } from '../../archive/archive.types.js';
import { scanArchive } from '../../archive/archive.scan.js';
import type { NewTakeoutEntry, TakeoutPartRow } from '../../db/db.types.js';
import { roleOfName, splitEntryPath } from './takeout.names.js';
import type { TakeoutRepo } from './takeout.repo.js';
import { parseSidecar } from './takeout.sidecar.js';

/** A sidecar bigger than this is not Google's photo metadata; it is listed as ignored. */
const maxSidecarBytes = 1024 * 1024;
const batchSize = 500;

/**
 * The folder as Google Photos knows it: without `Takeout/<Google Photos, Google Fotos, Google
 * Фото…>/`, whose name depends on the account's language, so that a photo, its JSON and its album
 * copies meet in one folder whatever part (or language) they came in.
 */
export function libraryFolder(folder: string): string {
  const segments = folder.split('/');
  return segments[0] === 'Takeout' && segments.length >= 2 ? segments.slice(2).join('/') : folder;
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
  file: string,
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
      file,
      {
        file: async (entry, open) => {
          const row = base(entry.path, entry.index, entry.size);
          const role = roleOfName(row.name);
          if (role === 'ignored') {
            const kind = /\.([^.]{1,8})$/.exec(row.name)?.[1]?.toUpperCase() ?? 'a';
            const detail = `${kind} file, not a photo or video`;
            Object.assign(row, { role, outcome: 'ignored', detail });
          } else if (role === 'sidecar-json') {
            Object.assign(row, await classifyJson(row.name, entry.size, open, keepLocation));
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
  name: string,
  size: number,
  open: () => Readable,
  keepLocation: boolean,
): Promise<Partial<NewTakeoutEntry>> {
  const ignored = (detail: string) => ({
    role: 'ignored' as const,
    outcome: 'ignored' as const,
    detail,
  });
  if (size > maxSidecarBytes) return ignored('JSON too large to be photo metadata');
  const text = await readSmall(open(), maxSidecarBytes);
  const sidecar = text === null ? null : parseSidecar(text);
  if (!sidecar) return ignored('not valid JSON');
  switch (sidecar.kind) {
    case 'photo':
      return {
        role: 'sidecar',
        sidecar: JSON.stringify(keepLocation ? sidecar : { ...sidecar, location: null }),
      };
    case 'album':
      return { role: 'album-meta', sidecar: JSON.stringify(sidecar) };
    case 'other':
      return ignored(otherJson(name));
  }
}
