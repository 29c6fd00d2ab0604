import type { Db } from '../../db/database.js';
import type { TakeoutEntryRow, TakeoutOutcome } from '../../db/db.types.js';

/** One line of the report: an entry with where its asset's date and place came from. */
export type ReportRow = TakeoutEntryRow & {
  part_name: string;
  sidecar_path: string | null;
  date_source: string | null;
  location_source: string | null;
};

const allOutcomes: TakeoutOutcome[] = [
  'imported',
  'duplicate',
  'motion',
  'skipped',
  'failed',
  'ignored',
  'refused',
];

/** What progress and the report read of an import's entries. */
export class TakeoutReportRepo {
  constructor(private readonly db: Db) {}

  /** How many entries there are of each role and outcome (null: not done yet). */
  counts(
    importId: string,
  ): Promise<{ role: string; outcome: TakeoutOutcome | null; count: number | string }[]> {
    return this.db
      .selectFrom('takeout_entries')
      .select(['role', 'outcome', (eb) => eb.fn.countAll<number | string>().as('count')])
      .where('import_id', '=', importId)
      .groupBy(['role', 'outcome'])
      .execute();
  }

  /** Media entries that found their sidecar (0 until the match phase has run). */
  async matchedCount(importId: string): Promise<number> {
    const row = await this.db
      .selectFrom('takeout_entries')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where('import_id', '=', importId)
      .where('role', '=', 'media')
      .where('sidecar_entry_id', 'is not', null)
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  reportPage(
    importId: string,
    afterId: number,
    limit: number,
    outcomes?: readonly string[],
  ): Promise<ReportRow[]> {
    let query = this.db
      .selectFrom('takeout_entries as e')
      .innerJoin('takeout_parts as p', 'p.id', 'e.part_id')
      .leftJoin('assets as a', 'a.id', 'e.asset_id')
      .leftJoin('takeout_entries as s', 's.id', 'e.sidecar_entry_id')
      .selectAll('e')
      .select([
        'p.file_name as part_name',
        's.path as sidecar_path',
        'a.date_source',
        'a.location_source',
      ])
      .where('e.import_id', '=', importId)
      .where('e.role', '!=', 'sidecar')
      .where('e.role', '!=', 'album-meta')
      .where('e.id', '>', afterId)
      .orderBy('e.id')
      .limit(limit);
    if (outcomes) {
      const wanted = outcomes.filter((o): o is TakeoutOutcome =>
        (allOutcomes as string[]).includes(o),
      );
      query = query.where(
        'e.outcome',
        'in',
        wanted.length > 0 ? wanted : ['none' as TakeoutOutcome],
      );
    }
    return query.execute();
  }
}
