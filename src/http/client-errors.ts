/**
 * Answers given before a request reaches a route: the socket's own errors (headers too large 431,
 * a request that did not arrive whole in REQUEST_TIMEOUT 408, bytes that are not HTTP 400) and the
 * router's (a URL that does not decode). Each in the one `{error, message}` shape, with the
 * security headers every answer carries; nothing of the request is echoed back.
 */
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorPayload, type ErrorCode } from '../errors/app-error.ts';

/** What every early answer carries (the routed answers get helmet's fuller set). */
export const EARLY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const SOCKET_ERRORS: Record<string, [number, string, ErrorCode, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'request_timeout', 'The request did not arrive in time.'],
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'headers_too_large', 'The request headers are too large.'],
  HPE_URI_TOO_LONG: [414, 'URI Too Long', 'uri_too_long', 'The URL is too long.'],
};

/** Fastify's `clientErrorHandler`: the raw answer is written on the socket, then it is closed. */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // A response already on its way on this connection (keep-alive): writing ours would land inside its body.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, reason, code, message] = SOCKET_ERRORS[error.code ?? ''] ?? [400, 'Bad Request', 'invalid_request' as const, 'The request is not valid HTTP.'];
  const body = JSON.stringify(errorPayload(code, message));
  const headers = { ...EARLY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), connection: 'close' };
  if (socket.writable) socket.write(`HTTP/1.1 ${status} ${reason}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${body}`);
  socket.destroy();
}

/** Fastify's `frameworkErrors`: the router refused the URL (it does not decode, or a parameter is too long). */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const badUrl = error.code === 'FST_ERR_BAD_URL';
  void reply
    .headers(EARLY_HEADERS)
    .status(tooLong ? 414 : 400)
    .send(tooLong ? errorPayload('uri_too_long', 'A part of the URL is too long.') : errorPayload('invalid_request', badUrl ? 'The URL is not valid: it has a malformed %-escape.' : 'The request could not be routed.'));
}
