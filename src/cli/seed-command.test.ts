/**
 * `bastion seed` as a shell runs it against a node's database: the counts asked for, accounts that
 * sign in over HTTP with the printed password, TOTP secret and device cookie, their seeded activity
 * in GET /api/me/activity, a second run adding more; production and bad arguments refused.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bastion, dataDirs, sharedEnv } from '../../test/cli.ts';
import { DEVICE } from '../../test/cookies.ts';
import { dialects, testApps, type TestApp } from '../../test/harness.ts';
import { registerVerified } from '../../test/accounts.ts';
import { db } from '../../test/queries.ts';
import { decodeBase32, totp } from '../factors/totp/otp.ts';

interface Printed {
  run: string;
  password: string;
  secret: string;
  deviceToken: string;
}

function printed(stdout: string): Printed {
  const field = (pattern: RegExp) => {
    const value = pattern.exec(stdout)?.[1];
    if (!value) throw new Error(`not in the output (${pattern}):\n${stdout}`);
    return value;
  };
  return {
    run: field(/^ {2}email: seed-([0-9a-f]+)-<i>@seed\.invalid$/m),
    password: field(/^ {2}password: (\S+)$/m),
    secret: field(/^ {2}totp secret: ([A-Z2-7]+) /m),
    deviceToken: field(/^ {2}device cookie: bastion_device=([0-9a-f]+)-<i> /m),
  };
}

const seededUsers = (t: TestApp, run: string) => db(t).selectFrom('users').where('email', 'like', `seed-${run}-%@seed.invalid`);

describe.each(dialects)('bastion seed on %s', (dialect) => {
  const app = testApps(dialect);
  const dataDir = dataDirs();

  it('adds the accounts and activity asked for, which sign in over HTTP as printed and list their activity; a second run adds more', async () => {
    // Every new device asks for the inbox: the printed device cookie is what lets a benchmark through.
    const t = await app({ NEW_DEVICE_CONFIRMATION: 'always' });
    const env = sharedEnv(t, dataDir());
    const seeded = await bastion(['seed', '--users', '300', '--activity', '3000'], env);
    expect(seeded.code, seeded.stderr + seeded.stdout).toBe(0);
    expect(seeded.stdout).toContain('seeded 300 accounts and 3,000 login-activity rows');
    expect(seeded.stderr).toMatch(/seed 100% 300\/300 accounts, 3,000\/3,000 activity/);
    const first = printed(seeded.stdout);

    const users = await seededUsers(t, first.run).select(['id', 'email', 'email_verified_at', 'terms_version', 'password_hash']).execute();
    expect(users).toHaveLength(300);
    expect(users.every((u) => u.email_verified_at !== null && u.terms_version === t.config.terms.version && u.password_hash.startsWith('$argon2id$'))).toBe(true);
    const ids = users.map((u) => u.id);
    const perUser = await db(t).selectFrom('login_activity').select(['user_id', (eb) => eb.fn.countAll<number>().as('n')]).where('user_id', 'in', ids).groupBy('user_id').execute();
    expect(perUser.reduce((sum, r) => sum + Number(r.n), 0)).toBe(3000);
    // Spread over the accounts, not piled on a few.
    expect(perUser.length).toBeGreaterThan(200);
    expect(Math.max(...perUser.map((r) => Number(r.n)))).toBeLessThan(300);
    const shape = await db(t)
      .selectFrom('login_activity')
      .select((eb) => [eb.fn.min('at').as('first'), eb.fn.max('at').as('last'), eb.fn.count('ip').distinct().as('ips'), eb.fn.count('device').distinct().as('devices'), eb.fn.count('result').distinct().as('results')])
      .where('user_id', 'in', ids)
      .executeTakeFirstOrThrow();
    expect(Number(shape.last) - Number(shape.first)).toBeGreaterThan(90 * 86_400_000);
    expect(Number(shape.ips)).toBeGreaterThan(100);
    expect(Number(shape.devices)).toBeGreaterThan(5);
    expect(Number(shape.results)).toBeGreaterThan(3);
    const count = async (table: 'totp_credentials' | 'backup_codes' | 'known_devices') =>
      Number((await db(t).selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', 'in', ids).executeTakeFirstOrThrow()).n);
    expect(await count('totp_credentials')).toBe(300);
    expect(await count('backup_codes')).toBe(3000);
    expect(await count('known_devices')).toBeGreaterThanOrEqual(300);

    // The busiest account signs in on the app over the same database, as a benchmark would.
    const busiest = perUser.reduce((a, b) => (Number(b.n) > Number(a.n) ? b : a));
    const email = users.find((u) => u.id === busiest.user_id)!.email;
    const i = /^seed-[0-9a-f]+-(\d+)@/.exec(email)![1];
    // The seed wrote its times by the system clock; the app's clock joins it there.
    t.clock.set(Date.now());
    const code = () => totp(decodeBase32(first.secret), t.clock.now());
    // Without the device cookie, the password and the code are not enough from a new browser.
    const stranger = t.client();
    const strange = await stranger.post('/api/auth/login', { email, password: first.password });
    expect(strange.status).toBe(200);
    expect((await stranger.post('/api/auth/login/verify', { flow: strange.body.flow, method: 'totp', code: code() })).body.next).toEqual(['confirm_device']);
    t.clock.advance(30_000);
    const client = t.client();
    client.cookies.set(DEVICE, `${first.deviceToken}-${i}`);
    const login = await client.post('/api/auth/login', { email, password: first.password });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    expect(login.body.next).toContain('totp');
    const verify = await client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'totp', code: code() });
    expect(verify.status, JSON.stringify(verify.body)).toBe(200);
    expect(verify.body.user.email).toBe(email);
    const me = await client.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.terms.mustAccept).toBe(false);

    const listed = await client.get('/api/me/activity?limit=100');
    expect(listed.status).toBe(200);
    const expected = await db(t).selectFrom('login_activity').select('id').where('user_id', '=', busiest.user_id).orderBy('at', 'desc').orderBy('id', 'desc').limit(100).execute();
    expect(listed.body.entries.map((e: { id: string }) => e.id)).toEqual(expected.map((r) => r.id));
    // This sign-in and the one held for the inbox first, then what the seed wrote.
    expect(listed.body.entries.slice(0, 2).map((e: { result: string }) => e.result)).toEqual(['success', 'device_pending']);
    expect(listed.body.entries.length).toBe(Math.min(100, Number(busiest.n) + 2));

    const again = await bastion(['seed', '--users', '40'], env);
    expect(again.code, again.stderr + again.stdout).toBe(0);
    const second = printed(again.stdout);
    expect(second.run).not.toBe(first.run);
    expect(await seededUsers(t, second.run).select('id').execute()).toHaveLength(40);
    expect(await db(t).selectFrom('users').select('id').where('email', 'like', 'seed-%@seed.invalid').execute()).toHaveLength(340);
  }, 120_000);
});

describe.each(dialects)('bastion seed on %s refuses', (dialect) => {
  const app = testApps(dialect);
  const dataDir = dataDirs();

  it('a database that holds accounts it did not make (exit 1, nothing written)', async () => {
    const t = await app();
    const person = await registerVerified(t);
    const refused = await bastion(['seed', '--users', '5'], sharedEnv(t, dataDir()));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('bastion seed fills only a database of seed accounts');
    expect(refused.stdout).toBe('');
    const users = await db(t).selectFrom('users').select('email').execute();
    expect(users).toEqual([{ email: person.email }]);
  }, 60_000);
});

describe('bastion seed refuses', () => {
  const env = () => {
    const dir = mkdtempSync(join(tmpdir(), 'bastion-cli-'));
    return { DATA_DIR: dir, DATABASE_URL: `sqlite:${join(dir, 'seed.db')}`, LOG_LEVEL: 'silent' };
  };

  it('to run with NODE_ENV=production (exit 1, nothing written)', async () => {
    const settings = env();
    const refused = await bastion(['seed', '--users', '10'], { ...settings, NODE_ENV: 'production' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('bastion seed does not run with NODE_ENV=production');
    expect(refused.stdout).toBe('');
    expect(existsSync(settings.DATABASE_URL.slice('sqlite:'.length))).toBe(false);
  }, 60_000);

  it.each([
    [['--users', 'many'], "option '--users <n>' argument 'many' is invalid. --users must be a whole number, 0 or more"],
    [['--users', '1.5'], "argument '1.5' is invalid"],
    [['--users', '10', '--activity', '-3'], "argument '-3' is invalid. --activity must be a whole number"],
    [['--users', '1e6'], "argument '1e6' is invalid"],
    [['--activity', '100'], "required option '--users <n>' not specified"],
    [['--users', '0', '--activity', '100'], '--activity needs accounts to spread over'],
  ])('bad arguments %j', async (args, message) => {
    const result = await bastion(['seed', ...args], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
  }, 60_000);
});
