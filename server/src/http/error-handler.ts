import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, type ErrorCode } from '../errors.js';

const statusOf: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  NOT_READY: 404,
  ALREADY_SET_UP: 409,
  EMAIL_TAKEN: 409,
  INVALID_CREDENTIALS: 401,
  TOO_MANY_ATTEMPTS: 429,
  QUOTA_EXCEEDED: 413,
  FILE_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA: 415,
  RANGE_NOT_SATISFIABLE: 416,
  UNSUPPORTED_CONTENT_TYPE: 415,
  TUS_VERSION_UNSUPPORTED: 412,
  UPLOAD_OFFSET_MISMATCH: 409,
  UPLOAD_LOCKED: 423,
  LINK_EXPIRED: 410,
  LINK_REVOKED: 410,
  LINK_EXHAUSTED: 410,
  PASSWORD_REQUIRED: 401,
  WRONG_PASSWORD: 401,
  DOWNLOAD_NOT_ALLOWED: 403,
  UPLOAD_NOT_ALLOWED: 403,
};

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

const drainLimitBytes = 64 * 1024 * 1024;

/** The one place where errors become HTTP responses. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // Refused before its body was read (quota, size, type): the rest of the body is still on
    // the socket. Read and drop it when it is small, so the client sees the answer and may reuse
    // the connection; past that, close the connection after the answer.
    if (!request.raw.complete) {
      const length = Number(request.headers['content-length']);
      if (length <= drainLimitBytes) request.raw.resume();
      else void reply.header('connection', 'close');
    }
    if (error instanceof DomainError) {
      const body: ErrorBody = {
        error: { code: error.code, message: error.message, details: error.details },
      };
      return reply.status(statusOf[error.code]).send(body);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => ({
        path: v.instancePath.replace(/^\//, '').replaceAll('/', '.'),
        message: v.message,
      }));
      const summary = issues.map((i) => `${i.path || '(body)'}: ${i.message ?? ''}`).join('; ');
      return reply.status(400).send({
        error: {
          code: 'VALIDATION_FAILED',
          message: `Invalid request: ${summary}`,
          details: issues,
        },
      });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.status(status).send({
      error: {
        code: error.code || 'INTERNAL',
        message: status >= 500 ? 'Internal server error' : error.message,
      },
    });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: { code: 'NOT_FOUND', message: `No route for ${request.method} ${request.url}` },
    }),
  );
}
