/**
 * GET /metrics (Prometheus text format), served only when asked for: on the main port behind
 * `Authorization: Bearer METRICS_TOKEN` (compared in constant time), and/or on a listener of its
 * own (METRICS_PORT), for a network only the scraper reaches.
 */
import { createServer, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { safeEqual } from '../crypto/tokens.ts';
import type { Deps } from '../deps.ts';
import { errorPayload } from '../errors/app-error.ts';

export function metricsRoute(app: FastifyInstance, deps: Deps): void {
  const token = deps.config.metrics.token;
  if (token === undefined) return;
  const { registry } = deps.metrics;
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!safeEqual(request.headers.authorization ?? '', `Bearer ${token}`)) {
      return reply.status(401).header('www-authenticate', 'Bearer').send(errorPayload('metrics_token_required', 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.'));
    }
    return reply.header('content-type', registry.contentType).send(await registry.metrics());
  });
}

/** The metrics on a port of their own: GET /metrics, nothing else. */
export async function startMetricsListener(registry: Registry, host: string, port: number): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/metrics') {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify(errorPayload('not_found', 'Only GET /metrics is served here.')));
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify(errorPayload('internal_error', 'The metrics could not be collected.'))),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
