import type { FastifyRequest } from 'fastify';

/** Who is asking: the client IP (from X-Forwarded-For only when TRUST_PROXY says so) and user agent. */
export interface ClientInfo {
  ip: string;
  userAgent: string;
}

export function clientOf(request: FastifyRequest): ClientInfo {
  return { ip: request.ip, userAgent: (request.headers['user-agent'] ?? '').slice(0, 512) };
}
