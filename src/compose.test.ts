/** The seams in Deps: a test (or a benchmark) replaces the password hasher, the IP-location lookup and the user-agent parser. */
import { describe, expect, it } from 'vitest';
import { argon2idHasher, type PasswordHasher } from './crypto/password.ts';
import { enrolledUser } from '../test/accounts.ts';
import { dialects, testApps } from '../test/harness.ts';

describe.each(dialects)('the Deps seams on %s', (dialect) => {
  const app = testApps(dialect);

  it('reaches the hasher, the location lookup and the device namer through Deps', async () => {
    const calls = { hash: 0, verify: 0, dummy: 0 };
    const counting: PasswordHasher = {
      hash: (p) => (calls.hash++, argon2idHasher.hash(p)),
      verify: (h, p) => (calls.verify++, argon2idHasher.verify(h, p)),
      dummyVerify: (p) => (calls.dummy++, argon2idHasher.dummyVerify(p)),
    };
    const t = await app({}, {
      overrides: {
        passwords: counting,
        locate: () => ({ country: 'ZZ', city: 'Testville', latitude: 1, longitude: 2, label: 'Testville, ZZ' }),
        describeDevice: () => 'Test Device 1.0',
      },
    });
    const user = await enrolledUser(t);
    expect(calls.hash).toBe(1);
    const client = t.client();
    await client.post('/api/auth/login', { email: user.email, password: 'not-the-password-at-all-7' });
    await client.post('/api/auth/login', { email: 'nobody@example.com', password: 'not-the-password-at-all-7' });
    expect(calls.verify).toBeGreaterThanOrEqual(2);
    expect(calls.dummy).toBe(1);
    const activity = await user.client.get('/api/me/activity');
    expect(activity.status).toBe(200);
    const wrong = activity.body.entries.find((e: { result: string }) => e.result === 'wrong_password');
    expect(wrong).toMatchObject({ device: 'Test Device 1.0', location: 'Testville, ZZ' });
  });
});
