/** The client of a request, as every rule receives it (never the request object itself). */
import type { FastifyRequest } from 'fastify';
import type { ClientInfo } from '../client/client-info.ts';

export function clientOf(request: FastifyRequest): ClientInfo {
  return { ip: request.ip, userAgent: (request.headers['user-agent'] ?? '').slice(0, 512) };
}
