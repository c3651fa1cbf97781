/**
 * Three Bastion nodes as separate processes on one PostgreSQL database and one Redis, behind a
 * round-robin balancer (each request of a browser goes to the next node, the same cookie jar), mail
 * to a real SMTP server here (issue #15, "Several nodes"). What one node knows, every node knows:
 * sign-ins in progress, lockouts, sessions ended, the outbox, the maintenance sweep's turn; and a node
 * killed mid-flow takes nothing with it. Needs TEST_DATABASE_URL and TEST_REDIS_URL (CI sets both).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SWEEP_LOCK_KEY } from '../../src/server.ts';
import { PASSWORD } from '../accounts.ts';
import { DEVICE } from '../cookies.ts';
import { SUBJECTS } from '../mail.ts';
import { Authenticator, type ClusterClient } from './client.ts';
import { Cluster, servicesSet, until, type NodeProcess } from './nodes.ts';

const WRONG = 'definitely-not-the-password-7';
const VERIFY_HASHES = 'bastion_password_hashes_total{op="verify"}';
const SWEEP_DONE = 'maintenance sweep done';
const SWEEP_SKIPPED = 'maintenance sweep skipped: another node is sweeping';

interface User {
  email: string;
  /** The browser that verified the address and enrolled: a known device, holding a full session. */
  browser: ClusterClient;
  phone: Authenticator;
}

describe.runIf(servicesSet)('three Bastion nodes on one PostgreSQL and one Redis', () => {
  const cluster = new Cluster();
  // Maintenance sweeps every quarter second, so that the nodes' turns are seen to take turns.
  beforeAll(() => cluster.start(3, { SWEEP_INTERVAL: '250ms' }), 90_000);
  afterAll(() => cluster.close(), 60_000);

  async function signUpAndVerify(browser: ClusterClient, email: string): Promise<void> {
    const signUp = await browser.post('/api/auth/register', { email, password: PASSWORD, acceptTerms: true });
    expect(signUp.status, JSON.stringify(signUp.body)).toBe(202);
    const [mail] = await cluster.mailTo(email, SUBJECTS.verifyEmail);
    const token = /verify-email\?token=([A-Za-z0-9_-]+)/.exec(mail!.text)?.[1];
    expect((await browser.post('/api/auth/verify-email', { token })).status).toBe(200);
  }

  /** A verified account with the authenticator app, each step on the next node. */
  async function enrolledUser(): Promise<User> {
    const browser = cluster.client();
    const email = cluster.email();
    await signUpAndVerify(browser, email);
    const login = await browser.post('/api/auth/login', { email, password: PASSWORD });
    expect(login.body.next).toEqual(['enroll_2fa']);
    const setup = await browser.post('/api/me/2fa/totp/setup');
    expect(setup.status).toBe(200);
    const phone = new Authenticator(setup.body.secret);
    const confirm = await browser.post('/api/me/2fa/totp/confirm', { code: await phone.code() });
    expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);
    return { email, browser, phone };
  }

  /** The same device, signed out: a second browser with only the device cookie. */
  const sameDevice = (user: User) => user.browser.copy([DEVICE]);

  async function signIn(user: User, browser = sameDevice(user)): Promise<ClusterClient> {
    const login = await browser.post('/api/auth/login', { email: user.email, password: PASSWORD });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    const verify = await browser.post('/api/auth/login/verify', { flow: login.body.flow, method: 'totp', code: await user.phone.code() });
    expect(verify.status, JSON.stringify(verify.body)).toBe(200);
    return browser;
  }

  /** Every finished maintenance sweep any node logged, in the order they started. */
  const sweeps = () =>
    cluster.nodes
      .flatMap((node) => node.logged(SWEEP_DONE).map((l) => ({ node: node.name, life: l.life, ...(l.sweep as { startedAt: number; endedAt: number }) })))
      .sort((x, y) => x.startedAt - y.startedAt);

  /** The first two intervals that overlap, or null. */
  function overlap<T extends { startedAt: number; endedAt: number }>(intervals: T[]): [T, T] | null {
    const sorted = [...intervals].sort((x, y) => x.startedAt - y.startedAt);
    for (let i = 1; i < sorted.length; i++) if (sorted[i]!.startedAt < sorted[i - 1]!.endedAt) return [sorted[i - 1]!, sorted[i]!];
    return null;
  }

  const outboxRows = (recipients: string[]) =>
    cluster.query((c) => c.query<{ recipient: string; subject: string; status: string }>('select recipient, subject, status from outbox where recipient = any($1)', [recipients]).then((r) => r.rows));

  it('a sign-in begun on one node (password) finishes on another (TOTP), and the session works on the third', async () => {
    const user = await enrolledUser();
    const browser = sameDevice(user);
    const password = await browser.post('/api/auth/login', { email: user.email, password: PASSWORD });
    expect(password.status).toBe(200);
    expect(password.body.next).toContain('totp');
    const totp = await browser.post('/api/auth/login/verify', { flow: password.body.flow, method: 'totp', code: await user.phone.code() });
    expect(totp.status, JSON.stringify(totp.body)).toBe(200);
    const session = await browser.get('/api/me/sessions');
    expect(session.status).toBe(200);
    expect(session.body.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(new Set([password.node, totp.node, session.node])).toEqual(new Set(['a', 'b', 'c']));
  });

  it('a lockout reached through three nodes at once holds on all three, and no more passwords are checked than the limit allows', async () => {
    const owner = cluster.client();
    const email = cluster.email('locked');
    await signUpAndVerify(owner, email);
    const attacker = cluster.client();
    const checkedBefore = await cluster.metricSum(VERIFY_HASHES);

    const answers = await Promise.all(Array.from({ length: 30 }, () => attacker.post('/api/auth/login', { email, password: WRONG })));
    expect(new Set(answers.map((a) => a.node))).toEqual(new Set(['a', 'b', 'c']));
    expect(answers.filter((a) => a.status === 401).map((a) => a.body.error)).toEqual(Array(5).fill('invalid_credentials'));
    const refused = answers.filter((a) => a.status !== 401);
    expect(refused).toHaveLength(25);
    for (const r of refused) expect([r.status, ['attempt_in_progress', 'account_locked'].includes(r.body.error)]).toEqual([429, true]);
    // Five passwords checked in all, summed over the three nodes' counters.
    expect((await cluster.metricSum(VERIFY_HASHES)) - checkedBefore).toBe(5);

    // The lock holds on every node, for the right password too, and checks nothing more.
    for (const node of cluster.nodes) {
      const right = await owner.post('/api/auth/login', { email, password: PASSWORD }, node);
      expect([right.status, right.body.error]).toEqual([429, 'account_locked']);
    }
    expect((await cluster.metricSum(VERIFY_HASHES)) - checkedBefore).toBe(5);
    expect(await cluster.mailTo(email, SUBJECTS.accountLocked)).toHaveLength(1);
  });

  it('a session signed out or revoked on one node is refused on the others at the next request', async () => {
    const user = await enrolledUser();
    const laptop = await signIn(user);
    // The laptop's session works on every node first (nothing any node might remember is cold).
    for (const node of cluster.nodes) expect((await laptop.get('/api/me/sessions', node)).status).toBe(200);

    // Revoked from the security center of the enrolling browser, on node a…
    const list = await user.browser.get('/api/me/sessions', cluster.node('a'));
    const target = (list.body.sessions as { id: string; current: boolean }[]).find((s) => !s.current)!;
    expect((await user.browser.delete(`/api/me/sessions/${target.id}`, cluster.node('a'))).body).toEqual({ status: 'revoked' });
    // …refused by b and c (and a) at once.
    for (const node of [cluster.node('b'), cluster.node('c'), cluster.node('a')]) {
      const dead = await laptop.get('/api/me/sessions', node);
      expect([node.name, dead.status, dead.body.error]).toEqual([node.name, 401, 'not_authenticated']);
    }

    // Signed out on node b: the cookie (kept by whoever copied it) is refused by c and a.
    const stolen = user.browser.copy();
    expect((await user.browser.post('/api/auth/logout', {}, cluster.node('b'))).body).toEqual({ status: 'signed_out' });
    for (const node of [cluster.node('c'), cluster.node('a')]) {
      const dead = await stolen.get('/api/me/sessions', node);
      expect([node.name, dead.status, dead.body.error]).toEqual([node.name, 401, 'not_authenticated']);
    }
  });

  it('the outbox delivers each email of a burst exactly once with three mail workers running', async () => {
    const emails = Array.from({ length: 30 }, () => cluster.email('burst'));
    const answers = await Promise.all(emails.map((email) => cluster.client().post('/api/auth/register', { email, password: PASSWORD, acceptTerms: true })));
    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(202));
    expect(new Set(answers.map((a) => a.node))).toEqual(new Set(['a', 'b', 'c']));
    // Every message marked sent, and each address's verification email received once.
    await until('the burst to be delivered', async () => (await outboxRows(emails)).every((r) => r.status === 'sent') && emails.every((e) => cluster.smtp.to(e).length > 0));
    expect(await outboxRows(emails)).toHaveLength(30);
    for (const email of emails) expect(cluster.smtp.to(email).map((m) => m.subject)).toEqual([SUBJECTS.verifyEmail]);
  });

  it('the maintenance sweep runs on one node at a time, whichever takes the turn', async () => {
    // Every node sweeps now and then (each asks every 250 ms; a run takes a few milliseconds)…
    await until('a sweep run by every node', () => cluster.nodes.every((n) => n.logged(SWEEP_DONE).length > 0));
    // …and while another holds the sweep's advisory lock, none does: each skips its turn.
    const hold = await cluster.query(async (db) => {
      await db.query('begin');
      await until('the sweep lock to be free', async () => (await db.query<{ locked: boolean }>('select pg_try_advisory_xact_lock($1::bigint) as locked', [SWEEP_LOCK_KEY])).rows[0]!.locked);
      const startedAt = Date.now();
      const marks = cluster.nodes.map((n) => n.lines.length);
      await until('every node to skip a turn', () => cluster.nodes.every((n, i) => n.lines.slice(marks[i]).some((l) => l.msg === SWEEP_SKIPPED)));
      const endedAt = Date.now();
      await db.query('commit');
      return { node: 'test', life: 0, startedAt, endedAt };
    });
    await until('a sweep after the lock was let go', () => sweeps().some((s) => s.startedAt >= hold.endedAt));
    const runs = sweeps();
    expect(runs.length).toBeGreaterThan(3);
    expect(overlap([...runs, hold])).toBeNull();
  });

  it('a node killed with SIGKILL in the middle of a flow loses nothing; restarted, it rejoins', { timeout: 90_000 }, async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((name) => cluster.node(name)) as [NodeProcess, NodeProcess, NodeProcess];
    // Node a's mail worker looks at the outbox only as it starts, so what a queues must wait for b's or c's.
    await a.stop();
    await a.start({ MAIL_POLL_INTERVAL: '1h' });
    const user = await enrolledUser();
    const browser = sameDevice(user);

    // On a: the password, and an emailed code asked for (the email queued with it). Then a dies.
    const login = await browser.post('/api/auth/login', { email: user.email, password: PASSWORD }, a);
    expect(login.status).toBe(200);
    expect((await browser.post('/api/auth/login/email-code', { flow: login.body.flow }, a)).status).toBe(202);
    await a.kill();
    const killedAt = Date.now();
    expect(a.alive).toBe(false);

    // The authenticator app finishes that sign-in on b; the session works on c.
    const verify = await browser.post('/api/auth/login/verify', { flow: login.body.flow, method: 'totp', code: await user.phone.code() }, b);
    expect(verify.status, JSON.stringify(verify.body)).toBe(200);
    expect((await browser.get('/api/me/sessions', c)).status).toBe(200);
    // The code a queued is delivered by another node, once.
    const codes = await cluster.mailTo(user.email, SUBJECTS.signInCode);
    await until('the code email to be marked sent', async () => (await outboxRows([user.email])).filter((r) => r.subject === SUBJECTS.signInCode).every((r) => r.status === 'sent'));
    expect(codes).toHaveLength(1);
    // The sweep goes on without a (had it died holding the lock, the lock went with its connection).
    await until('a sweep by b or c after the kill', () => sweeps().some((s) => s.node !== 'a' && s.startedAt > killedAt));

    // Restarted, a serves the session b opened, checks a password again and takes its sweep turns.
    await a.start();
    expect((await browser.get('/api/me/sessions', a)).status).toBe(200);
    const again = await browser.post('/api/auth/login', { email: user.email, password: PASSWORD }, a);
    expect(again.status).toBe(200);
    await until('a sweep by the restarted node', () => a.logged(SWEEP_DONE).some((l) => l.life === 3));
    expect(overlap(sweeps())).toBeNull();
  });

  it('over the whole run, every email queued was received by the SMTP server exactly once', async () => {
    const pending = () => cluster.query((db) => db.query<{ n: string }>("select count(*) as n from outbox where status <> 'sent'").then((r) => Number(r.rows[0]!.n)));
    await until('the outbox to be delivered', async () => (await pending()) === 0);
    // A graceful stop lets each worker finish the message it is sending.
    await Promise.all(cluster.live().map((n) => n.stop()));
    const rows = await cluster.query((db) => db.query<{ recipient: string; subject: string; status: string }>('select recipient, subject, status from outbox').then((r) => r.rows));
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
    const received = cluster.smtp.messages.map((m) => `${m.to} | ${m.subject}`).sort();
    expect(received).toEqual(rows.map((r) => `${r.recipient} | ${r.subject}`).sort());
    expect(received.length).toBeGreaterThan(30);
  });
});
