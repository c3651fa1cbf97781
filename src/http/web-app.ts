/**
 * Serves the built web app (dist/web, made by `npm run build:web`) from the same origin as the API.
 * Hashed assets are cached for a year; index.html is served for every other page path (the app
 * routes in the browser), never for /api/ or /dev/ paths, and never stored by a cache: a page's
 * address may hold a single-use token (confirm-withdrawal?token=…).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

export type PageFallback = (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined;

/** Registers the static files; returns the fallback for page paths, or undefined without a build. */
export async function registerWebApp(app: FastifyInstance, root = WEB_ROOT): Promise<PageFallback | undefined> {
  if (!existsSync(`${root}index.html`)) {
    app.log.warn(`the web app is not built (${root}index.html missing): run npm run build:web`);
    return undefined;
  }
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    index: false,
    // Our own Cache-Control below, never @fastify/static's "public, max-age=0".
    cacheControl: false,
    setHeaders: (res, path) => {
      res.setHeader('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : path.endsWith('.html') ? 'no-store' : 'no-cache');
    },
  });
  return (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const wantsPage = request.method === 'GET' && !/^\/(api|dev)(\/|$)/.test(path) && !/\.[a-z0-9]+$/i.test(path);
    if (!wantsPage) return undefined;
    return reply.header('cache-control', 'no-store').sendFile('index.html');
  };
}
