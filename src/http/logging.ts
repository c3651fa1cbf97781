/**
 * Structured logs (pino): one line per request, and secrets never written. Redaction covers
 * credentials wherever they appear in logged objects, and query strings are scrubbed of
 * tokens and codes before a URL is logged.
 */
import { clientOf } from './request-context.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import pino, { type Logger, type LoggerOptions } from 'pino';

const SECRET_KEYS = ['password', 'newPassword', 'currentPassword', 'token', 'code', 'secret', 'otp', 'cookie', 'authorization', 'sessionToken', 'phrase', 'passcode'];

export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'headers.authorization',
];

/** Secrets (OpenID Connect tokens and hints too), and a staff search (an email or an identity-document number: personal data). */
const SECRET_QUERY = /([?&](?:token|code|secret|password|otp|query|id_token_hint|login_hint|code_verifier|client_secret|refresh_token|access_token|logout_token)=)[^&#]*/gi;

/** The path and query of a URL with secret parameters replaced. */
export function scrubUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[REDACTED]');
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    base: { service: 'bastion' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}

/** The single access-log line written when a response completes. */
export function logRequest(request: FastifyRequest, reply: FastifyReply): void {
  // Below LOG_LEVEL=info the line is never written: nothing of it is worked out either.
  if (!(request.log as Logger).isLevelEnabled('info')) return;
  request.log.info(
    {
      method: request.method,
      url: scrubUrl(request.url),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
      // The client's validated address and a bounded user agent: both are the client's own text otherwise.
      ip: clientOf(request).ip,
      ua: clientOf(request).userAgent.slice(0, 200),
    },
    'request',
  );
}
