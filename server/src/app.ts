import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { AppContext } from './context.js';
import { registerAuthentication } from './http/authenticate.js';
import { registerErrorHandler } from './http/error-handler.js';
import { registerWebApp } from './http/web-app.js';
import { albumsRoutes } from './modules/albums/albums.routes.js';
import { assetsRoutes } from './modules/assets/assets.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { jobsRoutes } from './modules/jobs/jobs.routes.js';
import { sharesPublicRoutes } from './modules/shares/shares.public.routes.js';
import { takeoutRoutes } from './modules/takeout/takeout.routes.js';
import { exportRoutes } from './modules/export/export.routes.js';
import { sharesRoutes } from './modules/shares/shares.routes.js';
import { timelineRoutes } from './modules/timeline/timeline.routes.js';
import { uploadsRoutes } from './modules/uploads/uploads.routes.js';
import { usersRoutes } from './modules/users/users.routes.js';
import { privacyRoutes } from './modules/privacy/privacy.routes.js';
import { erasureRoutes } from './modules/erasure/erasure.routes.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { registerRequestMetrics } from './http/metrics.js';

export const apiVersion = '0.1.0';

/** Builds the HTTP app from the modules' routes. Logging goes to `logger` (false in tests). */
export async function buildApp(
  ctx: AppContext,
  logger: boolean | object = false,
): Promise<FastifyInstance> {
  // Behind a reverse proxy (PIXELUNION_TRUSTED_PROXIES), its X-Forwarded-For/-Proto give the
  // client's address and https; from anyone else those headers are ignored.
  const { trustedProxies } = ctx.config;
  const trustProxy = trustedProxies.length > 0 ? [...trustedProxies] : false;
  const app = Fastify({ logger, trustProxy, bodyLimit: 5 * 1024 * 1024 });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  // Plain HTML forms (a download started by the web app); the session cookie is SameSite=Lax,
  // so another site's form never carries it.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 1024 * 1024 },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, {
    limits: { fileSize: ctx.config.maxUploadBytes + 1, files: 1, fields: 20, fieldSize: 64 * 1024 },
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'PixelUnion API',
        version: apiVersion,
        description:
          'Photo library API. Authenticate with a Bearer session token, the session cookie, or x-api-key.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  registerAuthentication(app, ctx.auth);

  registerRequestMetrics(app, ctx.config);

  const api = app.withTypeProvider<ZodTypeProvider>();
  healthRoutes(api, ctx);
  api.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());
  authRoutes(api, ctx);
  usersRoutes(api, ctx);
  albumsRoutes(api, ctx);
  assetsRoutes(api, ctx);
  timelineRoutes(api, ctx);
  jobsRoutes(api, ctx);
  await uploadsRoutes(api, ctx);
  sharesRoutes(api, ctx);
  takeoutRoutes(api, ctx);
  exportRoutes(api, ctx);
  privacyRoutes(api, ctx);
  erasureRoutes(api, ctx);
  await sharesPublicRoutes(api, ctx);
  await registerWebApp(app);
  await app.ready();
  return app;
}
