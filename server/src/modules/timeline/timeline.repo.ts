import type { Db } from '../../db/database.js';
import type { AssetVisibility } from '../../db/db.types.js';

export type TimelineView = 'timeline' | 'archive' | 'trash' | 'favorites' | 'all';

export interface TimelineItemRow {
  id: string;
  type: 'image' | 'video';
  local_date_time: string;
  width: number | null;
  height: number | null;
  thumbhash: string | null;
  duration_seconds: number | null;
  is_favorite: number;
}

/** The visibilities each view shows, outside the trash; also its categories in timeline_buckets. */
const visibilitiesOf: Record<'timeline' | 'archive' | 'all', AssetVisibility[]> = {
  timeline: ['timeline'],
  archive: ['archive'],
  all: ['timeline', 'archive'],
};
const categoriesOf = (view: Exclude<TimelineView, 'favorites'>): string[] =>
  view === 'trash' ? ['trash'] : visibilitiesOf[view];

export class TimelineRepo {
  constructor(private readonly db: Db) {}

  async buckets(ownerId: string, view: TimelineView): Promise<{ bucket: string; count: number }[]> {
    if (view === 'favorites') {
      const rows = await this.db
        .selectFrom('assets')
        .select(['bucket', (eb) => eb.fn.countAll<number>().as('count')])
        .where('owner_id', '=', ownerId)
        .where('is_favorite', '=', 1)
        .where('trashed_at', 'is', null)
        .where('visibility', '!=', 'locked')
        .groupBy('bucket')
        .orderBy('bucket', 'desc')
        .execute();
      return rows.map((r) => ({ bucket: r.bucket, count: r.count }));
    }
    const rows = await this.db
      .selectFrom('timeline_buckets')
      .select(['bucket', (eb) => eb.fn.sum<number>('count').as('count')])
      .where('owner_id', '=', ownerId)
      .where('category', 'in', categoriesOf(view))
      .where('count', '>', 0)
      .groupBy('bucket')
      .orderBy('bucket', 'desc')
      .execute();
    return rows.map((r) => ({ bucket: r.bucket, count: r.count }));
  }

  bucket(ownerId: string, bucket: string, view: TimelineView): Promise<TimelineItemRow[]> {
    let query = this.db
      .selectFrom('assets')
      .select([
        'id',
        'type',
        'local_date_time',
        'width',
        'height',
        'thumbhash',
        'duration_seconds',
        'is_favorite',
      ])
      .where('owner_id', '=', ownerId)
      .where('bucket', '=', bucket);
    switch (view) {
      case 'favorites':
        query = query
          .where('is_favorite', '=', 1)
          .where('trashed_at', 'is', null)
          .where('visibility', '!=', 'locked');
        break;
      case 'trash':
        query = query.where('trashed_at', 'is not', null);
        break;
      case 'timeline':
      case 'archive':
      case 'all':
        query = query
          .where('trashed_at', 'is', null)
          .where('visibility', 'in', visibilitiesOf[view]);
        break;
    }
    return query.orderBy('local_date_time', 'desc').orderBy('id', 'desc').execute();
  }
}
