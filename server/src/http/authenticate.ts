import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../errors.js';
import type { Actor } from '../access/access.service.js';
import type { AuthService } from '../modules/auth/auth.service.js';

export const sessionCookie = 'pixelunion_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

/** The credential a request carries: bearer token, session cookie, or API key, in that order. */
function credentialOf(
  request: FastifyRequest,
): { kind: 'session' | 'apiKey'; secret: string } | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return { kind: 'session', secret: header.slice(7).trim() };
  const cookie = request.cookies[sessionCookie];
  if (cookie) return { kind: 'session', secret: cookie };
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey !== '') return { kind: 'apiKey', secret: apiKey };
  return null;
}

export function sessionTokenOf(request: FastifyRequest): string | null {
  const credential = credentialOf(request);
  return credential?.kind === 'session' ? credential.secret : null;
}

export function registerAuthentication(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    const credential = credentialOf(request);
    if (!credential) return;
    request.actor =
      credential.kind === 'session'
        ? await auth.actorFromSession(credential.secret)
        : await auth.actorFromApiKey(credential.secret);
  });
}

/** The signed-in actor, or a 401 naming what is missing. */
export function actorOf(request: FastifyRequest): Actor {
  if (request.actor) return request.actor;
  const message = credentialOf(request)
    ? 'The session or API key is invalid or has expired'
    : 'Sign in first: send a Bearer token, the session cookie, or an x-api-key header';
  throw new DomainError('UNAUTHENTICATED', message);
}
