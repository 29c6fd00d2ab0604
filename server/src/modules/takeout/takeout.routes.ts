import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { actorOf } from '../../http/authenticate.js';
import { contentDisposition } from '../../http/send-file.js';
import type { ZodApp } from '../../http/zod-app.js';
import { progressSchema } from './takeout.view.js';

const idParams = z.object({ id: z.string().max(100) });

export function takeoutRoutes(app: ZodApp, ctx: AppContext): void {
  const tags = ['takeout'];
  app.post(
    '/api/takeout/imports',
    {
      schema: {
        tags,
        description:
          'Starts an import of a Google Takeout or of a PixelUnion export. Upload its parts (.zip, .tgz) with tus at /api/uploads, with Upload-Metadata takeoutImportId, then start it.',
        body: z
          .object({
            source: z
              .enum(['google-takeout', 'pixelunion'])
              .optional()
              .describe('What is imported, as chosen; the parts, once read, decide'),
          })
          .nullish(),
        response: { 201: progressSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await ctx.takeout.create(actorOf(request), request.body?.source ?? undefined)),
  );

  app.get(
    '/api/takeout/imports',
    { schema: { tags, response: { 200: z.array(progressSchema) } } },
    (request) => ctx.takeout.list(actorOf(request)),
  );

  app.get(
    '/api/takeout/imports/:id',
    { schema: { tags, params: idParams, response: { 200: progressSchema } } },
    (request) => ctx.takeout.get(actorOf(request), request.params.id),
  );

  app.post(
    '/api/takeout/imports/:id/start',
    {
      schema: {
        tags,
        params: idParams,
        description: 'Queues the import of every uploaded part; it runs in the background.',
        response: { 200: progressSchema },
      },
    },
    (request) => ctx.takeout.start(actorOf(request), request.params.id),
  );

  app.post(
    '/api/takeout/imports/:id/cancel',
    {
      schema: {
        tags,
        params: idParams,
        description: 'Stops the import; what was imported stays.',
        response: { 200: progressSchema },
      },
    },
    (request) => ctx.takeout.cancel(actorOf(request), request.params.id),
  );

  app.get(
    '/api/takeout/imports/:id/report',
    {
      schema: {
        tags,
        params: idParams,
        description:
          'The report: one line per file in the archives (imported, duplicate, motion part, skipped, failed, ignored, refused) with reasons and the source of each date and place.',
        querystring: z.object({
          download: z.string().optional().describe('Present: sent as an attachment'),
          outcomes: z
            .string()
            .regex(/^[a-z,]*$/)
            .optional()
            .describe('Only these outcomes, comma-separated, e.g. skipped,failed,refused'),
        }),
      },
    },
    async (request, reply) => {
      const { download, outcomes } = request.query;
      const only = outcomes?.split(',').filter((o) => o !== '');
      const report = await ctx.takeout.report(actorOf(request), request.params.id, only);
      if (download !== undefined) {
        void reply.header(
          'content-disposition',
          contentDisposition('attachment', `takeout-import-${request.params.id}.json`),
        );
      }
      return reply.type('application/json').header('cache-control', 'no-store').send(report);
    },
  );
}
