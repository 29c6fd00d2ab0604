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

export const bucketPageSchema = z
  .object({
    bucket: z.string(),
    ids: z.array(z.string()),
    types: z.array(z.enum(['image', 'video'])),
    localDateTimes: z.array(z.string()).describe('Wall-clock capture time, no zone'),
    ratios: z.array(z.number()).describe('width / height after orientation; 1 until known'),
    thumbhashes: z.array(z.string().nullable()).describe('base64'),
    durations: z.array(z.number().nullable()).describe('seconds, for videos'),
    favorites: z.array(z.boolean()),
  })
  .describe('One month, newest first, as parallel arrays (one entry per asset in each)');

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
        response: { 200: bucketPageSchema },
      },
      // The database builds this JSON (TimelineService.bucket); it goes out as it is.
      serializerCompiler: () => (text) => text as string,
    },
    async (request, reply) => {
      void reply.type('application/json; charset=utf-8');
      const page = await ctx.timeline.bucket(
        actorOf(request),
        request.params.bucket,
        request.query.view,
      );
      return page as unknown as z.infer<typeof bucketPageSchema>;
    },
  );
}
