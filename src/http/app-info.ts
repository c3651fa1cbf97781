/** GET /api/app-info: what the web app needs to know about this installation (no secrets). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

export async function appInfoRoutes(app: FastifyInstance, info: { name: string; devInbox: boolean; walletRpcOrigins: string[]; passkeys: boolean; freezeCooldownMs: number; withdrawalHoldMs: number }): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/app-info',
    {
      schema: {
        tags: ['Installation'],
        summary: 'Public facts about this installation',
        response: { 200: z.object({
            name: z.string(),
            devInbox: z.string().nullable(),
            walletRpcOrigins: z.array(z.string()),
            passkeys: z.boolean(),
            freezeCooldownMs: z.number().int().describe('FREEZE_COOLDOWN: how long an account locked by its owner stays locked'),
            withdrawalHoldMs: z.number().int().describe('WITHDRAWAL_HOLD: how long withdrawals wait after a security change'),
          }) },
      },
    },
    async () => ({ name: info.name, devInbox: info.devInbox ? '/dev/mail' : null, walletRpcOrigins: info.walletRpcOrigins,
      passkeys: info.passkeys,
      freezeCooldownMs: info.freezeCooldownMs,
      withdrawalHoldMs: info.withdrawalHoldMs,
    }),
  );
}
