// The factor contract: the same cases run against every factor in the registry (a new factor without a fixture here fails the type check).
import { describe, expect, it } from 'vitest';
import type { User } from '../account/users.ts';
import { anonymous } from '../audit/audit.ts';
import { AppError } from '../errors/app-error.ts';
import { codeFor, wrongCode } from '../../test/accounts.ts';
import { dialects, testApps, type TestApp } from '../../test/harness.ts';
import { emailCode } from '../../test/login.ts';
import { ORIGIN, passkeyUser } from '../../test/passkeys.ts';
import { userRow } from '../../test/queries.ts';
import type { SoftAuthenticator } from '../../test/soft-authenticator.ts';
import { prepareFactor, proveFactor } from './prove.ts';
import { factorStatus, FACTORS, removeSecondFactors, secondFactorSummary, type FactorId } from './registry.ts';
import { inTransaction } from '../store/database.ts';
import type { Ceremony, Factor, FactorAnswer, Purpose } from './types.ts';

const PURPOSES: Purpose[] = ['sign_in', 'step_up', 'password_reset', 'password_change', 'recovery'];
const CLIENT = { ip: '192.0.2.80', userAgent: 'FactorContract/1.0' };

/** An account with every factor: a password, a passkey, an authenticator app, backup codes and its inbox. */
interface Account {
  t: TestApp;
  user: User;
  password: string;
  secret: string;
  backupCodes: string[];
  authenticator: SoftAuthenticator;
}

async function accountWithEveryFactor(t: TestApp): Promise<Account> {
  const pk = await passkeyUser(t);
  // The enrollment just showed a strong factor: adding the authenticator app needs no other step-up.
  const setup = await pk.client.post('/api/me/2fa/totp/setup');
  expect(setup.status, JSON.stringify(setup.body)).toBe(200);
  expect((await pk.client.post('/api/me/2fa/totp/confirm', { code: codeFor(t, setup.body.secret) })).status).toBe(200);
  t.clock.advance(30_000);
  return { t, user: await userRow(t, pk.email), password: pk.password, secret: setup.body.secret, backupCodes: pk.backupCodes, authenticator: pk.authenticator };
}

const roleOf = (factor: Factor): Ceremony['role'] => (factor.secondFactor ? 'second' : 'first');
const ceremonyFor = (factor: Factor, purpose: Purpose = [...factor.purposes][0]!): Ceremony => ({ purpose, boundTo: 'flow:contract-test', role: roleOf(factor) });

/** How to answer each factor rightly (fresh each call) and wrongly. */
interface Fixture {
  valid(a: Account, ceremony: Ceremony): Promise<FactorAnswer>;
  wrong(a: Account, ceremony: Ceremony): Promise<FactorAnswer>;
}

const prepared = (a: Account, factor: FactorId, ceremony: Ceremony) =>
  prepareFactor(a.t.deps, { factor, user: a.user, client: CLIENT, ceremony, actor: anonymous(a.user.id).actor });

let backupIndex = 0;
const sentCodes = new WeakMap<Account, string>();
const FIXTURES: Record<FactorId, Fixture> = {
  password: { valid: async (a) => ({ password: a.password }), wrong: async () => ({ password: 'not-the-password-at-all-7' }) },
  totp: {
    valid: async (a) => ({ code: codeFor(a.t, a.secret) }),
    wrong: async (a) => ({ code: wrongCode(a.t, a.secret) }),
  },
  backup_code: { valid: async (a) => ({ code: a.backupCodes[backupIndex++ % 10]! }), wrong: async () => ({ code: 'aaaaa-aaaaa' }) },
  email_code: {
    valid: async (a, ceremony) => {
      await prepared(a, 'email_code', ceremony);
      return { code: await emailCode(a.t, a.user.email) };
    },
    wrong: async (a, ceremony) => {
      // One live code (sending is rate-limited), guessed at.
      if (!sentCodes.has(a)) {
        await prepared(a, 'email_code', ceremony);
        sentCodes.set(a, await emailCode(a.t, a.user.email));
      }
      return { code: String((Number(sentCodes.get(a)) + 1) % 1_000_000).padStart(6, '0') };
    },
  },
  passkey: {
    valid: async (a, ceremony) => ({ credential: a.authenticator.get((await prepared(a, 'passkey', ceremony)) as never, ORIGIN) as never }),
    wrong: async (a, ceremony) => {
      // The same key under a credential id the server never registered: refused like a wrong code.
      const stranger = { ...a.authenticator.credentials[0]!, id: Buffer.alloc(32, 9) };
      return { credential: a.authenticator.get((await prepared(a, 'passkey', ceremony)) as never, ORIGIN, { credential: stranger }) as never };
    },
  },
};

/** Runs one proof; 'ok', or the refusal's status and code. */
async function attempt(a: Account, factor: Factor<FactorId>, answer: FactorAnswer, ceremony = ceremonyFor(factor)): Promise<string> {
  try {
    await proveFactor(a.t.deps, { factor: factor.id, ceremony, user: a.user, answer, client: CLIENT, actor: anonymous(a.user.id).actor, onSuccess: async () => undefined });
    return 'ok';
  } catch (error) {
    if (error instanceof AppError) return `${error.status} ${error.code}`;
    throw error;
  } finally {
    // What an answer leaves for after it (a lock's notice email), done before the next try as a request's would be.
    await a.t.deps.later.idle();
  }
}

describe('the factor contract', () => {
  it('lists every factor once, and an emailed code or a backup code is never strong nor steps up', () => {
    expect(new Set(FACTORS.map((f) => f.id)).size).toBe(FACTORS.length);
    for (const factor of FACTORS) {
      expect(factor.purposes.has('step_up'), `${factor.id} steps up only if strong`).toBe(factor.purposes.has('step_up') && factor.strong);
      expect(factor.firstFactor || factor.secondFactor, `${factor.id} has a role`).toBe(true);
    }
    const byId = Object.fromEntries(FACTORS.map((f) => [f.id, f]));
    expect(byId.email_code!.strong).toBe(false);
    expect(byId.email_code!.purposes.has('step_up')).toBe(false);
    expect(byId.email_code!.purposes.has('password_reset')).toBe(false);
    expect(byId.backup_code!.strong).toBe(false);
  });
});

describe.each(dialects)('the factor contract on %s', (dialect) => {
  const app = testApps(dialect);

  describe.each(FACTORS.map((f) => [f.id, f] as const))('%s', (_id, factor) => {
    const fixture = FIXTURES[factor.id];

    it(!factor.memorized ? 'accepts a right answer once' : 'accepts the right answer, and again (a memorized secret)', async () => {
      const a = await accountWithEveryFactor(await app());
      const ceremony = ceremonyFor(factor);
      const answer = await fixture.valid(a, ceremony);
      expect(await attempt(a, factor, answer, ceremony)).toBe('ok');
      const again = await attempt(a, factor, answer, ceremony);
      if (!factor.memorized) expect(again).toMatch(/^(401 invalid_(code|passkey)|400 challenge_expired)$/);
      else expect(again).toBe('ok');
    });

    it(factor.guessable ? 'counts wrong answers toward its lock: at the limit even the right answer is refused' : 'locks nothing on wrong answers (they cannot be guessed): the right answer works after many', async () => {
      const a = await accountWithEveryFactor(await app());
      if (!factor.guessable) {
        const ceremony = ceremonyFor(factor);
        for (let i = 1; i <= 15; i++) expect(await attempt(a, factor, await fixture.wrong(a, ceremony), ceremony), `wrong answer ${i}`).toMatch(/^401 /);
        expect(await attempt(a, factor, await fixture.valid(a, ceremony), ceremony)).toBe('ok');
        return;
      }
      const ceremony = ceremonyFor(factor);
      const limit = roleOf(factor) === 'first' ? 5 : 10;
      const refusal = roleOf(factor) === 'first' ? '401 invalid_credentials' : `401 ${factor.refusal().code}`;
      for (let i = 1; i < limit; i++) expect(await attempt(a, factor, await fixture.wrong(a, ceremony), ceremony), `wrong answer ${i}`).toBe(refusal);
      const last = await attempt(a, factor, await fixture.wrong(a, ceremony), ceremony);
      // A memorized secret answers as wrong even when it locks; the others say so at once.
      expect(last).toBe(factor.memorized ? refusal : '429 account_locked');
      a.t.clock.advance(31_000);
      expect(await attempt(a, factor, await fixture.valid(a, ceremony), ceremony)).toBe('429 account_locked');
    });

    it('refuses every purpose it does not serve, before anything counts', async () => {
      const a = await accountWithEveryFactor(await app());
      const refused = PURPOSES.filter((p) => !factor.purposes.has(p));
      for (const purpose of refused) {
        const ceremony = ceremonyFor(factor, purpose);
        expect(await attempt(a, factor, { code: '123456' }, ceremony), purpose).toBe('400 invalid_request');
        await expect(prepared(a, factor.id, ceremony), purpose).rejects.toMatchObject({ code: 'invalid_request' });
      }
      // In the other role, too (a code never names an account; the password is never a second factor).
      const otherRole: Ceremony = { ...ceremonyFor(factor), role: roleOf(factor) === 'first' ? 'second' : 'first' };
      if (!(factor.firstFactor && factor.secondFactor)) expect(await attempt(a, factor, { code: '123456' }, otherRole)).toBe('400 invalid_request');
      // Nothing counted: the right answer still works.
      expect(await attempt(a, factor, await fixture.valid(a, ceremonyFor(factor)))).toBe('ok');
    });

    it(factor.removeAll ? 'is gone after a 2FA reset removes every second factor' : 'holds nothing of its own for a 2FA reset to remove', async () => {
      const a = await accountWithEveryFactor(await app());
      const db = a.t.deps.store.db;
      expect((await factorStatus(db, factor, a.user.id)).enrolled).toBe(true);
      // The statement every sign-in and GET /api/me ask (compiled once, in or out of a transaction) says the same.
      const summarised = async () => (await secondFactorSummary(db, a.user.id)).find((s) => s.id === factor.id)?.count;
      if (factor.secondFactor) expect(await summarised()).toBe((await factorStatus(db, factor, a.user.id)).count);
      expect(await inTransaction(db, (tx) => secondFactorSummary(tx, a.user.id))).toEqual(await secondFactorSummary(db, a.user.id));
      const removed = await inTransaction(a.t.deps.store.db, (tx) => removeSecondFactors(tx, a.user.id));
      expect(removed).toMatchObject({ totp: 1, passkey: 1, backup_code: 10 });
      // The password and the inbox stay; every other factor is gone and refuses its right answer.
      expect((await factorStatus(db, factor, a.user.id)).enrolled).toBe(!factor.removeAll);
      if (factor.removeAll) expect(await summarised()).toBe(0);
      if (factor.removeAll) expect(await attempt(a, factor, await fixture.valid(a, ceremonyFor(factor)).catch(() => ({ code: '123456' })))).not.toBe('ok');
    });
  });
});
