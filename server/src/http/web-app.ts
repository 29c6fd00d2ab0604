import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const webDistDir = path.resolve(import.meta.dirname, '../../../web/dist');

const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PixelUnion</title></head>
<body><h1>PixelUnion</h1><p>The web app is not built yet. Run <code>npm run build</code>
(or <code>npm start</code>, which builds it first) and reload this page.</p></body></html>
`;

/**
 * Serves the built web app (web/dist): hashed files under /assets/ are cached for good,
 * everything else is revalidated, and any other GET outside /api/ answers index.html so that
 * the app's own routes (/favorites, /albums/…) survive a reload.
 */
export async function registerWebApp(app: FastifyInstance, root = webDistDir): Promise<void> {
  const indexPath = path.join(root, 'index.html');
  const built = fs.existsSync(indexPath);
  if (built) {
    // wildcard: false registers one route per built file, so the catch-all below can answer
    // every other path without a second not-found handler.
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      index: false,
      cacheControl: false,
      setHeaders(res, filePath) {
        const immutable = filePath.startsWith(path.join(root, 'assets') + path.sep);
        res.setHeader(
          'cache-control',
          immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }

  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    if (pathname === '/api' || pathname.startsWith('/api/')) {
      return reply.status(404).send({
        error: { code: 'NOT_FOUND', message: `No route for ${request.method} ${request.url}` },
      });
    }
    // A missing file (an old hashed chunk after an upgrade, a favicon) is a 404, not the app.
    if (pathname.startsWith('/assets/') || /\.[a-z0-9]+$/i.test(pathname)) {
      return reply.status(404).type('text/plain; charset=utf-8').send('Not found');
    }
    if (!built) {
      return reply.status(200).type('text/html; charset=utf-8').send(notBuiltPage);
    }
    const html = await fs.promises.readFile(indexPath);
    // A share link's page: its address (the key) must never leave in a Referer header.
    if (pathname.startsWith('/s/')) void reply.header('referrer-policy', 'no-referrer');
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
  });
}
