import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { actorOf } from '../../http/authenticate.js';
import { fileFromMultipart, optionalDate } from '../../http/multipart.js';
import { contentDisposition, parseRange, sendStream } from '../../http/send-file.js';
import type { ZodApp } from '../../http/zod-app.js';
import { assetSchema } from './assets.view.js';
import type { AssetFileKind } from './assets.service.js';

const idParams = z.object({ id: z.string().max(100) });
const idList = z.object({ ids: z.array(z.string().max(100)).min(1).max(10_000) });
const sha1Hex = z.string().regex(/^[0-9a-fA-F]{40}$/, 'must be a SHA-1 in hex');

export function assetsRoutes(app: ZodApp, ctx: AppContext): void {
  const tags = ['assets'];
  app.post(
    '/api/assets',
    {
      schema: {
        tags,
        description:
          'multipart/form-data with the fields fileCreatedAt, fileModifiedAt, filename (all optional, sent before the file) and the file in "file".',
        consumes: ['multipart/form-data'],
        response: {
          200: z.object({ id: z.string(), status: z.literal('duplicate') }),
          201: z.object({ id: z.string(), status: z.literal('created') }),
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const part = await fileFromMultipart(request, 'file');
      const result = await ctx.assets.upload(actor, part.stream, {
        filename: part.fields.filename ?? part.filename,
        fileCreatedAt: optionalDate(part.fields, 'fileCreatedAt'),
        fileModifiedAt: optionalDate(part.fields, 'fileModifiedAt'),
      });
      return reply.status(result.status === 'created' ? 201 : 200).send(result);
    },
  );

  app.post(
    '/api/assets/check',
    {
      schema: {
        tags,
        body: z.object({ checksums: z.array(sha1Hex).max(10_000) }),
        response: {
          200: z.object({ existing: z.array(z.object({ checksum: z.string(), id: z.string() })) }),
        },
      },
    },
    async (request) => ({
      existing: await ctx.assets.checkChecksums(actorOf(request), request.body.checksums),
    }),
  );

  app.get(
    '/api/assets/:id',
    { schema: { tags, params: idParams, response: { 200: assetSchema } } },
    (request) => ctx.assets.get(actorOf(request), request.params.id),
  );

  app.patch(
    '/api/assets/:id',
    {
      schema: {
        tags,
        params: idParams,
        body: z.object({
          isFavorite: z.boolean().optional(),
          isArchived: z.boolean().optional(),
          description: z.string().max(10_000).nullable().optional(),
          localDateTime: z
            .string()
            .optional()
            .describe('Corrected capture time, e.g. 2023-10-06T08:30:00'),
          utcOffsetMinutes: z.number().int().min(-840).max(840).nullable().optional(),
        }),
        response: { 200: assetSchema },
      },
    },
    (request) => ctx.assets.update(actorOf(request), request.params.id, request.body),
  );

  app.delete('/api/assets/:id', { schema: { tags, params: idParams } }, async (request, reply) => {
    await ctx.assets.trash(actorOf(request), [request.params.id]);
    return reply.status(204).send();
  });

  app.post(
    '/api/assets/update',
    {
      schema: {
        tags,
        description: 'Sets the same flags on many assets at once (a selection).',
        body: idList.extend({
          isFavorite: z.boolean().optional(),
          isArchived: z.boolean().optional(),
        }),
      },
    },
    async (request, reply) => {
      const { ids, ...patch } = request.body;
      await ctx.assets.updateMany(actorOf(request), ids, patch);
      return reply.status(204).send();
    },
  );

  app.post('/api/assets/trash', { schema: { tags, body: idList } }, async (request, reply) => {
    await ctx.assets.trash(actorOf(request), request.body.ids);
    return reply.status(204).send();
  });

  app.post('/api/assets/restore', { schema: { tags, body: idList } }, async (request, reply) => {
    await ctx.assets.restore(actorOf(request), request.body.ids);
    return reply.status(204).send();
  });

  app.post(
    '/api/assets/delete',
    {
      schema: {
        tags,
        body: idList,
        description: 'Deletes for good: originals and every derived file.',
      },
    },
    async (request, reply) => {
      await ctx.assets.deletePermanently(actorOf(request), request.body.ids);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/trash/empty',
    { schema: { tags, response: { 200: z.object({ deleted: z.number() }) } } },
    async (request) => ({ deleted: await ctx.assets.emptyTrash(actorOf(request)) }),
  );

  app.post(
    '/api/assets/download',
    {
      schema: {
        tags,
        description:
          'The originals of a selection as one zip attachment. Takes JSON {ids: [...]} or, so a plain HTML form can start the download, a form field ids with comma-separated ids.',
        consumes: ['application/json', 'application/x-www-form-urlencoded'],
        body: z.object({
          ids: z
            .union([z.array(z.string().max(100)), z.string().transform((s) => s.split(','))])
            .pipe(z.array(z.string().trim().min(1).max(100)).min(1).max(10_000)),
        }),
      },
    },
    async (request, reply) => {
      const zip = await ctx.assets.archive(actorOf(request), request.body.ids);
      const name = `PixelUnion-${request.body.ids.length}-${request.body.ids.length === 1 ? 'file' : 'files'}.zip`;
      return reply
        .type('application/zip')
        .header('content-disposition', contentDisposition('attachment', name))
        .header('content-length', await zip.size)
        .header('cache-control', 'no-store')
        .send(zip.stream);
    },
  );

  const fileRoute = (kind: AssetFileKind, description: string) =>
    app.get(
      `/api/assets/:id/${kind}`,
      { schema: { tags, params: idParams, description } },
      async (request, reply) => {
        const file = await ctx.assets.openFile(actorOf(request), request.params.id, kind, (size) =>
          parseRange(request.headers.range, size),
        );
        if (kind === 'original') {
          void reply.header(
            'content-disposition',
            contentDisposition('attachment', file.downloadName),
          );
        }
        return sendStream(request, reply, { ...file, etag: `${file.asset.checksum}-${kind}` });
      },
    );
  fileRoute('original', 'The file as uploaded, byte for byte (Range supported).');
  fileRoute('thumbnail', 'WebP, about 250 px tall.');
  fileRoute('preview', 'JPEG within 1440×1440, upright, sRGB.');
  fileRoute(
    'fullsize',
    'Every pixel, in a format browsers draw: the original for JPEG, PNG, WebP, GIF and AVIF; for HEIC, RAW and TIFF a JPEG made on first request (up to 8192 px a side).',
  );
  fileRoute(
    'motion',
    'A live photo’s video part, as imported (Range supported); 404 when the asset has none.',
  );
}
