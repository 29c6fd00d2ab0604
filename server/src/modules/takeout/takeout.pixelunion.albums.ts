import type { Actor } from '../../access/access.service.js';
import type { AlbumsService } from '../albums/albums.service.js';
import type { ExportAlbums, ExportAsset, ExportShares } from './takeout.pixelunion.js';
import { exportAlbumKey } from './takeout.pixelunion.match.js';
import type { TakeoutRepo } from './takeout.repo.js';

const pageSize = 1000;

/** The albums.json documents of an import (one per export in it). */
async function albumDocuments(repo: TakeoutRepo, importId: string): Promise<ExportAlbums[]> {
  const texts = await repo.exports.documents(importId, 'pixelunion-albums');
  return texts.map((t) => JSON.parse(t) as ExportAlbums);
}

/**
 * The last step of importing a PixelUnion export, once every file is in: each album of
 * albums.json gets the photos it held (those in the library now, imported or already there), in
 * the order they were added to it, then its sort order and its cover. An album that only photos'
 * JSON named (albums.json was not among the parts) gets the photos naming it. Safe to run again.
 */
export async function finishExportAlbums(
  repo: TakeoutRepo,
  albums: AlbumsService,
  actor: Actor,
  importId: string,
  albumOf: ReadonlyMap<string, string>,
): Promise<void> {
  const docs = await albumDocuments(repo, importId);
  const described = new Set(docs.flatMap((d) => d.albums.map((a) => exportAlbumKey(a.id))));
  const assetOf = new Map<string, string>();
  const namedBy = new Map<string, string[]>();
  for (let after = 0; ;) {
    const page = await repo.exports.importedAssets(importId, after, pageSize);
    const last = page.at(-1);
    if (!last) break;
    for (const row of page) {
      const doc = JSON.parse(row.document) as ExportAsset;
      assetOf.set(doc.id, row.asset_id);
      for (const album of doc.albums) {
        const key = exportAlbumKey(album.id);
        if (described.has(key)) continue;
        const members = namedBy.get(key);
        if (members) members.push(row.asset_id);
        else namedBy.set(key, [row.asset_id]);
      }
    }
    after = last.id;
  }

  for (const album of docs.flatMap((d) => d.albums)) {
    const albumId = albumOf.get(exportAlbumKey(album.id));
    if (!albumId) continue;
    const members = album.assets.flatMap(([id]) => assetOf.get(id) ?? []);
    await addInOrder(albums, actor, albumId, members);
    // The cover only when its photo is in the album here too.
    const cover = album.coverAssetId === null ? undefined : assetOf.get(album.coverAssetId);
    await albums.update(actor, albumId, {
      sortOrder: album.sortOrder,
      ...(cover && members.includes(cover) ? { coverAssetId: cover } : {}),
    });
  }
  for (const [key, members] of namedBy) {
    const albumId = albumOf.get(key);
    if (albumId) await addInOrder(albums, actor, albumId, members);
  }
}

/** Adds in order, a few hundred at a time (a statement holds only so many ids). */
async function addInOrder(
  albums: AlbumsService,
  actor: Actor,
  albumId: string,
  assetIds: readonly string[],
): Promise<void> {
  for (let i = 0; i < assetIds.length; i += 500) {
    await albums.addAssets(actor, albumId, assetIds.slice(i, i + 500));
  }
}

const quoted = (title: string): string => `“${title || 'Untitled'}”`;

/** What the report says about the parts of a PixelUnion export that are not recreated. */
export async function exportNotes(repo: TakeoutRepo, importId: string): Promise<string[]> {
  const notes: string[] = [];
  const docs = await albumDocuments(repo, importId);
  const shared = docs.flatMap((d) => d.sharedWithYou);
  if (shared.length > 0) {
    const list = shared.map((s) => `${quoted(s.title)}${s.owner ? ` (${s.owner})` : ''}`);
    notes.push(
      `Albums that others shared with you on the exporting server are not part of the import: ${list.join(', ')}. Your own photos in them are imported; ask their owners to share them with you here.`,
    );
  }
  const withMembers = docs.flatMap((d) => d.albums).filter((a) => a.members > 0);
  if (withMembers.length > 0) {
    notes.push(
      `Album members are not recreated (they were people of the exporting server): ${withMembers
        .map((a) => quoted(a.title))
        .join(', ')} had members. Share these albums again from their page.`,
    );
  }
  const shares = (await repo.exports.documents(importId, 'pixelunion-shares')).map(
    (t) => JSON.parse(t) as ExportShares,
  );
  const links = shares.reduce((n, s) => n + s.links, 0);
  if (links > 0) {
    notes.push(
      `Share links are not recreated (${links} in shares.json): they were addresses of the exporting server. Make new links here where you need them.`,
    );
  }
  return notes;
}
