import { Readable } from 'node:stream';
import type { TakeoutAlbumsTable } from '../../db/db.types.js';
import { exportAlbumKey } from './takeout.pixelunion.match.js';
import type { TakeoutRepo } from './takeout.repo.js';
import type { ReportRow } from './takeout.report.repo.js';
import type { TakeoutProgress } from './takeout.view.js';

/** The report's JSON, as `reportStream` writes it (for clients: the CLI, tests). */
export interface TakeoutReport {
  import: Omit<TakeoutProgress, 'counts'>;
  summary: TakeoutProgress['counts'];
  albums: { title: string; description: string | null; folder: string; albumId: string | null }[];
  notes: string[];
  files: {
    path: string;
    part: string;
    kind: string;
    outcome: string;
    detail: string | null;
    assetId: string | null;
    sidecar: string | null;
    dateFrom?: string | null;
    locationFrom?: string | null;
  }[];
}

export const sharedAlbumsNote =
  'Albums that other people shared with you are not part of Google’s export: ask their owners ' +
  'for a share link, or save their photos to your library in Google Photos before exporting.';

const exportAlbumPrefix = exportAlbumKey('');

/** Where an asset's date came from, in the report's words. */
function dateFrom(source: string | null): string | null {
  switch (source) {
    case null:
      return null;
    case 'takeout-json':
      return 'json';
    case 'exif':
    case 'quicktime':
    case 'xmp':
      return 'exif';
    case 'filename':
      return 'filename';
    case 'folder-year':
      return 'folder-year';
    case 'user':
      return 'user';
    default:
      return 'none';
  }
}

function fileLine(row: ReportRow) {
  const asset = row.outcome === 'imported' || row.outcome === 'duplicate';
  return {
    path: row.path,
    part: row.part_name,
    kind: row.role,
    outcome: row.outcome ?? 'pending',
    detail: row.detail,
    assetId: row.asset_id,
    sidecar: row.sidecar_path,
    ...(asset
      ? {
          dateFrom: dateFrom(row.date_source),
          locationFrom: row.location_source === 'takeout-json' ? 'json' : row.location_source,
        }
      : {}),
  };
}

/**
 * The import's report as one JSON document, streamed page by page: one line for every file in
 * the archives (media, ignored and refused), so nothing is unaccounted for, in constant memory.
 */
export function reportStream(
  repo: TakeoutRepo,
  progress: TakeoutProgress,
  albums: readonly TakeoutAlbumsTable[],
  notes: readonly string[],
  outcomes?: readonly string[],
): Readable {
  async function* lines(): AsyncGenerator<string> {
    const head = {
      import: { ...progress, counts: undefined },
      summary: progress.counts,
      albums: albums.map((a) => ({
        title: a.title,
        description: a.description,
        // An album of a PixelUnion export came from albums.json, not from a folder.
        folder: a.folder.startsWith(exportAlbumPrefix) ? '' : a.folder,
        albumId: a.album_id,
      })),
      notes,
    };
    yield JSON.stringify(head).slice(0, -1) + ',"files":[';
    let after = 0;
    let first = true;
    for (;;) {
      const page = await repo.reports.reportPage(progress.id, after, 1000, outcomes);
      if (page.length === 0) break;
      let chunk = '';
      for (const row of page) {
        chunk += (first ? '\n' : ',\n') + JSON.stringify(fileLine(row));
        first = false;
      }
      yield chunk;
      after = page[page.length - 1]?.id ?? after;
    }
    yield '\n]}\n';
  }
  return Readable.from(lines());
}
