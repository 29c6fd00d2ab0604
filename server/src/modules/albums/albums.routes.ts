import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { actorOf } from '../../http/authenticate.js';
import type { ZodApp } from '../../http/zod-app.js';

const idParams = z.object({ id: z.string().max(100) });
const assetIds = z.object({ ids: z.array(z.string().max(100)).min(1).max(10_000) });
const title = z.string().trim().max(200).describe('May be empty: an untitled album');

const role = z.enum(['viewer', 'editor']);
export const memberSchema = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  role,
  addedAt: z.string(),
});
export const albumSummarySchema = z.object({
  id: z.string(),
  ownerId: z.string(),
  ownerName: z.string(),
  role: z.enum(['owner', 'viewer', 'editor']).describe('The caller’s role in the album'),
  shared: z.boolean().describe('True when the album is someone else’s, shared with the caller'),
  memberCount: z.number(),
  title: z.string(),
  description: z.string().nullable(),
  coverAssetId: z.string().nullable(),
  sortOrder: z.enum(['asc', 'desc']),
  assetCount: z.number(),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const albumDetailSchema = albumSummarySchema.extend({
  assetIds: z.array(z.string()).describe('Visible assets (not in the trash), in sortOrder'),
  items: z
    .array(
      z.object({
        id: z.string(),
        type: z.enum(['image', 'video']),
        ratio: z.number().describe('width / height after orientation; 1 until known'),
        thumbhash: z.string().nullable(),
        durationSeconds: z.number().nullable(),
      }),
    )
    .describe('The same assets with what a grid needs to lay them out'),
  members: z.array(memberSchema),
});
const memberParams = z.object({ id: z.string().max(100), userId: z.string().max(100) });

export function albumsRoutes(app: ZodApp, ctx: AppContext): void {
  const tags = ['albums'];
  app.get(
    '/api/albums',
    {
      schema: {
        tags,
        description: 'The albums the caller owns and those shared with them.',
        response: { 200: z.array(albumSummarySchema) },
      },
    },
    (request) => ctx.albums.list(actorOf(request)),
  );

  app.post(
    '/api/albums',
    {
      schema: {
        tags,
        body: z.object({
          title,
          description: z.string().max(10_000).nullable().optional(),
          assetIds: z.array(z.string().max(100)).max(10_000).optional(),
        }),
        response: { 201: albumDetailSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await ctx.albums.create(actorOf(request), request.body)),
  );

  app.get(
    '/api/albums/:id',
    { schema: { tags, params: idParams, response: { 200: albumDetailSchema } } },
    (request) => ctx.albums.get(actorOf(request), request.params.id),
  );

  app.patch(
    '/api/albums/:id',
    {
      schema: {
        tags,
        params: idParams,
        body: z.object({
          title: title.optional(),
          description: z.string().max(10_000).nullable().optional(),
          coverAssetId: z.string().max(100).nullable().optional(),
          sortOrder: z.enum(['asc', 'desc']).optional(),
        }),
        response: { 200: albumDetailSchema },
      },
    },
    (request) => ctx.albums.update(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/albums/:id',
    { schema: { tags, params: idParams, description: 'Deletes the album, never its photos' } },
    async (request, reply) => {
      await ctx.albums.delete(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/albums/:id/assets',
    {
      schema: {
        tags,
        params: idParams,
        body: assetIds,
        response: { 200: z.object({ added: z.number() }) },
      },
    },
    async (request) => ({
      added: await ctx.albums.addAssets(actorOf(request), request.params.id, request.body.ids),
    }),
  );

  app.delete(
    '/api/albums/:id/assets',
    {
      schema: {
        tags,
        params: idParams,
        body: assetIds,
        response: { 200: z.object({ removed: z.number() }) },
      },
    },
    async (request) => ({
      removed: await ctx.albums.removeAssets(actorOf(request), request.params.id, request.body.ids),
    }),
  );

  app.put(
    '/api/albums/:id/members/:userId',
    {
      schema: {
        tags,
        params: memberParams,
        body: z.object({ role }),
        description:
          'Shares the album with a user (viewer: see and download; editor: also add and remove photos), or changes their role. Owner only.',
        response: { 200: z.array(memberSchema) },
      },
    },
    (request) =>
      ctx.albums.setMember(
        actorOf(request),
        request.params.id,
        request.params.userId,
        request.body.role,
      ),
  );

  app.delete(
    '/api/albums/:id/members/:userId',
    {
      schema: {
        tags,
        params: memberParams,
        description: 'Stops sharing with a user (owner), or leaves the album (the member).',
      },
    },
    async (request, reply) => {
      await ctx.albums.removeMember(actorOf(request), request.params.id, request.params.userId);
      return reply.status(204).send();
    },
  );
}
