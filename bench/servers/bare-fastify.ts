/**
 * The ceiling: a bare Fastify route (the same Fastify as Bastion's, no plugins, no logger, no
 * database) answering GET /api/me with a constant body of the size and shape of Bastion's.
 */
import Fastify from 'fastify';

const body = {
  user: { id: '00000000-0000-4000-8000-000000000000', email: 'someone@example.com', emailVerified: true, createdAt: '2026-01-01T00:00:00.000Z' },
  security: {
    emailVerified: true,
    twoFactor: { enabled: true, methods: ['totp', 'email_code', 'backup_code'], backupCodesRemaining: 10 },
    antiPhishingCodeSet: false,
    kycLevel: 0,
    kycStatus: 'none',
    passwordChangedAt: null,
    passkeys: { count: 0 },
  },
  staffRole: null,
  session: { id: '00000000-0000-4000-8000-000000000001', restricted: false, authMethod: 'totp', stepUpFresh: true, expiresAt: '2026-01-01T01:00:00.000Z' },
  terms: { acceptedVersion: '1', acceptedAt: '2026-01-01T00:00:00.000Z', currentVersion: '1', url: 'http://127.0.0.1/terms', mustAccept: false },
};

const app = Fastify({ logger: false });
app.get('/api/me', async () => body);
app.get('/healthz', async () => ({ status: 'ok' }));
await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
