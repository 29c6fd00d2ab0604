import { z } from 'zod';
import { requireAdmin } from '../../access/access.service.js';
import type { AppContext } from '../../context.js';
import { DomainError } from '../../errors.js';
import { actorOf } from '../../http/authenticate.js';
import type { ZodApp } from '../../http/zod-app.js';
import { queueNames, type QueueName } from '../../jobs/job-queue.js';
import { hasDeadLetters, type DeadLetters } from '../../jobs/job-queues.js';

const tags = ['jobs'];

const counts = z.object({
  queue: z.string(),
  waiting: z.number(),
  active: z.number(),
  completed: z.number(),
  /** Failed after their last attempt (dead letters), kept until retried. */
  failed: z.number(),
});

const queueName = z.enum(queueNames as [QueueName, ...QueueName[]]);

const failedJob = z.object({
  id: z.number(),
  queue: queueName,
  payload: z.record(z.string(), z.unknown()),
  error: z.string(),
  attempts: z.number(),
  failedAt: z.number(),
});

function deadLettersOf(ctx: AppContext): DeadLetters {
  if (!hasDeadLetters(ctx.jobs)) {
    throw new DomainError('NOT_FOUND', 'This job queue keeps no failed jobs to list');
  }
  return ctx.jobs;
}

export function jobsRoutes(app: ZodApp, ctx: AppContext): void {
  app.get('/api/jobs', { schema: { tags, response: { 200: z.array(counts) } } }, (request) => {
    actorOf(request);
    return ctx.jobs.counts();
  });

  // Dead letters name other users' asset ids and carry server errors: administrators only.
  app.get(
    '/api/jobs/failed',
    {
      schema: {
        tags,
        querystring: z.object({
          queue: queueName,
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: { 200: z.array(failedJob) },
      },
    },
    (request) => {
      requireAdmin(actorOf(request));
      return deadLettersOf(ctx).failedJobs(request.query.queue, request.query.limit);
    },
  );

  app.post(
    '/api/jobs/:queue/retry-failed',
    {
      schema: {
        tags,
        params: z.object({ queue: queueName }),
        response: { 200: z.object({ retried: z.number() }) },
      },
    },
    async (request) => {
      requireAdmin(actorOf(request));
      return { retried: await deadLettersOf(ctx).retryFailed(request.params.queue) };
    },
  );
}
