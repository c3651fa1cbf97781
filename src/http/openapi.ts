/**
 * The OpenAPI document, generated from the same zod schemas that validate requests:
 * /api/openapi.json, with a browsable page at /api/docs (API_DOCS: off in production unless asked for).
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

export async function registerOpenApi(app: FastifyInstance, info: { title: string; baseUrl: string; docsPage: boolean }): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: `${info.title} API`,
        version: '1.0.0',
        description:
          'Account access for a crypto platform. Errors are always `{"error": "<code>", "message": "<text>"}` with an HTTP status. ' +
          'State-changing requests that carry a session cookie must come from a trusted Origin.',
      },
      servers: [{ url: info.baseUrl }],
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'bastion_session' } },
      },
    },
    transform: jsonSchemaTransform,
  });
  if (info.docsPage) {
    await app.register(swaggerUi, {
      routePrefix: '/api/docs',
      staticCSP: true,
      uiConfig: { docExpansion: 'list', deepLinking: false },
    });
  }
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
