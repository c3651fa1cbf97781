import { TEST_DEPOSIT_KEYS } from '../test/harness.ts';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDuration } from './config.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'bastion-config-'));
const load = (env: Record<string, string>) => loadConfig(env, { loadDotEnv: false });

describe('config', () => {
  it('needs nothing in development: SQLite under ./data, port 3000, secrets generated 0600 and reused', () => {
    const dir = tmp();
    const config = load({ DATA_DIR: dir });
    expect(config.port).toBe(3000);
    expect(config.baseUrl).toBe('http://localhost:3000');
    expect(config.databaseUrl).toBe(`sqlite:${join(dir, 'bastion.db')}`);
    expect(config.smtpUrl).toBeUndefined();
    expect(config.encryptionKeys[0]?.key).toHaveLength(32);
    const file = join(dir, 'secrets.json');
    expect(config.generatedSecretsFile).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = load({ DATA_DIR: dir });
    expect(again.sessionSecret).toBe(config.sessionSecret);
    expect(again.encryptionKeys[0]?.key.equals(config.encryptionKeys[0]!.key)).toBe(true);
    // The codes' pepper is a secret of its own, kept too; a file from before it existed gets one added.
    expect(config.codePepper).toHaveLength(43);
    expect(config.codePepper).not.toBe(config.sessionSecret);
    expect(again.codePepper).toBe(config.codePepper);
    const old = tmp();
    writeFileSync(join(old, 'secrets.json'), JSON.stringify({ sessionSecret: 's'.repeat(43), encryptionKeys: `k1:${Buffer.alloc(32, 3).toString('base64')}` }), { mode: 0o600 });
    const upgraded = load({ DATA_DIR: old });
    expect(upgraded.sessionSecret).toBe('s'.repeat(43));
    expect(load({ DATA_DIR: old }).codePepper).toBe(upgraded.codePepper);
    // So is the audit chain's key.
    expect(config.auditKey).toHaveLength(43);
    expect(again.auditKey).toBe(config.auditKey);
    expect(load({ DATA_DIR: old }).auditKey).toBe(upgraded.auditKey);
  });

  it('the terms of service: the built-in placeholder page and version 1 by default; TERMS_URL and TERMS_VERSION checked', () => {
    const config = load({ DATA_DIR: tmp(), PORT: '4100' });
    expect(config.terms).toEqual({ url: 'http://localhost:4100/terms', version: '1', placeholder: true });
    expect(load({ DATA_DIR: tmp(), TERMS_URL: 'https://example.com/tos', TERMS_VERSION: '2026-12-01' }).terms).toEqual({ url: 'https://example.com/tos', version: '2026-12-01', placeholder: false });
    expect(() => load({ DATA_DIR: tmp(), TERMS_URL: 'terms.html' })).toThrow(/TERMS_URL: must be an absolute URL/);
    expect(() => load({ DATA_DIR: tmp(), TERMS_URL: 'javascript:alert(1)' })).toThrow(/TERMS_URL: must be an absolute URL .*http: or https: only/);
    expect(load({ DATA_DIR: tmp(), TERMS_URL: 'http://localhost:8080/tos' }).terms.url).toBe('http://localhost:8080/tos');
    expect(() => load({ DATA_DIR: tmp(), TERMS_VERSION: '' })).toThrow(/TERMS_VERSION: must be 1 to 32 letters/);
    expect(() => load({ DATA_DIR: tmp(), TERMS_VERSION: 'version two' })).toThrow(/TERMS_VERSION: must be 1 to 32 letters/);
  });

  it('PORT and BASE_URL override the defaults', () => {
    const config = load({ DATA_DIR: tmp(), PORT: '4100' });
    expect(config.baseUrl).toBe('http://localhost:4100');
    expect(load({ DATA_DIR: tmp(), BASE_URL: 'https://id.example.com/' }).baseUrl).toBe('https://id.example.com');
  });

  it('takes the passkey domain and origins from BASE_URL, or WEBAUTHN_RP_ID / WEBAUTHN_ORIGINS, and refuses ones that cannot work', () => {
    expect(load({ DATA_DIR: tmp() }).webauthn).toEqual({ rpId: 'localhost', rpName: 'Bastion', origins: ['http://localhost:3000'] });
    const parent = load({ DATA_DIR: tmp(), BASE_URL: 'https://id.example.com', WEBAUTHN_RP_ID: 'example.com', TRUSTED_ORIGINS: 'https://app.example.com,https://other.test' });
    expect(parent.webauthn).toMatchObject({ rpId: 'example.com', origins: ['https://id.example.com', 'https://app.example.com'] });
    const explicit = load({ DATA_DIR: tmp(), BASE_URL: 'https://id.example.com', WEBAUTHN_ORIGINS: 'https://id.example.com, https://m.id.example.com' });
    expect(explicit.webauthn.origins).toEqual(['https://id.example.com', 'https://m.id.example.com']);
    // Served on an IP address: no passkeys, but the server still starts.
    expect(load({ DATA_DIR: tmp(), BASE_URL: 'http://127.0.0.1:3000' }).webauthn.rpId).toBeNull();
    expect(() => load({ DATA_DIR: tmp(), WEBAUTHN_RP_ID: '10.0.0.1' })).toThrow(/WEBAUTHN_RP_ID: .*not an IP address/);
    expect(() => load({ DATA_DIR: tmp(), BASE_URL: 'https://id.example.com', WEBAUTHN_RP_ID: 'example.org' })).toThrow(/WEBAUTHN_RP_ID: "example.org" is not the domain of BASE_URL/);
    expect(() => load({ DATA_DIR: tmp(), BASE_URL: 'https://id.example.com', WEBAUTHN_ORIGINS: 'https://evil.test' })).toThrow(/WEBAUTHN_ORIGINS: "https:\/\/evil.test" is not on id.example.com/);
    expect(() => load({ DATA_DIR: tmp(), WEBAUTHN_ORIGINS: 'nope' })).toThrow(/WEBAUTHN_ORIGINS: "nope" is not an origin/);
    // Browsers offer passkeys only over HTTPS (or on localhost).
    expect(() => load({ DATA_DIR: tmp(), BASE_URL: 'https://id.example.com', WEBAUTHN_ORIGINS: 'http://id.example.com' })).toThrow(/WEBAUTHN_ORIGINS: .*must use https:/);
    expect(load({ DATA_DIR: tmp(), BASE_URL: 'http://id.example.com' }).webauthn.rpId).toBeNull();
    expect(load({ DATA_DIR: tmp(), BASE_URL: 'http://dev.localhost:3000' }).webauthn.origins).toEqual(['http://dev.localhost:3000']);
  });

  it('names the setting and what is wrong with it', () => {
    expect(() => load({ DATA_DIR: tmp(), PORT: 'eighty' })).toThrow(/PORT: must be a number/);
    expect(() => load({ DATA_DIR: tmp(), DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must start with sqlite:/);
    expect(() => load({ DATA_DIR: tmp(), SESSION_IDLE_TIMEOUT: 'soon' })).toThrow(/SESSION_IDLE_TIMEOUT: "soon" is not a duration/);
    expect(() => load({ DATA_DIR: tmp(), ENCRYPTION_KEYS: 'k1:c2hvcnQ=' })).toThrow(/ENCRYPTION_KEYS: .*32 bytes/);
    expect(() => load({ DATA_DIR: tmp(), TLS_CERT: '/x.pem' })).toThrow(/TLS_CERT\/TLS_KEY: set both/);
    expect(() => load({ DATA_DIR: tmp(), TRUSTED_ORIGINS: 'not a url' })).toThrow(/TRUSTED_ORIGINS/);
    expect(() => load({ DATA_DIR: tmp(), PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => load({ DATA_DIR: tmp(), WALLET_RPC_ORIGINS: 'https://rpc.example.com/v1' })).toThrow(/WALLET_RPC_ORIGINS/);
    expect(() => load({ DATA_DIR: tmp(), WALLET_RPC_ORIGINS: 'https://*.example.com' })).toThrow(/WALLET_RPC_ORIGINS/);
    expect(load({ DATA_DIR: tmp(), WALLET_RPC_ORIGINS: 'https://evm.cronos.org, http://127.0.0.1:8545' }).walletRpcOrigins).toEqual(['https://evm.cronos.org', 'http://127.0.0.1:8545']);
  });

  it('in production, a missing secret is an error instead of being generated', () => {
    const dir = tmp();
    expect(() => load({ NODE_ENV: 'production', DATA_DIR: dir })).toThrow(/SESSION_SECRET: required when NODE_ENV=production/);
    expect(() => load({ NODE_ENV: 'production', DATA_DIR: dir })).toThrow(/ENCRYPTION_KEYS: required/);
    expect(() => load({ NODE_ENV: 'production', DATA_DIR: dir })).toThrow(/CODE_PEPPER: required/);
    expect(() => load({ NODE_ENV: 'production', DATA_DIR: dir })).toThrow(/AUDIT_KEY: required/);
    expect(() => load({ NODE_ENV: 'production', DATA_DIR: dir })).toThrow(/TERMS_URL: required/);
    expect(() => load({ NODE_ENV: 'production', DATA_DIR: dir })).toThrow(/SMTP_URL: required/);
    expect(() => load({ NODE_ENV: 'production', DATA_DIR: dir })).toThrow(/DEPOSIT_XPUB_BTC: required/);
    const ok = load({
      NODE_ENV: 'production',
      DATA_DIR: dir,
      DATABASE_URL: 'postgres://db/bastion',
      SESSION_SECRET: 'x'.repeat(40),
      CODE_PEPPER: 'p'.repeat(40),
      AUDIT_KEY: 'a'.repeat(40),
      TERMS_URL: 'https://example.com/terms',
      ENCRYPTION_KEYS: `k2:${Buffer.alloc(32, 1).toString('base64')},k1:${Buffer.alloc(32, 2).toString('base64')}`,
      SMTP_URL: 'smtp://mail:25',
      BASE_URL: 'https://id.example.com',
      DEPOSIT_XPUB_BTC: TEST_DEPOSIT_KEYS.bitcoin,
      DEPOSIT_XPUB_EVM: TEST_DEPOSIT_KEYS.evm,
    });
    expect(ok.encryptionKeys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(ok.generatedSecretsFile).toBeUndefined();
    // The API's browsable page is off in production unless asked for; on elsewhere.
    expect(ok.apiDocs).toBe(false);
    expect(load({ DATA_DIR: tmp() }).apiDocs).toBe(true);
  });

  it('in production, refuses an http:// BASE_URL unless ALLOW_INSECURE_BASE_URL says so, and turns the docs page on only on request', () => {
    const production = {
      NODE_ENV: 'production',
      DATA_DIR: tmp(),
      DATABASE_URL: 'postgres://db/bastion',
      SESSION_SECRET: 'x'.repeat(40),
      CODE_PEPPER: 'p'.repeat(40),
      AUDIT_KEY: 'a'.repeat(40),
      TERMS_URL: 'https://example.com/terms',
      ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 2).toString('base64')}`,
      SMTP_URL: 'smtp://mail:25',
      BASE_URL: 'http://id.example.com',
      DEPOSIT_XPUB_BTC: TEST_DEPOSIT_KEYS.bitcoin,
      DEPOSIT_XPUB_EVM: TEST_DEPOSIT_KEYS.evm,
    };
    expect(() => load(production)).toThrow(/BASE_URL: must be https:\/\/ in production .*ALLOW_INSECURE_BASE_URL=true/);
    expect(() => load({ ...production, BASE_URL: 'HTTP://id.example.com' })).toThrow(/BASE_URL: must be https:\/\//);
    expect(load({ ...production, ALLOW_INSECURE_BASE_URL: 'true' }).baseUrl).toBe('http://id.example.com');
    expect(() => load({ ...production, BASE_URL: 'https://id.example.com', TERMS_URL: 'http://example.com/terms' })).toThrow(/TERMS_URL: must be https:\/\/ in production/);
    expect(load({ ...production, BASE_URL: 'https://id.example.com', API_DOCS: 'on' }).apiDocs).toBe(true);
    expect(() => load({ ...production, BASE_URL: 'https://id.example.com', API_DOCS: 'yes' })).toThrow(/API_DOCS/);
  });

  it('refuses TRUST_PROXY=true and bare hop counts, saying what to write instead; takes addresses, CIDR ranges and proxy-addr names', () => {
    expect(() => load({ DATA_DIR: tmp(), TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: "true" would trust any X-Forwarded-For .*TRUST_PROXY=10\.0\.0\.0\/8/);
    expect(() => load({ DATA_DIR: tmp(), TRUST_PROXY: '1' })).toThrow(/TRUST_PROXY: a hop count \("1"\) is not applied/);
    expect(() => load({ DATA_DIR: tmp(), TRUST_PROXY: '10.0.0.0/33' })).toThrow(/"10\.0\.0\.0\/33" is not an IP address/);
    expect(() => load({ DATA_DIR: tmp(), TRUST_PROXY: 'proxy.internal' })).toThrow(/"proxy.internal" is not/);
    expect(load({ DATA_DIR: tmp(), TRUST_PROXY: 'loopback, 10.0.0.0/8, 2001:db8::/32, 192.0.2.10' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', '2001:db8::/32', '192.0.2.10']);
    expect(load({ DATA_DIR: tmp() }).trustProxy).toBe(false);
    for (const wide of ['0.0.0.0/0', '::/0', '10.0.0.0/7']) expect(() => load({ DATA_DIR: tmp(), TRUST_PROXY: wide }), wide).toThrow(/would trust a large part of the internet/);
  });

  it('keeps BASE_URL in one spelling (an upper-case scheme is still https), refuses other schemes, and a request timeout under a second', () => {
    expect(load({ DATA_DIR: tmp(), BASE_URL: 'HTTPS://ID.Example.com/' }).baseUrl).toBe('https://id.example.com');
    expect(() => load({ DATA_DIR: tmp(), BASE_URL: 'ws://id.example.com' })).toThrow(/BASE_URL: must be an http:\/\/ or https:\/\/ URL/);
    expect(load({ DATA_DIR: tmp() }).requestTimeoutMs).toBe(10 * 60_000);
    expect(() => load({ DATA_DIR: tmp(), REQUEST_TIMEOUT: '120' })).toThrow(/REQUEST_TIMEOUT/);
  });

  it('the maintenance sweep runs every 10 minutes unless SWEEP_INTERVAL says otherwise, a duration', () => {
    expect(load({ DATA_DIR: tmp() }).sweepIntervalMs).toBe(10 * 60_000);
    expect(load({ DATA_DIR: tmp(), SWEEP_INTERVAL: '30s' }).sweepIntervalMs).toBe(30_000);
    expect(load({ DATA_DIR: tmp(), SWEEP_INTERVAL: '250' }).sweepIntervalMs).toBe(250);
    expect(() => load({ DATA_DIR: tmp(), SWEEP_INTERVAL: 'hourly' })).toThrow(/SWEEP_INTERVAL: "hourly" is not a duration/);
    expect(() => load({ DATA_DIR: tmp(), SWEEP_INTERVAL: '0' })).toThrow(/SWEEP_INTERVAL/);
  });

  it('parses durations', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('365d')).toBe(365 * 86_400_000);
    expect(parseDuration('1500')).toBe(1500);
    expect(parseDuration('1.5h')).toBeNull();
  });
});
