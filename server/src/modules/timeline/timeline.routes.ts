import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { actorOf } from '../../http/authenticate.js';
import type { ZodApp } from '../../http/zod-app.js';

const viewQuery = z.object({
  view: z
    .enum(['timeline', 'archive', 'trash', 'favorites', 'all'])
    .default('timeline')
    .describe('timeline: neither archived nor trashed; all: timeline and archive'),
});

const item = z.object({
  id: z.string(),
  type: z.enum(['image', 'video']),
  localDateTime: z.string(),
  ratio: z.number(),
  thumbhash: z.string().nullable(),
  durationSeconds: z.number().nullable(),
  isFavorite: z.boolean(),
});

export function timelineRoutes(app: ZodApp, ctx: AppContext): void {
  const tags = ['timeline'];
  app.get(
    '/api/timeline/buckets',
    {
      schema: {
        tags,
        querystring: viewQuery,
        response: { 200: z.array(z.object({ bucket: z.string(), count: z.number() })) },
      },
    },
    (request) => ctx.timeline.buckets(actorOf(request), request.query.view),
  );

  app.get(
    '/api/timeline/buckets/:bucket',
    {
      schema: {
        tags,
        params: z.object({
          bucket: z.string().regex(/^\d{4}-\d{2}$/, 'must be a month like 2023-10'),
        }),
        querystring: viewQuery,
        response: { 200: z.array(item) },
      },
      // The schema documents the response; validating thousands of items built by our own
      // service on every request would cost more than the query.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    (request) => ctx.timeline.bucket(actorOf(request), request.params.bucket, request.query.view),
  );
}
