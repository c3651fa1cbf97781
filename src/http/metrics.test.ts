/** GET /metrics: off unless asked for, behind its token, and counting what an operator alerts on. */
import { describe, expect, it } from 'vitest';
import { enrolledUser, signIn } from '../../test/accounts.ts';
import { dialects, testApps } from '../../test/harness.ts';
import { inTransaction } from '../store/database.ts';
import { bySystem } from '../audit/audit.ts';

const TOKEN = 'metrics-token-of-at-least-32-characters-0000';

/** The value of one series in the text format, or undefined when it is not there. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each(dialects)('metrics on %s', (dialect) => {
  const app = testApps(dialect);

  it('is not served unless METRICS_TOKEN (or METRICS_PORT) is set', async () => {
    const t = await app();
    // The path falls through to the web app's pages: no metric in sight.
    const answer = await t.client().get('/metrics', { authorization: `Bearer ${TOKEN}` });
    expect(answer.raw.body).not.toContain('# HELP');
  });

  it('needs the bearer token, then counts requests by route, sign-ins by result and method, lockouts, the outbox and the audit seal lag', async () => {
    const t = await app({ METRICS_TOKEN: TOKEN });
    const scrape = async () => {
      const answer = await t.client().get('/metrics', { authorization: `Bearer ${TOKEN}` });
      expect(answer.status).toBe(200);
      expect(String(answer.headers['content-type'])).toContain('text/plain');
      return answer.raw.body;
    };
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${TOKEN}x`, TOKEN]) {
      const refused = await t.client().get('/metrics', authorization ? { authorization } : {});
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ error: 'metrics_token_required' });
    }

    const user = await enrolledUser(t);
    const success = 'bastion_sign_in_attempts_total{purpose="sign_in",result="success",method="totp"}';
    const first = await scrape();
    const before = valueOf(first, success) ?? 0;
    const hashes = (text: string, op: string) => valueOf(text, `bastion_password_hashes_total{op="${op}"}`) ?? 0;
    await signIn(t, user);
    for (let i = 0; i < 5; i++) await t.client().post('/api/auth/login', { email: user.email, password: 'wrong password 1234' });
    await t.client().post('/api/auth/login', { email: 'nobody@example.com', password: 'wrong password 1234' });
    await t.worker.drain();
    const text = await scrape();
    expect(valueOf(text, success)).toBe(before + 1);
    expect(valueOf(text, 'bastion_sign_in_attempts_total{purpose="sign_in",result="wrong_password",method="password"}')).toBeGreaterThanOrEqual(5);
    expect(valueOf(text, 'bastion_lockouts_total{lock="login",hard="false"}')).toBe(1);
    // What the attempts cost: one hash for the right password, one for each wrong one, a stand-in for the unknown address.
    expect(hashes(text, 'verify') - hashes(first, 'verify')).toBe(6);
    expect(hashes(text, 'dummy') - hashes(first, 'dummy')).toBe(1);
    expect(hashes(text, 'hash') - hashes(first, 'hash')).toBe(0);
    expect(text).toMatch(/bastion_http_request_duration_seconds_count\{method="POST",route="\/api\/auth\/login",status="401"\} \d+/);
    expect(text).toContain('bastion_outbox_pending 0');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    // No raw paths or addresses in the series: nothing personal, and no explosion of series.
    expect(text).not.toContain(user.email);
    expect(text).not.toContain('nobody@example.com');

    // An event waiting a minute to be sealed shows as lag; sealed, none.
    await t.deps.audit.seal();
    await inTransaction(t.deps.store.db, (tx) => t.deps.audit.record(tx, { type: 'metrics.test', ...bySystem(null) }));
    t.clock.advance(60_000);
    expect(valueOf(await scrape(), 'bastion_audit_seal_lag_seconds')).toBe(60);
    await t.deps.audit.seal();
    expect(valueOf(await scrape(), 'bastion_audit_seal_lag_seconds')).toBe(0);
  });
});
