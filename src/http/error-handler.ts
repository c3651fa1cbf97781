/**
 * The one place errors become HTTP answers: `{"error": code, "message": text}` with the right status.
 * Bad input (malformed JSON, too large, unknown or missing fields, wrong types) is a 4xx naming the
 * field; anything unexpected is logged and answered as a generic 500 without a stack trace.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, errorPayload, type ErrorCode } from '../errors/app-error.ts';
import type { PageFallback } from './web-app.ts';

interface ValidationItem {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

/** "email: Invalid email address" — the first problem, with the field it concerns. */
export function describeValidation(items: ValidationItem[], context: string | undefined): string {
  const first = items[0];
  if (!first) return 'The request is invalid.';
  const path = (first.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  // fastify-type-provider-zod puts the zod issue code in `keyword` and its other fields in `params`.
  const params = (first.params ?? {}) as { keys?: string[]; expected?: string; input?: unknown };
  if (first.keyword === 'unrecognized_keys' && params.keys?.length) {
    const where = path ? `${path}.` : '';
    return `Unknown field${params.keys.length > 1 ? 's' : ''}: ${params.keys.map((k) => where + k).join(', ')}.`;
  }
  if (first.keyword === 'invalid_type' && path && /received undefined/.test(first.message ?? '')) return `${path}: is required.`;
  const where = path || (context === 'body' ? 'body' : context ?? 'request');
  return `${where}: ${first.message ?? 'is invalid'}.`.replace(/\.\.$/, '.');
}

const FASTIFY_CODES: Record<string, [number, ErrorCode, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large', 'The request body is too large.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'Send the request body as application/json.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid_json', 'The request body is empty; send a JSON object.'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json', 'The request body is not valid JSON.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_request', 'The Content-Length header does not match the body.'],
};

export function registerErrorHandler(app: FastifyInstance, pageFallback?: PageFallback): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    if (error instanceof AppError) {
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      return reply.status(error.status).send({ ...errorPayload(error.code, error.message), ...error.details });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const message = describeValidation(error.validation, (error as FastifyError).validationContext);
      return reply.status(400).send(errorPayload('invalid_request', message));
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.validation) {
      return reply.status(400).send(errorPayload('invalid_request', describeValidation(fastifyError.validation, fastifyError.validationContext)));
    }
    const known = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
    if (known) return reply.status(known[0]).send(errorPayload(known[1], known[2]));
    if (error instanceof SyntaxError || (fastifyError.statusCode === 400 && /JSON/i.test(error.message))) {
      return reply.status(400).send(errorPayload('invalid_json', 'The request body is not valid JSON.'));
    }
    if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      return reply.status(fastifyError.statusCode).send(errorPayload('invalid_request', 'The request could not be understood.'));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(errorPayload('internal_error', 'Something went wrong on our side. Please try again.'));
  });

  app.setNotFoundHandler((request, reply) => {
    if (pageFallback?.(request, reply)) return reply;
    return reply.status(404).send(errorPayload('not_found', `No route for ${request.method} ${request.url.split('?')[0]}.`));
  });
}
