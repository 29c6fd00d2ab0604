import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { actorOf } from '../../http/authenticate.js';
import type { ZodApp } from '../../http/zod-app.js';

const counts = z.object({
  queue: z.string(),
  waiting: z.number(),
  active: z.number(),
  completed: z.number(),
  failed: z.number(),
});

export function jobsRoutes(app: ZodApp, ctx: AppContext): void {
  app.get(
    '/api/jobs',
    { schema: { tags: ['jobs'], response: { 200: z.array(counts) } } },
    (request) => {
      actorOf(request);
      return ctx.jobs.counts();
    },
  );
}
