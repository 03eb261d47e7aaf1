// The dashboard (web/, built by `npm run build` into web/dist) served beside the API: its
// files, and index.html for every other page address so that links into the app
// (/agencies/12?year=2023) load it. Scripts come only from this origin: scraped text shown
// by the app can never run as code even if a bug let it into the page as HTML.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const DIST = join(import.meta.dirname, '..', 'web', 'dist');

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // ECharts and Svelte set element styles
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

function secure(set: (name: string, value: string) => unknown): void {
  set('content-security-policy', CSP);
  set('x-content-type-options', 'nosniff');
  set('referrer-policy', 'same-origin');
}

export async function dashboard(app: FastifyInstance): Promise<void> {
  if (!existsSync(DIST)) return;
  await app.register(fastifyStatic, {
    root: DIST,
    index: ['index.html'],
    setHeaders: (res, path) => {
      secure((k, v) => res.header(k, v));
      // file names under assets/ carry their content hash
      res.header('cache-control', path.startsWith(join(DIST, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}

/** A page of the app asked for by its address: index.html, which routes it in the browser. */
export function isAppPage(req: FastifyRequest): boolean {
  const path = req.url.split('?')[0]!;
  return req.method === 'GET' && !path.startsWith('/api/') && !path.startsWith('/docs') && !/\.[a-z0-9]+$/i.test(path) && existsSync(DIST);
}

export function sendApp(reply: FastifyReply): FastifyReply {
  secure((k, v) => reply.header(k, v));
  return reply.header('cache-control', 'no-cache').sendFile('index.html');
}
