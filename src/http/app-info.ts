/** GET /api/app-info: what the web app needs to know about this installation (no secrets). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { appInfo, type AppInfo } from '../contracts/app-info.ts';

export async function appInfoRoutes(app: FastifyInstance, info: Omit<AppInfo, 'devInbox'> & { devInbox: boolean }): Promise<void> {
  const answer: AppInfo = { ...info, devInbox: info.devInbox ? '/dev/mail' : null };
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/app-info',
    { schema: { tags: ['Installation'], summary: 'Public facts about this installation', response: { 200: appInfo } } },
    async () => answer,
  );
}
