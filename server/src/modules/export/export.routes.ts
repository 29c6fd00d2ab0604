import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { actorOf } from '../../http/authenticate.js';
import { contentDisposition, parseRange, sendStream } from '../../http/send-file.js';
import type { ZodApp } from '../../http/zod-app.js';
import { exportSchema } from './export.view.js';

const idParams = z.object({ id: z.string().max(100) });

/** The owner's full exports. Every route answers 404 for an export that is not the caller's. */
export function exportRoutes(app: ZodApp, ctx: AppContext): void {
  const tags = ['exports'];
  app.post(
    '/api/exports',
    {
      schema: {
        tags,
        description:
          'Starts a full export of your library: originals, their metadata as JSON and XMP, account, albums, share links and their use log, and an offline index.html, as one or more zip parts. Made in the background; while one is being made, this answers it (200) instead of starting another.',
        body: z
          .object({
            partSizeBytes: z
              .number()
              .int()
              .min(1024 * 1024)
              .max(2 ** 40)
              .optional()
              .describe('Largest part; default 4,000,000,000 bytes (fits FAT32 drives)'),
          })
          .default({}),
        response: { 200: exportSchema, 201: exportSchema },
      },
    },
    async (request, reply) => {
      const { created, view } = await ctx.exports.create(actorOf(request), request.body);
      return reply.status(created ? 201 : 200).send(view);
    },
  );

  app.get(
    '/api/exports',
    { schema: { tags, response: { 200: z.array(exportSchema) } } },
    (request) => ctx.exports.list(actorOf(request)),
  );

  app.get(
    '/api/exports/:id',
    { schema: { tags, params: idParams, response: { 200: exportSchema } } },
    (request) => ctx.exports.get(actorOf(request), request.params.id),
  );

  app.delete(
    '/api/exports/:id',
    { schema: { tags, params: idParams, description: 'Deletes the export; your library stays.' } },
    async (request, reply) => {
      await ctx.exports.delete(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/exports/:id/parts/:part',
    {
      schema: {
        tags,
        params: idParams.extend({ part: z.coerce.number().int().min(1).max(1_000_000) }),
        description:
          'One part of a ready export: an uncompressed ZIP (ZIP64 where needed) with a known Content-Length, the same bytes on every request, so a cut download continues with Range (206; 416 past the end).',
      },
    },
    async (request, reply) => {
      const { id, part } = request.params;
      const file = await ctx.exports.openPart(actorOf(request), id, part, (size) =>
        parseRange(request.headers.range, size),
      );
      void reply.header('content-disposition', contentDisposition('attachment', file.fileName));
      return sendStream(request, reply, {
        ...file,
        contentType: 'application/zip',
        cacheControl: 'private, no-store',
      });
    },
  );
}
