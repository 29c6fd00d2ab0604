import type { Actor } from '../../access/access.service.js';
import type { AlbumsService } from '../albums/albums.service.js';
import { pairLivePhotos } from './takeout.live.js';
import { matchSidecars } from './takeout.match.js';
import { ExportMatcher, isExportEntry } from './takeout.pixelunion.match.js';
import { folderName } from './takeout.names.js';
import type { TakeoutRepo } from './takeout.repo.js';
import type { AlbumSidecar } from './takeout.sidecar.js';

/**
 * The second phase: every folder (whatever parts its files came in) is matched on its own, so
 * memory is bounded by the largest folder, not by the export. A media file gets its sidecar, a
 * live photo's video its still, and a folder with album metadata becomes an album.
 */
export async function matchImport(repo: TakeoutRepo, importId: string): Promise<void> {
  const exports = new ExportMatcher(repo, importId);
  for (const folder of await repo.folders(importId)) {
    const all = await repo.entriesOfFolder(importId, folder);
    // A PixelUnion export's files are matched by the paths its documents name, not by name rules.
    const taken = await exports.matchFolder(all.filter(isExportEntry));
    const entries = all.filter((e) => !isExportEntry(e) && !taken.has(e.id));
    const media = entries.filter((e) => e.role === 'media');
    const sidecars = new Map<string, number>();
    const candidates: { name: string; title: string | null }[] = [];
    for (const entry of entries) {
      if (entry.role === 'sidecar') {
        sidecars.set(entry.name, entry.id);
        candidates.push({ name: entry.name, title: entry.title });
      } else if (entry.role === 'album-meta' && entry.document) {
        const album = JSON.parse(entry.document) as AlbumSidecar;
        await repo.saveAlbum({
          import_id: importId,
          folder,
          // An untitled album keeps the name Google gave its folder ("Untitled(3)").
          title: album.title.trim() || folderName(folder),
          description: album.description,
        });
      }
    }
    const names = media.map((e) => e.name);
    const matches = matchSidecars(names, candidates);
    const motions = pairLivePhotos(names);
    const idOf = new Map(media.map((e) => [e.name, e.id]));
    await repo.saveMatches(
      media.map((e) => {
        const match = matches.get(e.name);
        const still = motions.get(e.name);
        return {
          id: e.id,
          sidecarEntryId: match ? (sidecars.get(match.sidecar) ?? null) : null,
          how: match?.how ?? null,
          motionOf: still === undefined ? null : (idOf.get(still) ?? null),
        };
      }),
    );
  }
}

/**
 * Makes the PixelUnion album of every album folder. An album the owner had before this import with
 * the same title is reused (once), so importing the same export again adds nothing new; two
 * folders of one export with the same title stay two albums, as they were in Google Photos.
 */
export async function createAlbums(
  repo: TakeoutRepo,
  albums: AlbumsService,
  actor: Actor,
  importId: string,
): Promise<Map<string, string>> {
  const rows = await repo.albumsOf(importId);
  const ours = new Set(rows.map((r) => r.album_id));
  const earlier = new Map<string, string[]>();
  for (const album of await albums.list(actor)) {
    if (album.role !== 'owner' || ours.has(album.id)) continue;
    earlier.set(album.title, [...(earlier.get(album.title) ?? []), album.id]);
  }
  const byFolder = new Map<string, string>();
  for (const row of rows) {
    let albumId = row.album_id ?? earlier.get(row.title)?.shift();
    if (!albumId) {
      const created = await albums.create(actor, {
        title: row.title,
        description: row.description,
      });
      albumId = created.id;
    }
    if (row.album_id !== albumId) await repo.setAlbumId(importId, row.folder, albumId);
    byFolder.set(row.folder, albumId);
  }
  return byFolder;
}
