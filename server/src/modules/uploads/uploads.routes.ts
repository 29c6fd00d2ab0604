import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { actorOf } from '../../http/authenticate.js';
import type { ZodApp } from '../../http/zod-app.js';
import {
  byteCount,
  chunkContentType,
  isChunk,
  requireChunk,
  requireTusVersion,
  tusVersion,
  uploadInfoOf,
  withState,
} from './uploads.tus.js';

const idParams = z.object({ id: z.string() });
const tags = ['uploads'];

/**
 * Resumable uploads, tus 1.0.0 (core, creation, creation-with-upload, termination, expiration).
 * In their own scope so that the chunk body parser applies to these routes only.
 */
export async function uploadsRoutes(api: ZodApp, ctx: AppContext): Promise<void> {
  await api.register((app: ZodApp, _options, done) => {
    // The body stays unread on request.raw: the service streams it to disk. Bodies of other
    // types are left unread too, for the handlers to refuse them with a tus error.
    app.addContentTypeParser([chunkContentType, '*'], (_request, _payload, parsed) => {
      parsed(null);
    });
    app.addHook('onSend', (_request, reply, payload, next) => {
      void reply.header('tus-resumable', tusVersion);
      if (reply.statusCode === 412) void reply.header('tus-version', tusVersion);
      next(null, payload);
    });

    app.options(
      '/api/uploads',
      { schema: { tags, description: 'tus discovery: version, extensions, maximum size.' } },
      async (request, reply) => {
        actorOf(request);
        return reply
          .status(204)
          .headers({
            'tus-version': tusVersion,
            'tus-extension': 'creation,creation-with-upload,termination,expiration',
            'tus-max-size': String(ctx.config.maxUploadBytes),
          })
          .send();
      },
    );

    app.post(
      '/api/uploads',
      {
        schema: {
          tags,
          description:
            'tus creation. Headers: Tus-Resumable: 1.0.0, Upload-Length, Upload-Metadata (filename, fileCreatedAt, fileModifiedAt). An application/offset+octet-stream body is appended at once. 201 with Location and Upload-Offset.',
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        requireTusVersion(request);
        const state = await ctx.uploads.create(
          actor,
          byteCount(request, 'Upload-Length', true),
          uploadInfoOf(request),
          isChunk(request)
            ? { source: request.raw, contentLength: byteCount(request, 'Content-Length') }
            : undefined,
        );
        void reply.header('location', `/api/uploads/${state.id}`);
        return withState(reply.status(201), state).send();
      },
    );

    app.head(
      '/api/uploads/:id',
      {
        schema: {
          tags,
          params: idParams,
          description:
            'tus offset. Upload-Offset and Upload-Length; a finished upload also answers PixelUnion-Asset-Id and PixelUnion-Asset-Status.',
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        requireTusVersion(request);
        const state = await ctx.uploads.status(actor, request.params.id);
        void reply.header('cache-control', 'no-store');
        return withState(reply.status(200), state, { length: true }).send();
      },
    );

    app.patch(
      '/api/uploads/:id',
      {
        schema: {
          tags,
          params: idParams,
          description:
            'tus chunk: Content-Type application/offset+octet-stream, Upload-Offset equal to the stored offset (else 409). 204 with Upload-Offset; the last chunk also answers PixelUnion-Asset-Id and PixelUnion-Asset-Status (created or duplicate).',
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        requireTusVersion(request);
        requireChunk(request);
        const state = await ctx.uploads.append(
          actor,
          request.params.id,
          byteCount(request, 'Upload-Offset', true),
          request.raw,
          byteCount(request, 'Content-Length'),
        );
        return withState(reply.status(204), state).send();
      },
    );

    app.delete(
      '/api/uploads/:id',
      { schema: { tags, params: idParams, description: 'tus termination.' } },
      async (request, reply) => {
        const actor = actorOf(request);
        requireTusVersion(request);
        await ctx.uploads.terminate(actor, request.params.id);
        return reply.status(204).send();
      },
    );
    done();
  });
}
