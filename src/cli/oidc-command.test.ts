/** `bastion oidc` as a shell runs it against a node's database: an app registered, used, listed and removed; the signing keys rotated. */
import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { enrolledUser } from '../../test/accounts.ts';
import { bastion, dataDirs, sharedEnv } from '../../test/cli.ts';
import { dialects } from '../../test/harness.ts';
import { authorizeAs, Browser, codeFlowStart, oidcApps, relyingParty } from '../../test/oidc.ts';

describe.each(dialects)('bastion oidc on %s', (dialect) => {
  const dataDir = dataDirs();
  const app = oidcApps(dialect);

  it('adds an app (secret shown once, kept hashed), lists it, and removes it with its tokens', async () => {
    const t = await app();
    const env = sharedEnv(t, dataDir());
    const added = await bastion(['oidc', 'clients', 'add', '--name', 'Ledger service', '--client-credentials'], env);
    expect(added.code, added.stderr).toBe(0);
    const clientId = /^client id: (\S+)$/m.exec(added.stdout)?.[1];
    const secret = /^client secret: (\S+)$/m.exec(added.stdout)?.[1];
    expect(clientId && secret).toBeTruthy();
    const row = await t.deps.store.db.selectFrom('oidc_clients').selectAll().where('id', '=', clientId!).executeTakeFirstOrThrow();
    expect(row.secret_hash).not.toContain(secret!);
    expect(JSON.stringify(row)).not.toContain(secret!);

    const config = await oidc.discovery(new URL(t.issuer), clientId!, secret!, undefined, { execute: [oidc.allowInsecureRequests] });
    const tokens = await oidc.clientCredentialsGrant(config, {});
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(true);

    const listed = await bastion(['oidc', 'clients', 'list'], env);
    expect(listed.stdout).toContain(`${clientId}  Ledger service  (confidential; client_credentials)`);

    const publicApp = await bastion(['oidc', 'clients', 'add', '--name', 'Phone app', '--public', '--redirect-uri', 'com.example.app:/callback'], env);
    expect(publicApp.code).toBe(1);
    expect(publicApp.stdout).toMatch(/must use https/);
    const ok = await bastion(['oidc', 'clients', 'add', '--name', 'Phone app', '--public', '--redirect-uri', 'http://localhost:8123/callback'], env);
    expect(ok.stdout).toMatch(/^client id: /m);
    expect(ok.stdout).not.toMatch(/client secret/);

    expect((await bastion(['oidc', 'clients', 'remove', clientId!], env)).stdout).toBe(`removed ${clientId}\n`);
    expect((await oidc.tokenIntrospection(config, tokens.access_token).catch((e: unknown) => e)) as object).toMatchObject({ status: 401 });
    expect((await bastion(['oidc', 'clients', 'remove', clientId!], env)).code).toBe(1);
    const events = await t.deps.store.db.selectFrom('audit_events').select('type').where('type', 'like', 'oidc.%').execute();
    expect(events.map((e) => e.type).sort()).toEqual(['oidc.client_added', 'oidc.client_added', 'oidc.client_removed']);
  }, 60_000);

  it('rotates the signing keys: new ones sign, the old stay published', async () => {
    const t = await app();
    const jwks = async () => ((await (await fetch(`${t.issuer}/jwks`)).json()) as { keys: { kid: string; alg: string; d?: string }[] }).keys;
    const before = await jwks();
    expect(before.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
    expect(before.every((k) => k.d === undefined)).toBe(true);
    const sealed = await t.deps.store.db.selectFrom('oidc_signing_keys').select('private_jwk_sealed').execute();
    expect(sealed.every((k) => k.private_jwk_sealed.startsWith('v1.k1.'))).toBe(true);

    const rotated = await bastion(['oidc', 'keys', 'rotate'], sharedEnv(t, dataDir()));
    expect(rotated.code, rotated.stderr).toBe(0);
    await t.app.oidc.reload();
    const after = await jwks();
    expect(after).toHaveLength(4);
    // The new keys come first: they are the ones that sign.
    expect(after.slice(0, 2).map((k) => k.kid)).not.toContain(before[0]!.kid);
    expect(after.slice(2).map((k) => k.kid).sort()).toEqual(before.map((k) => k.kid).sort());
    // An ID token issued now is signed with the new ES256 key; one from before still verifies against the JWKS.
    const user = await enrolledUser(t);
    const rp = await relyingParty(t);
    const start = await codeFlowStart(rp.config);
    const tokens = await oidc.authorizationCodeGrant(rp.config, await authorizeAs(new Browser(t.url).adopt(user.client), start.url), { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce });
    const header = JSON.parse(Buffer.from(tokens.id_token!.split('.')[0]!, 'base64url').toString()) as { kid: string; alg: string };
    expect(header.alg).toBe('ES256');
    expect(header.kid).toBe(after.find((k) => k.alg === 'ES256')!.kid);
    expect(before.map((k) => k.kid)).not.toContain(header.kid);
  }, 60_000);
});
