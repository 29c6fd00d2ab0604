import { exportRootOf, type ExportAlbums, type ExportAsset } from './takeout.pixelunion.js';
import type { FolderEntry, TakeoutRepo } from './takeout.repo.js';

/** The `takeout_albums.folder` of an album of a PixelUnion export: its id there. */
export const exportAlbumKey = (exportedId: string): string => `pixelunion:${exportedId}`;

/** Whether Google's name rules must leave the entry alone: it is part of a PixelUnion export. */
export const isExportEntry = (entry: Pick<FolderEntry, 'path' | 'kind'>): boolean =>
  exportRootOf(entry.path) !== null || (entry.kind?.startsWith('pixelunion-') ?? false);

/**
 * Matching for PixelUnion exports: a photo's JSON names its original and its live video by path
 * (no name rules), and albums come from albums.json, or from the photos' JSON when albums.json
 * is missing. One instance per match phase: albums already saved are not written again.
 */
export class ExportMatcher {
  private readonly albums = new Set<string>();

  constructor(
    private readonly repo: TakeoutRepo,
    private readonly importId: string,
  ) {}

  /** Matches one folder's documents; answers the media entries they took. */
  async matchFolder(entries: readonly FolderEntry[]): Promise<Set<number>> {
    const byPath = new Map<string, number>();
    for (const e of entries)
      if (e.role === 'media' && !byPath.has(e.path)) byPath.set(e.path, e.id);
    // A document's file is beside it; one elsewhere (another folder) is looked up.
    const find = async (path: string) =>
      byPath.get(path) ?? (await this.repo.exports.mediaByPath(this.importId, path));
    const taken = new Set<number>();
    const matches: {
      id: number;
      sidecarEntryId: number | null;
      how: string;
      motionOf: number | null;
    }[] = [];
    for (const entry of entries) {
      if (entry.document === null) continue;
      if (entry.kind === 'pixelunion-albums') {
        await this.saveAlbums(JSON.parse(entry.document) as ExportAlbums);
        continue;
      }
      if (entry.kind !== 'pixelunion-asset') continue;
      const doc = JSON.parse(entry.document) as ExportAsset;
      for (const album of doc.albums) await this.saveAlbumOfPhoto(album);
      const still = await find(doc.file);
      if (still === undefined || taken.has(still)) continue;
      taken.add(still);
      matches.push({ id: still, sidecarEntryId: entry.id, how: 'pixelunion', motionOf: null });
      const motion = doc.motion === null ? undefined : await find(doc.motion);
      if (motion !== undefined && !taken.has(motion)) {
        taken.add(motion);
        // The live video joins its still; it has no document of its own.
        matches.push({
          id: motion,
          sidecarEntryId: null,
          how: 'pixelunion-motion',
          motionOf: still,
        });
      }
    }
    await this.repo.saveMatches(matches);
    return taken;
  }

  private async saveAlbums(doc: ExportAlbums): Promise<void> {
    for (const album of doc.albums) {
      const folder = exportAlbumKey(album.id);
      this.albums.add(folder);
      await this.repo.saveAlbum({
        import_id: this.importId,
        folder,
        title: album.title,
        description: album.description,
      });
    }
  }

  private async saveAlbumOfPhoto(album: { id: string; title: string }): Promise<void> {
    const folder = exportAlbumKey(album.id);
    if (this.albums.has(folder)) return;
    this.albums.add(folder);
    await this.repo.exports.saveAlbumIfAbsent({
      import_id: this.importId,
      folder,
      title: album.title,
      description: null,
    });
  }
}
