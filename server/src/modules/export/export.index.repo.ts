import type { Db } from '../../db/database.js';

export type IndexCategory = 'timeline' | 'archive' | 'locked' | 'trash';

/** What the offline page shows of an asset, with the path of its original in the export. */
export interface IndexItem {
  seq: number;
  path: string;
  id: string;
  type: 'image' | 'video';
  original_file_name: string;
  local_date_time: string;
  is_favorite: number;
  description: string | null;
  width: number | null;
  height: number | null;
}

const indexColumns = [
  'export_entries.seq',
  'export_entries.path',
  'assets.id',
  'assets.type',
  'assets.original_file_name',
  'assets.local_date_time',
  'assets.is_favorite',
  'assets.description',
  'assets.width',
  'assets.height',
] as const;

/** The queries of the offline page (index.html): the export's originals with their assets. */
export class ExportIndexRepo {
  constructor(private readonly db: Db) {}

  /** A page of the offline index: the export's originals of one category, in capture order. */
  indexPage(
    exportId: string,
    category: IndexCategory,
    afterSeq: number,
    limit: number,
  ): Promise<IndexItem[]> {
    let query = this.db
      .selectFrom('export_entries')
      .innerJoin('assets', 'assets.id', 'export_entries.asset_id')
      .select(indexColumns)
      .where('export_entries.export_id', '=', exportId)
      .where('export_entries.kind', '=', 'original')
      .where('export_entries.seq', '>', afterSeq);
    query =
      category === 'trash'
        ? query.where('assets.trashed_at', 'is not', null)
        : query.where('assets.trashed_at', 'is', null).where('assets.visibility', '=', category);
    return query.orderBy('export_entries.seq').limit(limit).execute();
  }

  /** A page of one album's assets owned by `ownerId`, as they are in the export. */
  albumIndexPage(
    exportId: string,
    albumId: string,
    ownerId: string,
    afterSeq: number,
    limit: number,
  ): Promise<IndexItem[]> {
    return this.db
      .selectFrom('export_entries')
      .innerJoin('assets', 'assets.id', 'export_entries.asset_id')
      .innerJoin('album_assets', 'album_assets.asset_id', 'assets.id')
      .select(indexColumns)
      .where('export_entries.export_id', '=', exportId)
      .where('export_entries.kind', '=', 'original')
      .where('album_assets.album_id', '=', albumId)
      .where('assets.owner_id', '=', ownerId)
      .where('export_entries.seq', '>', afterSeq)
      .orderBy('export_entries.seq')
      .limit(limit)
      .execute();
  }
}
