import type { Actor } from '../../access/access.service.js';
import type { TimelineRepo, TimelineView } from './timeline.repo.js';

/** The timeline is always the actor's own library: the query is scoped to the actor's id. */
export class TimelineService {
  constructor(private readonly repo: TimelineRepo) {}

  buckets(actor: Actor, view: TimelineView): Promise<{ bucket: string; count: number }[]> {
    return this.repo.buckets(actor.userId, view);
  }

  /** One month's items as columnar JSON text, ready to send (see TimelineRepo.bucketPage). */
  async bucket(actor: Actor, bucket: string, view: TimelineView): Promise<string> {
    const columns = await this.repo.bucketPage(actor.userId, bucket, view);
    return `{"bucket":${JSON.stringify(bucket)},${columns.slice(1)}`;
  }
}
