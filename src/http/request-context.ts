/** The client of a request, as every rule receives it (never the request object itself). */
import type { FastifyRequest } from 'fastify';
import { validIp, type ClientInfo } from '../client/client-info.ts';

/**
 * The IP is Fastify's (the right-most X-Forwarded-For hop that is not a trusted proxy) when it is a
 * valid address; anything else in that header (text, a script) falls back to the connection's peer.
 */
export function clientOf(request: FastifyRequest): ClientInfo {
  const ip = validIp(request.ip) ?? validIp(request.socket.remoteAddress) ?? '0.0.0.0';
  return { ip, userAgent: (request.headers['user-agent'] ?? '').slice(0, 512) };
}
