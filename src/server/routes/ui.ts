// The built web UI: static assets, index.html for the client-side routes, and the JSON 404 for everything else.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../errors.js';

export async function registerUi(app: FastifyInstance, webRoot: string | null): Promise<void> {
  const hasUi = webRoot !== null && existsSync(join(webRoot, 'index.html'));
  if (hasUi) {
    await app.register(fastifyStatic, {
      root: webRoot,
      prefix: '/',
      wildcard: false,
      index: 'index.html',
    });
  }
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    if (req.method !== 'GET' || path.startsWith('/api/') || path === '/api' || !hasUi) {
      if (!hasUi && req.method === 'GET' && path === '/') {
        void reply
          .type('text/html')
          .send(
            '<h1>stockops</h1><p>The web UI is not built. Run <code>npm run build:web</code>. The API is at <a href="/docs">/docs</a>.</p>',
          );
        return;
      }
      notFound(req, reply, path);
      return;
    }
    // Client-side routes of the single-page UI all load index.html.
    void reply.sendFile('index.html');
  });
}
