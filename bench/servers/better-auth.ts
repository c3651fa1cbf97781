/**
 * better-auth (the comparison) behind node:http: email and password on its own SQLite file
 * (better-sqlite3 with Bastion's pragmas), argon2id with Bastion's parameters through its custom
 * password hash option, rate limiting off (Bastion's GET /api/me has none either; its sign-in
 * limits are per address and per IP, which the bench spreads over many), nothing cached.
 */
import { createServer } from 'node:http';
import { hash, verify } from '@node-rs/argon2';
import Database from 'better-sqlite3';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { toNodeHandler } from 'better-auth/node';

const ARGON2ID = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 0);
const file = process.env.DATABASE_FILE;
const secret = process.env.BETTER_AUTH_SECRET;
if (!file || !secret) throw new Error('DATABASE_FILE and BETTER_AUTH_SECRET must be set');

const database = new Database(file);
database.pragma('journal_mode = WAL');
database.pragma('busy_timeout = 5000');
database.pragma('foreign_keys = ON');
database.pragma('synchronous = NORMAL');

const baseURL = `http://${host}:${port}`;
const auth = betterAuth({
  baseURL,
  secret,
  database,
  trustedOrigins: [baseURL],
  rateLimit: { enabled: false },
  logger: { disabled: true },
  telemetry: { enabled: false },
  emailAndPassword: {
    enabled: true,
    password: {
      hash: (password) => hash(password, ARGON2ID),
      verify: async ({ hash: stored, password }) => {
        try {
          return await verify(stored, password);
        } catch {
          return false;
        }
      },
    },
  },
});

const { runMigrations } = await getMigrations(auth.options);
await runMigrations();

const handler = toNodeHandler(auth);
const server = createServer((request, response) => {
  if (request.url === '/healthz') {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  void handler(request, response);
});
server.listen(port, host);
process.once('SIGTERM', () => server.close(() => process.exit(0)));
