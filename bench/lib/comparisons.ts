/** The comparisons, each a child process: better-auth (behind node:http, its own SQLite) and a bare Fastify route. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR, freePort, HOST, startChild, track, type Child } from './children.ts';
import { Client, expectStatus } from './http.ts';
import { PASSWORD } from './bastion.ts';

export const BETTER_AUTH_COOKIE = 'better-auth.session_token';

export interface BetterAuthNode {
  child: Child;
  url: string;
  stop(): Promise<void>;
}

export async function startBetterAuth(): Promise<BetterAuthNode> {
  const dir = mkdtempSync(join(tmpdir(), 'better-auth-bench-'));
  const port = await freePort();
  const child = track(
    await startChild({
      name: 'better-auth',
      args: ['--import', 'tsx', join(BENCH_DIR, 'servers/better-auth.ts')],
      env: { NODE_ENV: 'production', HOST, PORT: String(port), DATABASE_FILE: join(dir, 'better-auth.db'), BETTER_AUTH_SECRET: randomBytes(24).toString('hex') },
      port,
      readyPath: '/healthz',
    }),
  );
  return {
    child,
    url: child.url,
    stop: async () => {
      await child.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Signs up through better-auth's API (it signs in at once): the account and its session cookie. */
export async function betterAuthAccount(node: BetterAuthNode, index: number, prefix: string): Promise<{ email: string; cookie: string }> {
  const email = `${prefix}-${index}@bench.example.com`;
  const client = new Client(node.url);
  expectStatus(await client.post('/api/auth/sign-up/email', { email, password: PASSWORD, name: `Bench ${index}` }), 200, 'better-auth sign-up');
  const cookie = client.jar.header([BETTER_AUTH_COOKIE]);
  if (!cookie) throw new Error('better-auth set no session cookie');
  return { email, cookie };
}

export async function startBareFastify(): Promise<Child> {
  const port = await freePort();
  return track(await startChild({ name: 'bare Fastify', args: ['--import', 'tsx', join(BENCH_DIR, 'servers/bare-fastify.ts')], env: { HOST, PORT: String(port) }, port, readyPath: '/healthz' }));
}
