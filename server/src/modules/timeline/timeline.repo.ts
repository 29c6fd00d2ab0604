import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Db, Dialect } from '../../db/database.js';
import type { AssetVisibility, Database } from '../../db/db.types.js';

export type TimelineView = 'timeline' | 'archive' | 'trash' | 'favorites' | 'all';

/** The visibilities each view shows, outside the trash; also its categories in timeline_buckets. */
const visibilitiesOf: Record<'timeline' | 'archive' | 'all', AssetVisibility[]> = {
  timeline: ['timeline'],
  archive: ['archive'],
  all: ['timeline', 'archive'],
};
const categoriesOf = (view: Exclude<TimelineView, 'favorites'>): string[] =>
  view === 'trash' ? ['trash'] : visibilitiesOf[view];

export class TimelineRepo {
  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
  ) {}

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

  /**
   * One month as a columnar JSON document, built by the database: `{ids, types, localDateTimes,
   * ratios, thumbhashes, durations, favorites}`, newest first. Building the JSON in SQL skips
   * creating thousands of row objects in the driver and serialising them again.
   */
  async bucketPage(ownerId: string, bucket: string, view: TimelineView): Promise<string> {
    const row = await this.bucketPageQuery(ownerId, bucket, view).executeTakeFirstOrThrow();
    return row.page;
  }

  /**
   * The query behind bucketPage (also for EXPLAIN in bench/timeline.ts). The rows are ordered
   * once, in the subquery, which reads them in index order; the aggregates keep that order
   * (SQLite keeps a subquery's ORDER BY under json_group_array; PostgreSQL's json_agg has no
   * parallel form and takes rows as the subquery gives them), instead of sorting once per column.
   */
  bucketPageQuery(ownerId: string, bucket: string, view: TimelineView) {
    const postgres = this.dialect === 'postgres';
    const ratio = sql<number>`case when width > 0 and height > 0 then round(${
      postgres ? sql`width::numeric` : sql`cast(width as real)`
    } / height, 3) else 1 end`;
    const rows = this.filterView(
      this.db
        .selectFrom('assets')
        .select(['id', 'type', 'local_date_time', 'thumbhash', 'duration_seconds', 'is_favorite'])
        .select(ratio.as('ratio'))
        .where('owner_id', '=', ownerId)
        .where('bucket', '=', bucket),
      view,
    )
      .orderBy('local_date_time', 'desc')
      .orderBy('id', 'desc');
    const column = (value: RawBuilder<unknown>) =>
      postgres ? sql`coalesce(json_agg(${value}), '[]'::json)` : sql`json_group_array(${value})`;
    const favorite = postgres
      ? sql`p.is_favorite = 1`
      : sql`json(case when p.is_favorite = 1 then 'true' else 'false' end)`;
    const document = sql<string>`${sql.raw(postgres ? 'json_build_object' : 'json_object')}(
      'ids', ${column(sql`p.id`)},
      'types', ${column(sql`p.type`)},
      'localDateTimes', ${column(sql`p.local_date_time`)},
      'ratios', ${column(sql`p.ratio`)},
      'thumbhashes', ${column(sql`p.thumbhash`)},
      'durations', ${column(sql`p.duration_seconds`)},
      'favorites', ${column(favorite)}
    )`;
    return this.db
      .selectFrom(rows.as('p'))
      .select((postgres ? sql<string>`(${document})::text` : document).as('page'));
  }

  private filterView<Row>(
    query: SelectQueryBuilder<Database, 'assets', Row>,
    view: TimelineView,
  ): SelectQueryBuilder<Database, 'assets', Row> {
    switch (view) {
      case 'favorites':
        return query
          .where('is_favorite', '=', 1)
          .where('trashed_at', 'is', null)
          .where('visibility', '!=', 'locked');
      case 'trash':
        return query.where('trashed_at', 'is not', null);
      case 'timeline':
      case 'archive':
      case 'all':
        return query
          .where('trashed_at', 'is', null)
          .where('visibility', 'in', visibilitiesOf[view]);
    }
  }
}
