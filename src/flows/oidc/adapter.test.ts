import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts';
import { dialects } from '../../../test/harness.ts';
import { adapterFactory, pruneOidcPayloads } from './adapter.ts';

describe.each(dialects)("the provider's storage on %s", (dialect) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    await db?.drop();
    db = undefined;
  });

  it('stores, finds (by id, uid, user code), consumes, expires, revokes by grant and prunes', async () => {
    db = await createTestDatabase(dialect);
    const adapter = adapterFactory(db.store.db);
    const codes = adapter('AuthorizationCode');
    const tokens = adapter('RefreshToken');
    vi.useFakeTimers({ now: Date.UTC(2030, 0, 1), toFake: ['Date'] });
    await codes.upsert('c1', { grantId: 'g0', accountId: 'a1', clientId: 'app' }, 60);
    await tokens.upsert('r1', { grantId: 'g1', accountId: 'a1', clientId: 'app' }, 3600);
    await tokens.upsert('r2', { grantId: 'g2', accountId: 'a1', clientId: 'app' }, 3600);
    await adapter('Session').upsert('s1', { uid: 'u1', accountId: 'a1' }, 3600);
    await adapter('DeviceCode').upsert('d1', { userCode: 'ABCD-EFGH' }, 3600);
    expect(await codes.find('c1')).toEqual({ jti: 'c1', grantId: 'g0', accountId: 'a1', clientId: 'app' });
    expect(await adapter('Session').findByUid('u1')).toMatchObject({ accountId: 'a1' });
    expect(await adapter('DeviceCode').findByUserCode('ABCD-EFGH')).toBeTruthy();
    // Models are apart: the same id in another model is another record.
    expect(await tokens.find('c1')).toBeUndefined();

    await codes.consume('c1');
    expect((await codes.find('c1'))?.consumed).toBe(Math.floor(Date.now() / 1000));
    // Upserting again replaces the payload and the expiry.
    await tokens.upsert('r2', { grantId: 'g2', accountId: 'a1', clientId: 'app', scope: 'openid' }, 7200);
    expect(await tokens.find('r2')).toMatchObject({ scope: 'openid' });

    vi.setSystemTime(Date.now() + 61_000);
    expect(await codes.find('c1')).toBeUndefined();
    expect(await tokens.find('r1')).toBeTruthy();
    await tokens.revokeByGrantId('g1');
    expect(await tokens.find('r1')).toBeUndefined();
    expect(await tokens.find('r2')).toBeTruthy();
    await tokens.destroy('r2');
    expect(await tokens.find('r2')).toBeUndefined();

    expect(await pruneOidcPayloads(db.store.db, Date.now())).toBe(1); // the expired code
    const left = await db.store.db.selectFrom('oidc_payloads').select(['model', 'id']).orderBy('model').execute();
    expect(left).toEqual([{ model: 'DeviceCode', id: 'd1' }, { model: 'Session', id: 's1' }]);
    await expect(adapter('Client').upsert('x', {}, 0)).rejects.toThrow(/bastion oidc clients add/);

    // A token is kept as its hash, its payload without its own value: a copy of the table holds none.
    await tokens.upsert('secret-refresh-token-value', { jti: 'secret-refresh-token-value', grantId: 'g3', accountId: 'a1', clientId: 'app' }, 3600);
    const stored = await db.store.db.selectFrom('oidc_payloads').select(['id', 'payload']).where('model', '=', 'RefreshToken').executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain('secret-refresh-token-value');
    expect(await tokens.find('secret-refresh-token-value')).toMatchObject({ jti: 'secret-refresh-token-value', grantId: 'g3' });
    await tokens.consume('secret-refresh-token-value');
    expect((await tokens.find('secret-refresh-token-value'))?.consumed).toBeTruthy();
    await tokens.destroy('secret-refresh-token-value');
    expect(await tokens.find('secret-refresh-token-value')).toBeUndefined();
    expect(await adapter('Client').find('nope')).toBeUndefined();
  });
});

describe('request logs of the provider', () => {
  it('never carry its tokens or hints', async () => {
    const { scrubUrl } = await import('../../http/logging.ts');
    expect(scrubUrl('/oidc/session/end?id_token_hint=eyJ.x.y&post_logout_redirect_uri=https%3A%2F%2Fapp')).toBe('/oidc/session/end?id_token_hint=[REDACTED]&post_logout_redirect_uri=https%3A%2F%2Fapp');
    expect(scrubUrl('/oidc/auth?client_id=a&login_hint=ada%40example.com&code_challenge=x')).toBe('/oidc/auth?client_id=a&login_hint=[REDACTED]&code_challenge=x');
  });
});
