/**
 * A Bastion process killed (SIGKILL: no shutdown, transactions cut off mid-way) in the middle of a
 * burst of withdrawal requests leaves a ledger that `bastion ledger check` passes, and every
 * withdrawal that was answered 201 is there after the restart, with its funds held once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { freePort } from '../../../test/ports.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bastion, sharedEnv } from '../../../test/cli.ts';
import { BTC_ADDRESS, pendingHolds, withdrawer } from '../../../test/custody.ts';
import { createTestApp, dialects } from '../../../test/harness.ts';
import { db } from '../../../test/queries.ts';

const MAIN = new URL('../../main.ts', import.meta.url).pathname;

function startNode(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.setEncoding('utf8');
  return child;
}

async function waitReady(base: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the node did not become ready');
}

describe.each(dialects)('a node killed during a burst of withdrawals on %s', (dialect) => {
  it('leaves a ledger that checks out, and every answered withdrawal is there after the restart', async () => {
    const t = await createTestApp(dialect);
    // The other process keeps real time: the account, its session and its step-up are made now.
    t.clock.set(Date.now());
    const user = await withdrawer(t, { BTC: '1' });
    const cookie = [...user.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    await t.app.close();
    await t.worker.stop();
    await t.smtp.stop();

    const dataDir = mkdtempSync(join(tmpdir(), 'bastion-crash-'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = sharedEnv(t, dataDir, { HOST: '127.0.0.1', PORT: String(port), BASE_URL: base });
    const body = { asset: 'BTC', network: 'bitcoin', amount: '0.001', address: BTC_ADDRESS };
    const headers = { cookie, origin: base, 'content-type': 'application/json', 'user-agent': user.client.userAgent };
    try {
      const node = startNode(env);
      await waitReady(base);
      const answered: string[] = [];
      const sent: string[] = [];
      let killed = false;
      const exited = new Promise((resolve) => node.once('exit', resolve));
      // Five at a time, each with its own Idempotency-Key, until the process is killed after the 12th answer.
      const send = async (n: number) => {
        for (let i = n; i < 200 && !killed; i += 5) {
          try {
            sent.push(`burst-${i}`);
            const response = await fetch(`${base}/api/withdrawals`, { method: 'POST', headers: { ...headers, 'idempotency-key': `burst-${i}` }, body: JSON.stringify(body) });
            const made = (await response.json()) as { id?: string; error?: string };
            expect(response.status, JSON.stringify(made)).toBe(201);
            answered.push(made.id!);
            if (answered.length === 12 && !killed) {
              killed = true;
              node.kill('SIGKILL');
            }
          } catch (error) {
            if (!killed) throw error;
          }
        }
      };
      await Promise.all([0, 1, 2, 3, 4].map(send));
      await exited;
      expect(answered.length).toBeGreaterThanOrEqual(12);

      const check = await bastion(['ledger', 'check'], env);
      expect(check.code, check.stdout + check.stderr).toBe(0);
      expect(check.stdout).toMatch(/^ledger check passed/);

      // Restarted, the node answers for every withdrawal it had answered, each with its funds held once.
      const again = startNode(env);
      try {
        await waitReady(base);
        const rows = await db(t).selectFrom('withdrawals').select(['id', 'hold_id']).where('user_id', '=', user.id).execute();
        expect(rows.map((r) => r.id)).toEqual(expect.arrayContaining(answered));
        const holds = await pendingHolds(t, user.id);
        expect(holds.map((h) => h.id).sort()).toEqual(rows.map((r) => r.hold_id).sort());
        const listed = (await (await fetch(`${base}/api/withdrawals`, { headers })).json()) as { withdrawals: { id: string }[] };
        expect(listed.withdrawals.length).toBe(Math.min(rows.length, 25));
        // Every key sent is retried: an answered one is replayed, one cut off mid-way is still claimed
        // (409 until it is abandoned) or, if it never got that far, made now — and none makes a second withdrawal.
        for (const key of sent) {
          const retry = await fetch(`${base}/api/withdrawals`, { method: 'POST', headers: { ...headers, 'idempotency-key': key }, body: JSON.stringify(body) });
          const answer = (await retry.json()) as { id?: string; error?: string };
          expect([201, 409], JSON.stringify(answer)).toContain(retry.status);
          if (retry.status === 409) expect(answer.error).toBe('idempotency_in_progress');
        }
        const after = await db(t).selectFrom('withdrawals').select(['id', 'idempotency_key']).where('user_id', '=', user.id).execute();
        expect(new Set(after.map((r) => r.idempotency_key)).size).toBe(after.length);
        expect(after.length).toBeLessThanOrEqual(sent.length);
        for (const id of answered) expect(after.map((r) => r.id)).toContain(id);
        const recheck = await bastion(['ledger', 'check'], env);
        expect(recheck.code, recheck.stdout).toBe(0);
      } finally {
        again.kill('SIGTERM');
        await new Promise((resolve) => again.once('exit', resolve));
      }
    } finally {
      await t.deps.throttle.close();
      await t.db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
