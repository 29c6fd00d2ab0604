import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { actorOf, sessionCookie, sessionTokenOf } from '../../http/authenticate.js';
import type { ZodApp } from '../../http/zod-app.js';
import { userSchema } from '../users/users.routes.js';

const credentials = z.object({
  email: z.email().max(320),
  password: z.string().min(1).max(1024),
});
const newAccount = credentials.extend({
  password: z.string().min(8, 'must be at least 8 characters').max(1024),
  name: z.string().trim().min(1).max(200),
});
const loginResponse = z.object({ token: z.string(), user: userSchema });
const apiKeySchema = z.object({ id: z.string(), name: z.string(), createdAt: z.string() });

export function authRoutes(app: ZodApp, ctx: AppContext): void {
  const tags = ['auth'];
  app.get(
    '/api/auth/status',
    {
      schema: {
        tags,
        description: 'Public: whether the first account still has to be created.',
        response: { 200: z.object({ needsSetup: z.boolean() }) },
      },
    },
    async () => ({ needsSetup: (await ctx.users.count()) === 0 }),
  );

  app.post(
    '/api/auth/setup',
    { schema: { tags, body: newAccount, response: { 201: userSchema } } },
    async (request, reply) => reply.status(201).send(await ctx.auth.setup(request.body)),
  );

  app.post(
    '/api/auth/login',
    { schema: { tags, body: credentials, response: { 200: loginResponse } } },
    async (request, reply) => {
      const result = await ctx.auth.login(request.body.email, request.body.password, request.ip);
      void reply.setCookie(sessionCookie, result.token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: request.protocol === 'https',
        path: '/',
        expires: new Date(result.expiresAt),
      });
      return { token: result.token, user: result.user };
    },
  );

  app.post('/api/auth/logout', { schema: { tags } }, async (request, reply) => {
    actorOf(request);
    const token = sessionTokenOf(request);
    if (token) await ctx.auth.logout(token);
    return reply.clearCookie(sessionCookie, { path: '/' }).status(204).send();
  });

  app.post(
    '/api/api-keys',
    {
      schema: {
        tags,
        body: z.object({ name: z.string().trim().min(1).max(200) }),
        response: { 201: z.object({ id: z.string(), name: z.string(), key: z.string() }) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await ctx.auth.createApiKey(actorOf(request), request.body.name)),
  );

  app.get(
    '/api/api-keys',
    { schema: { tags, response: { 200: z.array(apiKeySchema) } } },
    (request) => ctx.auth.listApiKeys(actorOf(request)),
  );

  app.delete(
    '/api/api-keys/:id',
    { schema: { tags, params: z.object({ id: z.string() }) } },
    async (request, reply) => {
      await ctx.auth.deleteApiKey(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
}
