import type { Actor } from '../../access/access.service.js';
import type { TimelineRepo, TimelineView } from './timeline.repo.js';

export interface TimelineItem {
  id: string;
  type: 'image' | 'video';
  localDateTime: string;
  /** width / height after orientation; 1 until the metadata is known. */
  ratio: number;
  thumbhash: string | null;
  durationSeconds: number | null;
  isFavorite: boolean;
}

/** The timeline is always the actor's own library: the query is scoped to the actor's id. */
export class TimelineService {
  constructor(private readonly repo: TimelineRepo) {}

  buckets(actor: Actor, view: TimelineView): Promise<{ bucket: string; count: number }[]> {
    return this.repo.buckets(actor.userId, view);
  }

  async bucket(actor: Actor, bucket: string, view: TimelineView): Promise<TimelineItem[]> {
    const rows = await this.repo.bucket(actor.userId, bucket, view);
    return rows.map((r) => ({
      id: r.id,
      type: r.type,
      localDateTime: r.local_date_time,
      ratio: r.width && r.height ? Math.round((r.width / r.height) * 1000) / 1000 : 1,
      thumbhash: r.thumbhash,
      durationSeconds: r.duration_seconds,
      isFavorite: r.is_favorite === 1,
    }));
  }
}
