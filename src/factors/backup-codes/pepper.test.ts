/** Backup codes and emailed codes are peppered with CODE_PEPPER, not the session secret; codes made before it existed (peppered with SESSION_SECRET) keep working, once each. */
import { describe, expect, it } from 'vitest';
import { enrolledUser, signInWithBackupCode, verificationFrom } from '../../../test/accounts.ts';
import { dialects, testApps } from '../../../test/harness.ts';
import { db, userRow } from '../../../test/queries.ts';
import { register } from '../../../test/registration.ts';
import { hashCode } from '../../crypto/tokens.ts';
import { inTransaction } from '../../store/database.ts';
import { normalizeBackupCode, replaceBackupCodes } from './codes.ts';

describe.each(dialects)('the codes’ pepper on %s', (dialect) => {
  const app = testApps(dialect);

  it('hashes new backup codes and emailed codes with CODE_PEPPER, and still takes a backup code made under SESSION_SECRET', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const id = (await userRow(t, user.email)).id;
    const stored = await db(t).selectFrom('backup_codes').select('code_hash').where('user_id', '=', id).execute();
    const code = normalizeBackupCode(user.backupCodes[0]!);
    const withPepper = (pepper: string) => hashCode(pepper, `backup:${id}`, code);
    expect(stored.map((r) => r.code_hash)).toContain(withPepper(t.config.codePepper));
    expect(stored.map((r) => r.code_hash)).not.toContain(withPepper(t.config.sessionSecret));
    // The emailed sign-up code too.
    const newcomer = `pepper-${Date.now()}@example.com`;
    expect((await register(t.client(), newcomer)).status).toBe(202);
    const { code: emailed } = await verificationFrom(t, newcomer);
    const newcomerId = (await userRow(t, newcomer)).id;
    const token = await db(t).selectFrom('one_time_tokens').select(['token_hash', 'bound_to']).where('user_id', '=', newcomerId).where('purpose', '=', 'email_verification_code').executeTakeFirstOrThrow();
    expect(token.token_hash).toBe(hashCode(t.config.codePepper, `email_verification_code:${token.bound_to ?? ''}`, emailed));
    expect(token.token_hash).not.toBe(hashCode(t.config.sessionSecret, `email_verification_code:${token.bound_to ?? ''}`, emailed));

    // Codes printed before the upgrade: made with the session secret as their pepper.
    const legacy = await inTransaction(t.deps.store.db, (tx) => replaceBackupCodes(tx, t.config.sessionSecret, id, t.clock.now()));
    await signInWithBackupCode(t, user, legacy[0]!);
    const browser = t.client();
    const again = await browser.post('/api/auth/login', { email: user.email, password: user.password });
    const reused = await browser.post('/api/auth/login/verify', { flow: again.body.flow, method: 'backup_code', code: legacy[0]! });
    expect(reused.status, JSON.stringify(reused.body)).toBe(401);
  });
});
