import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { FeatureRoutes } from './http/route-context.ts';
import { loadConfig } from './config.ts';
import { bySystem } from './audit/audit.ts';
import { auditKeys } from './audit/chain-keys.ts';
import { verifyChain } from './audit/verify.ts';
import { inTransaction, openStore } from './store/database.ts';
import { createMailWorker } from './mail/worker.ts';
import { startServer, sweepOnce } from './server.ts';
import { createTestApp } from '../test/harness.ts';

const silent = pino({ level: 'silent' });

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

function httpsGet(url: string): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { rejectUnauthorized: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a whole node', () => {
  it('starts with no configuration but a data folder: SQLite created and migrated, secrets 0600, dev inbox', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bastion-node-'));
    const port = await freePort();
    const config = loadConfig({ DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1' }, { loadDotEnv: false });
    const server = await startServer(config, silent);
    try {
      expect(server.url).toBe(`http://localhost:${port}`);
      expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ status: 'ok' });
      expect(await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()).toEqual({ status: 'ready' });
      expect(existsSync(join(dir, 'bastion.db'))).toBe(true);
      expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
      await inTransaction(server.deps.store.db, (tx) => server.deps.mail.send(tx, 'login_code', 'dev@example.com', { code: '246810', minutes: 10 }));
      await server.worker.drain();
      const inbox = (await (await fetch(`http://127.0.0.1:${port}/dev/mail.json`)).json()) as { to: string; subject: string }[];
      expect(inbox[0]).toMatchObject({ to: 'dev@example.com', subject: 'Bastion: Your sign-in code' });
      const page = await fetch(`http://127.0.0.1:${port}/dev/mail`);
      expect(await page.text()).toContain('Your sign-in code');
    } finally {
      await server.stop();
    }
  });

  it('seals audit events into the chain within about a second on its own, logging a signed checkpoint, and seals the rest as it stops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bastion-node-'));
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const config = loadConfig({ DATA_DIR: dir, PORT: String(await freePort()), HOST: '127.0.0.1' }, { loadDotEnv: false });
    const server = await startServer(config, log);
    const chained = async () => (await server.deps.store.db.selectFrom('audit_chain').select('seq').execute()).length;
    try {
      await inTransaction(server.deps.store.db, (tx) => server.deps.audit.record(tx, { type: 'node.test', ...bySystem(null) }));
      const started = Date.now();
      while ((await chained()) === 0 && Date.now() - started < 5000) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await chained()).toBe(1);
      const checkpoints = lines.map((l) => JSON.parse(l) as { auditCheckpoint?: string }).filter((l) => l.auditCheckpoint);
      expect(checkpoints[0]?.auditCheckpoint).toMatch(/^bcp2\.1\./);
      await inTransaction(server.deps.store.db, (tx) => server.deps.audit.record(tx, { type: 'node.last', ...bySystem(null) }));
    } finally {
      await server.stop();
    }
    const store = openStore(config.databaseUrl);
    try {
      expect(await verifyChain(store.db, auditKeys(config.auditKey))).toEqual({ intact: true, rows: 2, pending: 0 });
    } finally {
      await store.close();
    }
  });

  it('serves the metrics on a port of their own with METRICS_PORT, and nothing else there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bastion-node-'));
    const metricsPort = await freePort();
    const config = loadConfig({ DATA_DIR: dir, PORT: String(await freePort()), HOST: '127.0.0.1', METRICS_PORT: String(metricsPort) }, { loadDotEnv: false });
    const server = await startServer(config, silent);
    try {
      await fetch(`http://127.0.0.1:${new URL(server.url).port}/healthz`);
      const answer = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(answer.status).toBe(200);
      const text = await answer.text();
      expect(text).toContain('bastion_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"} 1');
      expect(text).toContain('nodejs_eventloop_lag_seconds');
      expect((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status).toBe(404);
      // Without a token, the main port serves no metrics.
      expect(await (await fetch(`http://127.0.0.1:${new URL(server.url).port}/metrics`)).text()).not.toContain('# HELP');
    } finally {
      await server.stop();
    }
  });

  it('a maintenance sweep logs one line with its start, its end and what it removed (on SQLite there is no other node to wait for)', async () => {
    const lines: string[] = [];
    const t = await createTestApp('sqlite', { logStream: { write: (line: string) => void lines.push(line) } });
    try {
      expect(await sweepOnce(t.deps)).toBe(true);
      const logged = lines.map((l) => JSON.parse(l) as { msg: string; sweep?: unknown }).filter((l) => l.msg === 'maintenance sweep done');
      const now = t.clock.now();
      expect(logged.map((l) => l.sweep)).toEqual([{ startedAt: now, endedAt: now, activity: 0, tokens: 0, idempotencyAnswers: 0, kycErased: 0, oidcRecords: 0, appSessionsLapsed: 0 }]);
    } finally {
      await t.close();
    }
  });

  it('serves HTTPS with TLS=self-signed, with HSTS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bastion-tls-'));
    const port = await freePort();
    const config = loadConfig({ DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', TLS: 'self-signed' }, { loadDotEnv: false });
    expect(config.baseUrl).toBe(`https://localhost:${port}`);
    const server = await startServer(config, silent);
    try {
      const res = await httpsGet(`https://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
      expect(String(res.headers['strict-transport-security'])).toContain('max-age=31536000');
      expect(existsSync(join(dir, 'tls', 'self-signed-cert.pem'))).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it('shuts down gracefully: requests in flight finish, and the worker finishes the message it is sending', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    const slow: FeatureRoutes = async (app) => {
      app.get('/api/slow', async () => {
        entered();
        await held;
        return { done: true };
      });
    };
    const t = await createTestApp('sqlite', { extraRoutes: [slow] });
    try {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const address = t.app.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const pending = fetch(`http://127.0.0.1:${port}/api/slow`).then((r) => r.json());
      await inHandler;
      const closing = t.app.close();
      release();
      expect(await pending).toEqual({ done: true });
      await closing;

      let deliverStarted!: () => void;
      const delivering = new Promise<void>((resolve) => (deliverStarted = resolve));
      let finishDelivery!: () => void;
      const delivered: string[] = [];
      const worker = createMailWorker({
        db: t.deps.store.db,
        clock: t.clock,
        keyring: t.deps.keyring,
        from: 'x@localhost',
        log: silent,
        transport: {
          description: 'slow',
          close: () => undefined,
          deliver: async (m) => {
            deliverStarted();
            await new Promise<void>((resolve) => (finishDelivery = resolve));
            delivered.push(m.to);
          },
        },
      });
      await inTransaction(t.deps.store.db, (tx) => t.deps.mail.send(tx, 'login_code', 'slow@example.com', { code: '1', minutes: 1 }));
      worker.start(10);
      await delivering;
      let stopped = false;
      const stopping = worker.stop().then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(stopped).toBe(false);
      finishDelivery();
      await stopping;
      expect(delivered).toEqual(['slow@example.com']);
      const row = await t.deps.store.db.selectFrom('outbox').select('status').executeTakeFirstOrThrow();
      expect(row.status).toBe('sent');
    } finally {
      await t.close();
    }
  });
});
