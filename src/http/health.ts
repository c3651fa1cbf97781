/** /healthz: the process is up. /readyz: the database answers and its schema is current. */
import { errorPayload } from '../errors/app-error.ts';
import type { FastifyInstance } from 'fastify';
import { ping, type Store } from '../store/database.ts';
import { pendingMigrations } from '../store/migrate.ts';

export async function healthRoutes(app: FastifyInstance, store: Store): Promise<void> {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (request, reply) => {
    try {
      await ping(store.db);
      const pending = await pendingMigrations(store);
      if (pending.length > 0) {
        return reply.status(503).send(errorPayload('not_ready', `Migrations pending: ${pending.join(', ')}.`));
      }
      return { status: 'ready' };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      return reply.status(503).send(errorPayload('not_ready', 'The database is not reachable.'));
    }
  });
}
