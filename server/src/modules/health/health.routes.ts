import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { ZodApp } from '../../http/zod-app.js';
import { createHealthService, type HealthService } from './health.service.js';

const state = z.enum(['ok', 'failed', 'timeout']);
const healthSchema = z.object({
  status: z.enum(['ok', 'failing']),
  role: z.enum(['all', 'api', 'worker']).describe('PIXELUNION_ROLE of the process that answered'),
  checks: z.object({ database: state, blobStore: state, queue: state }),
});

/**
 * `GET /api/health` for load balancers and container health checks: 200 when the database, the
 * blob store and the job queue answer, else 503 naming the one that does not. No sign-in, no
 * rate limit; probes are cached for a second or a few, so frequent polling stays cheap.
 */
export function healthRoutes(app: ZodApp, ctx: AppContext): void {
  const health = createHealthService(ctx, app.log);
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['server'],
        security: [],
        description:
          'Whether this process can serve: 200 when its dependencies answer, 503 naming the failing one.',
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_request, reply) => {
      const report = await health.report();
      void reply.header('cache-control', 'no-store');
      return reply.status(report.status === 'ok' ? 200 : 503).send(report);
    },
  );
}

/**
 * The same answer on a plain node:http listener (a worker's health port, the metrics port), at
 * `/health` and `/api/health`. Answers false for other paths, which the caller handles.
 */
export async function answerHealth(
  health: HealthService,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<boolean> {
  const pathname = (request.url ?? '').split('?', 1)[0];
  if (pathname !== '/health' && pathname !== '/api/health') return false;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' }).end();
    return true;
  }
  const report = await health.report();
  const body = JSON.stringify(report);
  response.writeHead(report.status === 'ok' ? 200 : 503, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
  return true;
}
