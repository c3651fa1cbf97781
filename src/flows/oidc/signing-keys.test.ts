import { describe, expect, it } from 'vitest';
import { dialects, testApps } from '../../../test/harness.ts';
import { ensureSigningKeys, loadSigningKeys, rotateSigningKeys, RETIRED_KEY_PUBLISHED_MS } from './signing-keys.ts';

describe.each(dialects)('OIDC signing keys on %s', (dialect) => {
  const app = testApps(dialect);

  it('are made once by nodes starting together, sealed, rotated with the old published until they lapse', async () => {
    const t = await app();
    const db = t.deps.store.db;
    await db.deleteFrom('oidc_signing_keys').execute();
    await Promise.all([ensureSigningKeys(t.deps), ensureSigningKeys(t.deps), ensureSigningKeys(t.deps)]);
    const first = await db.selectFrom('oidc_signing_keys').selectAll().execute();
    expect(first.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
    expect(first.every((k) => k.private_jwk_sealed.startsWith('v1.k1.') && !k.private_jwk_sealed.includes('"d"'))).toBe(true);

    const { added, retired } = await rotateSigningKeys(t.deps);
    expect(retired.sort()).toEqual(first.map((k) => k.kid).sort());
    const keys = await loadSigningKeys(t.deps);
    expect(keys.slice(0, 2).map((k) => k.kid).sort()).toEqual(added.sort());
    expect(keys).toHaveLength(4);
    expect(keys.every((k) => typeof k.d === 'string')).toBe(true);

    // Past the published window the retired keys are gone from the JWKS, and the next rotation removes them.
    t.clock.advance(RETIRED_KEY_PUBLISHED_MS + 1);
    expect((await loadSigningKeys(t.deps)).map((k) => k.kid).sort()).toEqual(added.sort());
    await rotateSigningKeys(t.deps);
    expect(await db.selectFrom('oidc_signing_keys').select('kid').execute()).toHaveLength(4);
  });
});
