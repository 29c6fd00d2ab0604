import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Actor } from '../../access/access.service.js';
import { ArchiveError } from '../../archive/archive.types.js';
import { scanArchive } from '../../archive/archive.scan.js';
import { ArchiveSourceError, type ArchiveSource } from '../../archive/archive.source.js';
import type { TakeoutImportRow, TakeoutPartRow } from '../../db/db.types.js';
import { DomainError } from '../../errors.js';
import type { AlbumsService } from '../albums/albums.service.js';
import type { ImportedFacts } from '../assets/assets.imported.js';
import type { AssetsService, UploadInfo } from '../assets/assets.service.js';
import { folderName, folderYear } from './takeout.names.js';
import { exportedUpload, exportRootOf, type ExportAsset } from './takeout.pixelunion.js';
import type { PendingEntry, TakeoutRepo } from './takeout.repo.js';
import type { PhotoSidecar } from './takeout.sidecar.js';

const pageSize = 200;

export interface ImportDeps {
  repo: TakeoutRepo;
  assets: AssetsService;
  albums: AlbumsService;
  tmpDir: string;
}

/** The sidecar's facts, and the folder's year for a file that has no date of its own. */
export function factsOf(entry: PendingEntry, inAlbum: boolean): ImportedFacts {
  const facts: ImportedFacts = {};
  const sidecar = entry.sidecar_json ? (JSON.parse(entry.sidecar_json) as PhotoSidecar) : null;
  if (sidecar) {
    if (sidecar.takenAt !== null) facts.takenAt = sidecar.takenAt;
    if (sidecar.location) {
      const { latitude, longitude, altitude } = sidecar.location;
      facts.location = { latitude, longitude, altitude };
    }
    if (sidecar.description) facts.description = sidecar.description;
    facts.isFavorite = sidecar.favorited;
    facts.trashed = sidecar.trashed;
    facts.visibility = sidecar.inLockedFolder
      ? 'locked'
      : sidecar.archived
        ? 'archive'
        : 'timeline';
  }
  const year = inAlbum ? null : folderYear(folderName(entry.folder));
  if (year !== null)
    facts.fallback = { localDateTime: `${year}-01-01T00:00:00`, source: 'folder-year' };
  return facts;
}

/** The name to keep: Google's title (the name on the phone) unless it lost its extension. */
function fileNameOf(entry: PendingEntry): string {
  if (entry.match_how === 'edited' || !entry.sidecar_json) return entry.name;
  const title = (JSON.parse(entry.sidecar_json) as PhotoSidecar).title?.replaceAll('/', '_');
  return title && /\.[A-Za-z0-9]{2,5}$/.test(title) ? title : entry.name;
}

/** How an entry is uploaded, from its Google sidecar or PixelUnion document, and a note on it. */
function uploadOf(
  entry: PendingEntry,
  inAlbum: boolean,
): { info: UploadInfo; note: string | null } {
  const sidecar = entry.sidecar_json
    ? (JSON.parse(entry.sidecar_json) as PhotoSidecar | ExportAsset)
    : null;
  if (sidecar?.kind === 'pixelunion-asset') {
    return { info: exportedUpload(sidecar, entry.name), note: null };
  }
  const info = { filename: fileNameOf(entry), facts: factsOf(entry, inAlbum) };
  if (sidecar !== null || exportRootOf(entry.path) === null) return { info, note: null };
  return {
    info,
    note:
      entry.motion_of_entry_id === null
        ? 'no PixelUnion JSON for it in the export: imported with the metadata of the file itself'
        : 'the live video of a photo that was not imported: imported as a video of its own',
  };
}

/**
 * The third phase, for one part: one pass over the archive in its order, importing each pending
 * media entry as it streams by (its bytes are read once). `motion` passes take the video parts of
 * live photos, after every still is in. Outcomes are written per entry, so a restart continues.
 */
export async function importPart(
  deps: ImportDeps,
  imp: TakeoutImportRow,
  part: TakeoutPartRow,
  source: ArchiveSource,
  albumOf: ReadonlyMap<string, string>,
  motion: boolean,
  signal: AbortSignal,
): Promise<void> {
  const { repo } = deps;
  const actor: Actor = { userId: imp.owner_id, isAdmin: false };
  let page = await repo.pendingMedia(imp.id, part.id, motion, -1, pageSize);
  let at = 0;
  if (page.length === 0) return;
  const head = async (): Promise<PendingEntry | undefined> => {
    if (at < page.length) return page[at];
    const last = page[page.length - 1];
    if (!last) return undefined;
    page = await repo.pendingMedia(imp.id, part.id, motion, last.entry_index, pageSize);
    at = 0;
    return page[0];
  };
  const process = motion ? importMotion : importMedia;
  try {
    await scanArchive(
      source,
      {
        file: async (entry, open) => {
          const next = await head();
          if (!next || next.entry_index !== entry.index) return;
          at += 1;
          await process(deps, imp, actor, next, open(), albumOf);
        },
        refused: () => Promise.resolve(),
      },
      { signal },
    );
  } catch (error) {
    if (!(error instanceof ArchiveError)) throw error;
    await failRest(repo, imp, part, motion, `the archive is damaged: ${error.message}`);
    return;
  }
  await failRest(repo, imp, part, motion, 'not found again in the archive while importing');
}

async function failRest(
  repo: TakeoutRepo,
  imp: TakeoutImportRow,
  part: TakeoutPartRow,
  motion: boolean,
  detail: string,
): Promise<void> {
  for (;;) {
    const rest = await repo.pendingMedia(imp.id, part.id, motion, -1, pageSize);
    if (rest.length === 0) return;
    for (const entry of rest) await repo.setOutcome(entry.id, 'failed', detail, null);
  }
}

/**
 * Watches an entry's stream for a failure to read the part (storage, network), as opposed to a
 * damaged file: such an entry gets no outcome, so that the job, tried again, reads it again.
 */
function watchReads(stream: Readable): () => ArchiveSourceError | undefined {
  let failure: unknown;
  stream.on('error', (error) => {
    failure ??= error;
  });
  return () => (failure instanceof ArchiveSourceError ? failure : undefined);
}

async function importMedia(
  deps: ImportDeps,
  imp: TakeoutImportRow,
  actor: Actor,
  entry: PendingEntry,
  stream: Readable,
  albumOf: ReadonlyMap<string, string>,
): Promise<void> {
  const { repo, assets, albums } = deps;
  const albumId = albumOf.get(entry.folder);
  const { info, note } = uploadOf(entry, albumId !== undefined);
  const unreadable = watchReads(stream);
  let result: { id: string; status: 'created' | 'duplicate' };
  try {
    result = await assets.upload(actor, stream, info);
  } catch (error) {
    stream.destroy();
    const failure = unreadable();
    if (failure) throw failure;
    if (!(error instanceof DomainError)) throw error;
    const skipped = error.code === 'UNSUPPORTED_MEDIA';
    const detail =
      error.details?.expectedSha1 === undefined
        ? error.message
        : "checksum does not match the export's JSON";
    await repo.setOutcome(entry.id, skipped ? 'skipped' : 'failed', detail, null);
    return;
  }
  if (albumId) await albums.addAssets(actor, albumId, [result.id]);
  if (result.status === 'created') {
    await repo.setOutcome(entry.id, 'imported', note, result.id);
    return;
  }
  const first = await repo.importedEntryOf(imp.id, result.id);
  if (first) {
    await repo.setOutcome(entry.id, 'duplicate', `same file as ${first.path}`, result.id);
    return;
  }
  // Made by this very entry before an interruption, or in the library before the import began.
  const asset = await assets.get(actor, result.id);
  const ours = Date.parse(asset.uploadedAt) >= (imp.started_at ?? Infinity);
  await repo.setOutcome(
    entry.id,
    ours ? 'imported' : 'duplicate',
    ours ? note : 'already in the library',
    result.id,
  );
}

async function importMotion(
  deps: ImportDeps,
  imp: TakeoutImportRow,
  actor: Actor,
  entry: PendingEntry,
  stream: Readable,
  albumOf: ReadonlyMap<string, string>,
): Promise<void> {
  const { repo, assets } = deps;
  const still =
    entry.motion_of_entry_id === null ? undefined : await repo.findEntry(entry.motion_of_entry_id);
  if (!still?.asset_id) {
    // The still did not make it: the video is kept as a video of its own.
    await importMedia(deps, imp, actor, entry, stream, albumOf);
    return;
  }
  const tmp = path.join(deps.tmpDir, randomUUID());
  const unreadable = watchReads(stream);
  await fsp.mkdir(deps.tmpDir, { recursive: true });
  try {
    await pipeline(stream, fs.createWriteStream(tmp)).catch((error: unknown) => {
      throw new DomainError('VALIDATION_FAILED', `could not be read: ${String(error)}`);
    });
    const done = await assets.attachMotion(actor, still.asset_id, tmp);
    const detail =
      done === 'attached'
        ? `motion part of ${still.path}`
        : `motion part of ${still.path} (already there)`;
    await repo.setOutcome(entry.id, 'motion', detail, still.asset_id);
  } catch (error) {
    await fsp.rm(tmp, { force: true });
    const failure = unreadable();
    if (failure) throw failure;
    if (!(error instanceof DomainError)) throw error;
    await repo.setOutcome(entry.id, 'failed', error.message, null);
  }
}
