import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { actorOf } from '../../http/authenticate.js';
import type { ZodApp } from '../../http/zod-app.js';

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  isAdmin: z.boolean(),
  quotaBytes: z.number().nullable(),
  createdAt: z.string(),
  stripLocation: z
    .boolean()
    .describe('New uploads lose their location (GPS, place names) before they are stored'),
});

const quota = z.number().int().positive().nullable().optional();

export function usersRoutes(app: ZodApp, ctx: AppContext): void {
  const tags = ['users'];
  app.get('/api/users/me', { schema: { tags, response: { 200: userSchema } } }, (request) =>
    ctx.users.get(actorOf(request).userId),
  );

  app.patch(
    '/api/users/me',
    {
      schema: {
        tags,
        description:
          'Changes settings of your own account. stripLocation: remove the location of every new upload (multipart, tus, Takeout, share-link uploads into your albums); existing photos are not changed.',
        body: z.object({ stripLocation: z.boolean().optional() }),
        response: { 200: userSchema },
      },
    },
    (request) => ctx.users.updateOwnSettings(actorOf(request).userId, request.body),
  );

  app.get(
    '/api/users/me/usage',
    {
      schema: {
        tags,
        response: { 200: z.object({ usedBytes: z.number(), quotaBytes: z.number().nullable() }) },
      },
    },
    (request) => ctx.users.usage(actorOf(request).userId),
  );

  app.get(
    '/api/users/directory',
    {
      schema: {
        tags,
        description:
          'The other users of this server (id, name, email), to choose whom to share an album with.',
        response: {
          200: z.array(z.object({ id: z.string(), name: z.string(), email: z.string() })),
        },
      },
    },
    (request) => ctx.users.directory(actorOf(request)),
  );

  app.get('/api/users', { schema: { tags, response: { 200: z.array(userSchema) } } }, (request) =>
    ctx.users.list(actorOf(request)),
  );

  app.post(
    '/api/users',
    {
      schema: {
        tags,
        body: z.object({
          email: z.email().max(320),
          password: z.string().min(8, 'must be at least 8 characters').max(1024),
          name: z.string().trim().min(1).max(200),
          isAdmin: z.boolean().optional(),
          quotaBytes: quota,
        }),
        response: { 201: userSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await ctx.users.createByAdmin(actorOf(request), request.body)),
  );

  app.patch(
    '/api/users/:id',
    {
      schema: {
        tags,
        params: z.object({ id: z.string() }),
        body: z.object({ quotaBytes: quota }),
        response: { 200: userSchema },
      },
    },
    (request) =>
      ctx.users.setQuota(actorOf(request), request.params.id, request.body.quotaBytes ?? null),
  );
}
