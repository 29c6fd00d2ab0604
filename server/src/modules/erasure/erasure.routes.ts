import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { actorOf, sessionCookie, sessionTokenOf } from '../../http/authenticate.js';
import type { ZodApp } from '../../http/zod-app.js';
import { adminErasedSchema, receiptSchema, requestedSchema, statusSchema } from './erasure.view.js';

export function erasureRoutes(app: ZodApp, ctx: AppContext): void {
  const tags = ['account'];
  app.get(
    '/api/account/erasure',
    {
      schema: {
        tags,
        description: 'Whether the caller’s account is scheduled for erasure, and when.',
        response: { 200: statusSchema },
      },
    },
    (request) => ctx.erasure.status(actorOf(request)),
  );

  app.post(
    '/api/account/erasure',
    {
      schema: {
        tags,
        description:
          'Deletes the caller’s account after the grace period (PIXELUNION_ERASURE_GRACE_DAYS; 0: at once, answered 200). Wrong password: 403, nothing scheduled. Other sessions end and API keys are revoked now; signing in before the due date cancels.',
        body: z.object({ password: z.string().min(1).max(1024) }),
        response: { 200: requestedSchema, 202: requestedSchema },
      },
    },
    async (request, reply) => {
      const result = await ctx.erasure.request(
        actorOf(request),
        request.body.password,
        sessionTokenOf(request),
      );
      if (result.status === 'erased') void reply.clearCookie(sessionCookie, { path: '/' });
      return reply.status(result.status === 'erased' ? 200 : 202).send(result);
    },
  );

  app.delete(
    '/api/account/erasure',
    {
      schema: {
        tags,
        description: 'Cancels a scheduled erasure (403 once it is due).',
        response: { 200: statusSchema },
      },
    },
    (request) => ctx.erasure.cancel(actorOf(request)),
  );

  app.post(
    '/api/users/:id/erase',
    {
      schema: {
        tags: ['users'],
        description:
          'Admin: erases the account at once. confirmEmail must be the user’s email. 202 when interrupted (finished in the background).',
        params: z.object({ id: z.string().max(100) }),
        body: z.object({ confirmEmail: z.string().max(320) }),
        response: { 200: adminErasedSchema, 202: adminErasedSchema },
      },
    },
    async (request, reply) => {
      const result = await ctx.erasure.eraseByAdmin(
        actorOf(request),
        request.params.id,
        request.body.confirmEmail,
      );
      return reply.status(result.status === 'erased' ? 200 : 202).send(result);
    },
  );

  app.get(
    '/api/erasure-receipts/:token',
    {
      schema: {
        tags,
        security: [],
        description:
          'Public: what an erasure deleted and when, for the token given when it was asked for.',
        params: z.object({ token: z.string().max(200) }),
        response: { 200: receiptSchema },
      },
    },
    (request) => ctx.erasure.receipt(request.params.token),
  );
}
