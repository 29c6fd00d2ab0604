import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { describeClient } from '../../http/client-description.js';
import { fileFromMultipart, optionalDate } from '../../http/multipart.js';
import { contentDisposition, parseRange, sendStream } from '../../http/send-file.js';
import type { ZodApp } from '../../http/zod-app.js';
import type { AssetFileKind } from '../assets/assets.service.js';
import { PASS_SECONDS, type Visit } from './shares.visits.js';

/** The visitor's pass for one link; its path keeps the browser from sending it to other links. */
export const linkCookie = 'pixelunion_link';
/** Nothing served through a link may outlive its revocation in any cache. */
const noStore = 'private, no-store';

const keyParams = z.object({ key: z.string().min(16).max(100) });
const fileParams = keyParams.extend({ assetId: z.string().max(100) });

const publicAsset = z.object({
  id: z.string(),
  type: z.enum(['image', 'video']),
  mimeType: z.string(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  localDateTime: z.string(),
  durationSeconds: z.number().nullable(),
  thumbhash: z.string().nullable(),
  hasThumbnail: z.boolean(),
  metadata: z
    .object({
      originalFileName: z.string(),
      takenAt: z.string(),
      latitude: z.number().nullable(),
      longitude: z.number().nullable(),
      altitude: z.number().nullable(),
      make: z.string().nullable(),
      model: z.string().nullable(),
      lensModel: z.string().nullable(),
      exposureTime: z.string().nullable(),
      fNumber: z.number().nullable(),
      focalLength: z.number().nullable(),
      iso: z.number().nullable(),
      description: z.string().nullable(),
    })
    .nullable()
    .describe('Only when the owner chose to show metadata'),
});

export const contentSchema = z.object({
  type: z.enum(['album', 'assets']),
  title: z.string().nullable(),
  description: z.string().nullable(),
  ownerName: z.string(),
  expiresAt: z.string().nullable(),
  hasPassword: z.boolean(),
  allowDownload: z.boolean(),
  allowUpload: z.boolean(),
  showMetadata: z.boolean(),
  assets: z.array(publicAsset),
});

function visitOf(request: FastifyRequest, key: string): Visit {
  return {
    key,
    passToken: request.cookies[linkCookie],
    client: describeClient(request.headers['user-agent'], request.ip),
    ip: request.ip,
  };
}

function setPass(request: FastifyRequest, reply: FastifyReply, key: string, token: string): void {
  void reply.setCookie(linkCookie, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    path: `/api/s/${key}`,
    maxAge: PASS_SECONDS,
  });
}

/**
 * What a share link's visitor reaches with its key, without an account (`/api/s/<key>…`). Every
 * request checks revocation, expiry, views and the password pass; no response may be cached.
 */
export async function sharesPublicRoutes(parent: ZodApp, ctx: AppContext): Promise<void> {
  await parent.register((scope, _options, done) => {
    const app = scope.withTypeProvider<ZodTypeProvider>();
    app.addHook('onSend', async (_request, reply) => {
      void reply.header('cache-control', noStore).header('referrer-policy', 'no-referrer');
      return Promise.resolve();
    });
    routes(app, ctx);
    done();
  });
}

function routes(app: ZodApp, ctx: AppContext): void {
  const tags = ['shared links (public)'];
  const security: { [name: string]: string[] }[] = [];
  app.get(
    '/api/s/:key',
    {
      // A HEAD would count a view.
      exposeHeadRoute: false,
      schema: {
        tags,
        security,
        params: keyParams,
        description:
          'One view of the link (counted; 410 LINK_EXHAUSTED once its views are used up). 401 PASSWORD_REQUIRED until POST …/password succeeded; 410 LINK_EXPIRED / LINK_REVOKED.',
        response: { 200: contentSchema },
      },
    },
    async (request, reply) => {
      const { content, newPass } = await ctx.shareVisits.view(visitOf(request, request.params.key));
      if (newPass) setPass(request, reply, request.params.key, newPass);
      return content;
    },
  );

  app.post(
    '/api/s/:key/password',
    {
      schema: {
        tags,
        security,
        params: keyParams,
        body: z.object({ password: z.string().max(1024) }),
        description:
          'Unlocks the link: sets an HttpOnly cookie valid for this link only. 401 WRONG_PASSWORD, 429 TOO_MANY_ATTEMPTS.',
      },
    },
    async (request, reply) => {
      const token = await ctx.shareVisits.unlock(
        visitOf(request, request.params.key),
        request.body.password,
      );
      if (token) setPass(request, reply, request.params.key, token);
      return reply.status(204).send();
    },
  );

  const fileRoute = (kind: AssetFileKind, description: string) =>
    app.get(
      `/api/s/:key/assets/:assetId/${kind}`,
      // A HEAD of an original would be logged as a download.
      { exposeHeadRoute: false, schema: { tags, security, params: fileParams, description } },
      async (request, reply) => {
        const file = await ctx.shareVisits.openFile(
          visitOf(request, request.params.key),
          request.params.assetId,
          kind,
          (size) => parseRange(request.headers.range, size),
        );
        if (kind === 'original') {
          void reply.header(
            'content-disposition',
            contentDisposition('attachment', file.downloadName),
          );
        }
        const etag = `${file.asset.id}-${kind}-${file.size}`;
        return sendStream(request, reply, { ...file, etag, cacheControl: noStore });
      },
    );
  fileRoute('thumbnail', 'WebP, about 250 px tall; carries no metadata.');
  fileRoute('preview', 'JPEG within 1440×1440; carries no metadata.');
  fileRoute(
    'fullsize',
    'The whole picture to view (for a video: the video to play); stripped of metadata unless the link shows it.',
  );
  fileRoute(
    'original',
    'The original as an attachment, only when the link allows downloads (403 DOWNLOAD_NOT_ALLOWED); stripped of location, camera serial and personal fields unless the link shows metadata.',
  );

  app.post(
    '/api/s/:key/download',
    {
      schema: {
        tags,
        security,
        params: keyParams,
        consumes: ['application/json', 'application/x-www-form-urlencoded'],
        description:
          'A zip of the originals (all the link shows, or ids), when the link allows downloads; stripped and neutrally named unless it shows metadata.',
        body: z
          .object({
            ids: z
              .union([z.array(z.string().max(100)), z.string().transform((s) => s.split(','))])
              .pipe(z.array(z.string().trim().min(1).max(100)).min(1).max(10_000))
              .optional(),
          })
          .nullish(),
      },
    },
    async (request, reply) => {
      const zip = await ctx.shareVisits.download(
        visitOf(request, request.params.key),
        request.body?.ids,
      );
      return reply
        .type('application/zip')
        .header('content-disposition', contentDisposition('attachment', 'PixelUnion-shared.zip'))
        .header('content-length', await zip.size)
        .send(zip.stream);
    },
  );

  app.post(
    '/api/s/:key/upload',
    {
      schema: {
        tags,
        security,
        params: keyParams,
        consumes: ['multipart/form-data'],
        description:
          'Like POST /api/assets, when the link allows uploads (403 UPLOAD_NOT_ALLOWED): the file goes into the owner’s library and the link’s album.',
        response: {
          200: z.object({ id: z.string(), status: z.literal('duplicate') }),
          201: z.object({ id: z.string(), status: z.literal('created') }),
        },
      },
    },
    async (request, reply) => {
      const result = await ctx.shareVisits.upload(
        visitOf(request, request.params.key),
        async () => {
          const part = await fileFromMultipart(request, 'file');
          return {
            stream: part.stream,
            filename: part.fields.filename ?? part.filename,
            fileCreatedAt: optionalDate(part.fields, 'fileCreatedAt'),
            fileModifiedAt: optionalDate(part.fields, 'fileModifiedAt'),
          };
        },
      );
      return reply.status(result.status === 'created' ? 201 : 200).send(result);
    },
  );
}
