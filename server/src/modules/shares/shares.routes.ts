import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { actorOf } from '../../http/authenticate.js';
import type { ZodApp } from '../../http/zod-app.js';

const idParams = z.object({ id: z.string().max(100) });

export const linkSchema = z.object({
  id: z.string(),
  key: z.string().describe('The secret of the link (192 random bits, base64url)'),
  path: z.string().describe('/s/<key>: the public page'),
  albumId: z.string().nullable(),
  assetIds: z.array(z.string()).describe('The chosen assets; empty for an album link'),
  label: z.string().nullable(),
  description: z.string().nullable(),
  hasPassword: z.boolean(),
  expiresAt: z.string().nullable().describe('null: never expires'),
  maxViews: z.number().nullable(),
  viewCount: z.number(),
  allowDownload: z.boolean(),
  allowUpload: z.boolean(),
  showMetadata: z.boolean(),
  status: z.enum(['active', 'expired', 'revoked', 'exhausted']),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const linkOptions = z.object({
  label: z.string().trim().max(200).nullable().optional().describe('For the owner only'),
  description: z.string().max(10_000).nullable().optional().describe('Shown to visitors'),
  expiresAt: z
    .union([z.literal('never'), z.iso.datetime({ offset: true })])
    .optional()
    .describe(
      'An ISO date in the future, or "never" (an explicit choice). Left out when creating: PIXELUNION_LINK_DEFAULT_DAYS from now.',
    ),
  password: z
    .string()
    .min(1)
    .max(1024)
    .nullable()
    .optional()
    .describe('Stored as an argon2id hash; null removes it'),
  maxViews: z.number().int().min(1).max(1_000_000).nullable().optional(),
  allowDownload: z.boolean().optional().describe('Default false'),
  allowUpload: z.boolean().optional().describe('Default false; album links only'),
  showMetadata: z
    .boolean()
    .optional()
    .describe('Default false: no location, camera or file names, and stripped files'),
});

export const linkUseSchema = z.object({
  views: z.number(),
  downloads: z.number(),
  uploads: z.number(),
  passwordFailures: z.number(),
  lastUsedAt: z.string().nullable(),
  events: z.array(
    z.object({
      kind: z.enum(['view', 'download', 'upload', 'password_failed']),
      at: z.string(),
      client: z.string().describe('Browser, system and a shortened address, e.g. 192.168.x.x'),
      assetId: z.string().nullable(),
    }),
  ),
});

/** The owner's share links. Every route answers 404 for a link that is not the caller's. */
export function sharesRoutes(app: ZodApp, ctx: AppContext): void {
  const tags = ['shares'];
  app.post(
    '/api/shares',
    {
      schema: {
        tags,
        description: 'Creates a link to an album (owner only) or to a selection of own assets.',
        body: linkOptions.extend({
          albumId: z.string().max(100).optional(),
          assetIds: z.array(z.string().max(100)).min(1).max(10_000).optional(),
        }),
        response: { 201: linkSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await ctx.shares.create(actorOf(request), request.body)),
  );

  app.get(
    '/api/shares',
    {
      schema: {
        tags,
        querystring: z.object({ albumId: z.string().max(100).optional() }),
        response: { 200: z.array(linkSchema) },
      },
    },
    (request) => ctx.shares.list(actorOf(request), request.query.albumId),
  );

  app.get(
    '/api/shares/:id',
    { schema: { tags, params: idParams, response: { 200: linkSchema } } },
    (request) => ctx.shares.get(actorOf(request), request.params.id),
  );

  app.patch(
    '/api/shares/:id',
    { schema: { tags, params: idParams, body: linkOptions, response: { 200: linkSchema } } },
    (request) => ctx.shares.update(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/shares/:id',
    {
      schema: {
        tags,
        params: idParams,
        description: 'Revokes the link for good: its key answers 410 LINK_REVOKED at once.',
      },
    },
    async (request, reply) => {
      await ctx.shares.revoke(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/shares/:id/events',
    {
      schema: {
        tags,
        params: idParams,
        description: `The link's use: counts and the latest 500 events of the kept log.`,
        response: { 200: linkUseSchema },
      },
    },
    (request) => ctx.shares.use(actorOf(request), request.params.id),
  );
}
