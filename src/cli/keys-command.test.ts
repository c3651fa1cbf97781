/** `bastion keys rotate` as a shell runs it against a node's database: every sealed value moves to the newest key, still opens under its context with that key alone, and a second run changes nothing. */
import { describe, expect, it } from 'vitest';
import { enrolledUser } from '../../test/accounts.ts';
import { bastion, dataDirs, sharedEnv } from '../../test/cli.ts';
import { dialects, testApps, TEST_KEY } from '../../test/harness.ts';
import { submitKyc } from '../../test/kyc.ts';
import { db } from '../../test/queries.ts';
import { secretContext } from '../factors/totp/credentials.ts';
import { createKeyring } from '../crypto/encryption.ts';
import { createFileVault } from '../documents/vault.ts';

const NEW_KEY = Buffer.alloc(32, 9);

describe.each(dialects)('bastion keys rotate on %s', (dialect) => {
  const app = testApps(dialect);
  const dataDir = dataDirs();

  it('re-encrypts every sealed value under the newest key, which then opens them alone; a second run changes nothing', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    expect((await user.client.put('/api/me/anti-phishing-code', { code: 'Blue_Falcon-7' })).status).toBe(200);
    expect((await submitKyc(user.client)).status).toBe(200);
    const sealedValues = async () => [
      ...(await db(t).selectFrom('totp_credentials').select('secret_sealed as v').execute()),
      ...(await db(t).selectFrom('users').select('anti_phishing_sealed as v').where('anti_phishing_sealed', 'is not', null).execute()),
      ...(await db(t).selectFrom('kyc_cases').select('details_sealed as v').where('details_sealed', 'is not', null).execute()),
      ...(await db(t).selectFrom('kyc_files').select('key_sealed as v').where('key_sealed', 'is not', null).execute()),
      ...(await db(t).selectFrom('outbox').select('body_sealed as v').where('body_sealed', 'is not', null).execute()),
      ...(await db(t).selectFrom('oidc_signing_keys').select('private_jwk_sealed as v').execute()),
    ].map((r) => r.v!);
    const before = await sealedValues();
    expect(before.length).toBeGreaterThanOrEqual(6);
    expect(before.every((v) => v.startsWith('v1.k1.'))).toBe(true);
    const totpBefore = await db(t).selectFrom('totp_credentials').select(['secret_sealed', 'user_id']).executeTakeFirstOrThrow();
    const secret = t.deps.keyring.open(totpBefore.secret_sealed, secretContext(totpBefore.user_id));

    const env = sharedEnv(t, dataDir(), { ENCRYPTION_KEYS: `k2:${NEW_KEY.toString('base64')},${TEST_KEY}` });
    const rotated = await bastion(['keys', 'rotate'], env);
    expect(rotated.code, rotated.stdout + rotated.stderr).toBe(0);
    expect(rotated.stdout).toMatch(new RegExp(`^re-encrypted ${before.length} values under k2 \\(`));
    expect(rotated.stdout).toMatch(/every sealed value is under k2: the other keys of ENCRYPTION_KEYS can be removed/);
    const after = await sealedValues();
    expect(after).toHaveLength(before.length);
    expect(after.every((v) => v.startsWith('v1.k2.'))).toBe(true);

    // The new key alone opens them: the TOTP secret is the same, the identity photos still decrypt.
    const newOnly = createKeyring([{ id: 'k2', key: NEW_KEY }]);
    const totp = await db(t).selectFrom('totp_credentials').select(['secret_sealed', 'user_id']).executeTakeFirstOrThrow();
    expect(newOnly.open(totp.secret_sealed, secretContext(totp.user_id)).equals(secret)).toBe(true);
    const files = await db(t).selectFrom('kyc_files').selectAll().execute();
    const vault = createFileVault(t.config.kyc.storageDir, newOnly);
    for (const file of files) expect((await vault.get(file.id, { storageName: file.storage_name, keySealed: file.key_sealed! })).length).toBe(file.bytes);

    expect((await bastion(['keys', 'rotate'], env)).stdout).toMatch(/^re-encrypted 0 values under k2\n/);
    expect(await db(t).selectFrom('audit_events').select('type').where('type', '=', 'keys.rotated').execute()).toHaveLength(2);
  }, 120_000);
});
