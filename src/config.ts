/**
 * Bastion's configuration: one typed object, read from the environment (and an optional .env file),
 * validated at start. A bad setting stops the process with a message naming the setting.
 * The README's settings table mirrors `settings` below.
 */
import { isIP } from 'node:net';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { loadOrCreateSecrets } from './crypto/secrets-file.ts';
import { loadOrCreateDepositKeys } from './crypto/deposit-keys-file.ts';
import { parseAssets, type Asset } from './ledger/assets.ts';
import { depositAddress } from './wallet/watch-only.ts';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "10m", "1h", "365d" or plain milliseconds → milliseconds. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * UNITS[match[2] ?? 'ms']!;
}

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === null || ms <= 0) {
        ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration such as 30s, 10m, 1h or 7d` });
        return z.NEVER;
      }
      return ms;
    });

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { message: 'must be true or false' })
    .optional()
    .transform((v) => (v === undefined ? fallback : ['true', '1', 'yes', 'on'].includes(v)));

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined));

const positiveInt = (fallback: number) => z.coerce.number({ message: 'must be a number' }).int().positive().default(fallback);

/** Every setting, with its default. Keep in step with the README table. */
const settings = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('localhost'),
  PORT: z.coerce.number({ message: 'must be a number' }).int().min(0).max(65535).default(3000),
  BASE_URL: optionalText.pipe(z.url({ message: 'must be an absolute URL such as https://id.example.com' }).optional()),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: optionalText.refine((v) => v === undefined || /^(sqlite:|postgres(ql)?:\/\/)/.test(v), {
    message: 'must start with sqlite: (e.g. sqlite:./data/bastion.db) or postgres://',
  }),
  SESSION_SECRET: optionalText.refine((v) => v === undefined || v.length >= 32, { message: 'must be at least 32 characters' }),
  // The pepper of emailed and backup codes' HMACs: a secret of its own, so the session secret alone cannot test guesses.
  CODE_PEPPER: optionalText.refine((v) => v === undefined || v.length >= 32, { message: 'must be at least 32 characters' }),
  // The audit chain's key (audit/chain-keys.ts): kept out of the database, so rows cannot be rewritten and re-chained there.
  AUDIT_KEY: optionalText.refine((v) => v === undefined || v.length >= 32, { message: 'must be at least 32 characters' }),
  ENCRYPTION_KEYS: optionalText,
  SMTP_URL: optionalText.refine((v) => v === undefined || /^smtps?:\/\//.test(v), { message: 'must start with smtp:// or smtps://' }),
  MAIL_FROM: z.string().default('Bastion <no-reply@localhost>'),
  REDIS_URL: optionalText.refine((v) => v === undefined || /^rediss?:\/\//.test(v), { message: 'must start with redis:// or rediss://' }),
  TLS: z.enum(['off', 'self-signed'], { message: 'must be off or self-signed' }).default('off'),
  TLS_CERT: optionalText,
  TLS_KEY: optionalText,
  TRUST_PROXY: optionalText,
  TRUSTED_ORIGINS: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT: positiveInt(64 * 1024),
  APP_NAME: z.string().min(1).default('Bastion'),
  // The terms of service: where they are (the sign-up page links there) and which version is current.
  TERMS_URL: optionalText.pipe(z.url({ protocol: /^https?$/, message: 'must be an absolute URL such as https://example.com/terms (http: or https: only)' }).optional()),
  TERMS_VERSION: z.string().trim().regex(/^[A-Za-z0-9._-]{1,32}$/, { message: 'must be 1 to 32 letters, digits, dots, dashes or underscores' }).default('1'),
  SESSION_IDLE_TIMEOUT: duration('1h'),
  SESSION_ABSOLUTE_LIFETIME: duration('24h'),
  STEP_UP_MAX_AGE: duration('10m'),
  PASSWORD_REQUIRE_COMPOSITION: flag(false),
  LOGIN_IP_LIMIT: positiveInt(100),
  LOGIN_IP_WINDOW: duration('15m'),
  MAIL_POLL_INTERVAL: duration('1s'),
  // The maintenance sweep (server.ts): one node at a time, whichever takes the turn.
  SWEEP_INTERVAL: duration('10m'),
  NEW_DEVICE_CONFIRMATION: z.enum(['always', 'risky', 'off'], { message: 'must be always, risky or off' }).default('always'),
  ACTIVITY_RETENTION: duration('365d'),
  FREEZE_COOLDOWN: duration('24h'),
  WITHDRAWAL_HOLD: duration('24h'),
  STAFF_STEP_UP_MAX_AGE: duration('15m'),
  TWO_FA_RESET_DELAY: duration('48h'),
  ASSETS: optionalText,
  PRICE_MAX_AGE: duration('24h'),
  WHITELIST_ADDRESS_DELAY: duration('24h'),
  WHITELIST_OFF_DELAY: duration('24h'),
  BITCOIN_TESTNET: flag(false),
  // Production only: allow an http:// BASE_URL (cookies then travel in the clear).
  ALLOW_INSECURE_BASE_URL: flag(false),
  // The Swagger UI at /api/docs: on by default except in production (/api/openapi.json is always served).
  API_DOCS: z.enum(['on', 'off']).optional(),
  // GET /metrics: off unless one of these is set (a bearer token on the main port, or a port of its own).
  METRICS_TOKEN: optionalText.refine((v) => v === undefined || v.length >= 32, { message: 'must be at least 32 characters' }),
  METRICS_PORT: z.coerce.number({ message: 'must be a number' }).int().min(1).max(65535).optional(),
  // A request whose headers and body have not all arrived by then is answered 408 and closed.
  REQUEST_TIMEOUT: duration('10m').refine((ms) => ms >= 1000, { message: 'must be at least 1s' }),
  TRADE_FEE_BPS: z.coerce.number().int().min(0).max(1000).default(50),
  // Withdrawals in USD per rolling 24 hours by identity level, "level:usd" pairs; a level not listed (0) cannot withdraw.
  WITHDRAWAL_DAILY_LIMITS: z
    .string()
    .default('1:100000')
    .transform((text, ctx) => {
      const limits = new Map<number, bigint>();
      for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
        const match = /^(\d{1,2}):(\d{1,15})(?:\.(\d{1,2}))?$/.exec(pair);
        if (!match) {
          ctx.addIssue({ code: 'custom', message: `"${pair}" is not level:usd, e.g. 1:100000` });
          return z.NEVER;
        }
        limits.set(Number(match[1]), BigInt(match[2]!) * 100n + BigInt((match[3] ?? '').padEnd(2, '0')));
      }
      return limits;
    }),
  DEPOSIT_XPUB_BTC: optionalText,
  DEPOSIT_XPUB_EVM: optionalText,
  TWO_FA_RESET_WITHDRAWAL_HOLD: duration('48h'),
  KYC_STORAGE_DIR: optionalText,
  KYC_RETENTION: duration('1825d'),
  KYC_REJECTED_RETENTION: duration('90d'),
  WALLET_RPC_ORIGINS: optionalText,
  WEBAUTHN_RP_ID: optionalText,
  WEBAUTHN_ORIGINS: optionalText,
});

export type Settings = z.infer<typeof settings>;

/** Custody settings: the assets, and the deposit keys (checked by deriving an address from each). */
function custodyConfig(s: Settings, dataDir: string): Config['custody'] {
  const fail = (message: string): never => {
    throw new ConfigError(`Invalid configuration:\n  ${message}`);
  };
  let assets: Asset[] = [];
  try {
    assets = parseAssets(s.ASSETS);
  } catch (error) {
    fail((error as Error).message);
  }
  const given = s.DEPOSIT_XPUB_BTC !== undefined && s.DEPOSIT_XPUB_EVM !== undefined;
  if (!given && (s.DEPOSIT_XPUB_BTC !== undefined || s.DEPOSIT_XPUB_EVM !== undefined)) fail('DEPOSIT_XPUB_BTC and DEPOSIT_XPUB_EVM: set both, or neither (development makes throwaway ones)');
  const depositKeys = given ? { bitcoin: s.DEPOSIT_XPUB_BTC!, evm: s.DEPOSIT_XPUB_EVM! } : loadOrCreateDepositKeys(dataDir);
  for (const [name, network, key] of [['DEPOSIT_XPUB_BTC', 'bitcoin', depositKeys.bitcoin], ['DEPOSIT_XPUB_EVM', 'ethereum', depositKeys.evm]] as const) {
    try {
      depositAddress(network, key, 0);
    } catch (error) {
      fail(`${name}: ${(error as Error).message}`);
    }
  }
  return {
    assets,
    priceMaxAgeMs: s.PRICE_MAX_AGE,
    tradeFeeBps: s.TRADE_FEE_BPS,
    depositKeys,
    generatedDepositKeys: !given,
    whitelistAddressDelayMs: s.WHITELIST_ADDRESS_DELAY,
    whitelistOffDelayMs: s.WHITELIST_OFF_DELAY,
    bitcoinTestnet: s.BITCOIN_TESTNET,
    dailyLimitCents: s.WITHDRAWAL_DAILY_LIMITS,
  };
}

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  baseUrl: string;
  /** Origins allowed to send state-changing requests with a session cookie. */
  trustedOrigins: string[];
  dataDir: string;
  databaseUrl: string;
  sessionSecret: string;
  /** The pepper of emailed and backup codes' HMACs (CODE_PEPPER). */
  codePepper: string;
  /** The audit chain's HMAC and checkpoint-signing keys derive from it (AUDIT_KEY). */
  auditKey: string;
  /** Key id → 32-byte AES key; the first entry encrypts, all decrypt. */
  encryptionKeys: { id: string; key: Buffer }[];
  smtpUrl: string | undefined;
  mailFrom: string;
  redisUrl: string | undefined;
  tls: { mode: 'off' } | { mode: 'self-signed' } | { mode: 'files'; certFile: string; keyFile: string };
  /** The proxies whose X-Forwarded-For is believed (addresses, CIDR ranges, proxy-addr names), or none. */
  trustProxy: false | string[];
  logLevel: Settings['LOG_LEVEL'];
  bodyLimit: number;
  /** How long a request may take to arrive whole (headers and body) before it is answered 408. */
  requestTimeoutMs: number;
  /** Serve the Swagger UI at /api/docs (API_DOCS; off in production unless asked for). */
  apiDocs: boolean;
  /** GET /metrics: with `token`, on the main port behind `Authorization: Bearer <token>`; with `port`, on a listener of its own (HOST). */
  metrics: { token: string | undefined; port: number | undefined };
  appName: string;
  /** The terms of service (TERMS_URL, in development the built-in placeholder at /terms) and their current version (TERMS_VERSION). */
  terms: { url: string; version: string; placeholder: boolean };
  session: { idleTimeoutMs: number; absoluteLifetimeMs: number; stepUpMaxAgeMs: number };
  passwordRequireComposition: boolean;
  loginIpLimit: { limit: number; windowMs: number };
  mailPollIntervalMs: number;
  /** How often a node offers to run the maintenance sweep (one node at a time runs it). */
  sweepIntervalMs: number;
  /** When a sign-in must be confirmed from the inbox: every new device, only risky sign-ins, or never. */
  newDeviceConfirmation: 'always' | 'risky' | 'off';
  activityRetentionMs: number;
  /** How long an account frozen by its owner stays frozen before the owner may unfreeze it. */
  freezeCooldownMs: number;
  /** How long withdrawals are held after a security change. */
  withdrawalHoldMs: number;
  /** How recent a strong factor must be for any staff route. */
  staffStepUpMaxAgeMs: number;
  /** Lost 2FA: how long an approved reset waits before it is carried out, and how long withdrawals are held after it. */
  twoFactorReset: { delayMs: number; withdrawalHoldMs: number };
  /**
   * Custody: the assets (ASSETS or the defaults), how old a price may be for a quote, the trading fee
   * in basis points, and the platform's extended public keys deposit addresses derive from.
   */
  custody: {
    assets: Asset[];
    priceMaxAgeMs: number;
    tradeFeeBps: number;
    depositKeys: { bitcoin: string; evm: string };
    generatedDepositKeys: boolean;
    /** A new whitelisted address is usable this long after its confirmation; turning whitelist-only off waits this long. */
    whitelistAddressDelayMs: number;
    whitelistOffDelayMs: number;
    /** Accept Bitcoin testnet addresses (tb1…, m/n/2…): for a test installation only. */
    bitcoinTestnet: boolean;
    /** Withdrawals per rolling 24 hours, in US cents, by identity level (a level absent here cannot withdraw). */
    dailyLimitCents: Map<number, bigint>;
  };
  /**
   * Identity documents: where the encrypted files live, and how long they are kept after the
   * decision (verified; rejected) before they are crypto-shredded.
   */
  kyc: { storageDir: string; verifiedRetentionMs: number; rejectedRetentionMs: number };
  /** JSON-RPC origins the DeFi Wallet page may call from the browser (added to the CSP connect-src). */
  walletRpcOrigins: string[];
  /**
   * Passkeys: the relying party id (a domain) and the page origins allowed to use its credentials.
   * rpId is null when Bastion is served on an IP address and no WEBAUTHN_RP_ID is set: no passkeys.
   */
  webauthn: { rpId: string | null; rpName: string; origins: string[] };
  /** Where secrets were generated, when they were (first start in development). */
  generatedSecretsFile: string | undefined;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `  ${issue.path.join('.') || '(environment)'}: ${issue.message}`).join('\n');
}

function parseKeyring(text: string): { id: string; key: Buffer }[] {
  const keys = text.split(',').map((entry) => {
    const [id, b64] = entry.trim().split(':');
    const key = b64 ? Buffer.from(b64, 'base64') : Buffer.alloc(0);
    if (!id || !/^[A-Za-z0-9_-]{1,32}$/.test(id) || key.length !== 32) {
      throw new ConfigError('Invalid configuration:\n  ENCRYPTION_KEYS: must be a comma-separated list of id:base64 entries, each key 32 bytes');
    }
    return { id, key };
  });
  if (new Set(keys.map((k) => k.id)).size !== keys.length) {
    throw new ConfigError('Invalid configuration:\n  ENCRYPTION_KEYS: key ids must be unique');
  }
  return keys;
}

/** The RP ID must be the origin's host or a parent domain of it (WebAuthn §5.1.3), and never an IP address. */
const hostUnder = (host: string, rpId: string) => host === rpId || host.endsWith(`.${rpId}`);
/** Browsers offer WebAuthn only to secure contexts: HTTPS, or localhost. */
const secureOrigin = (url: URL) => url.protocol === 'https:' || url.hostname === 'localhost' || url.hostname.endsWith('.localhost');

function parseWebauthn(s: Settings, baseUrl: string, trustedOrigins: string[]): Config['webauthn'] {
  const fail = (setting: string, message: string) => new ConfigError(`Invalid configuration:\n  ${setting}: ${message}`);
  const rpId = (s.WEBAUTHN_RP_ID ?? new URL(baseUrl).hostname).toLowerCase();
  const ipAddress = /^[\d.]+$/.test(rpId) || rpId.startsWith('[');
  if (ipAddress && !s.WEBAUTHN_RP_ID) return { rpId: null, rpName: s.APP_NAME, origins: [] };
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(rpId) || ipAddress) {
    throw fail(s.WEBAUTHN_RP_ID ? 'WEBAUTHN_RP_ID' : 'BASE_URL', `"${rpId}" cannot be a passkey domain: use a host name such as id.example.com (or localhost), not an IP address`);
  }
  let origins: string[];
  if (s.WEBAUTHN_ORIGINS) {
    origins = s.WEBAUTHN_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean).map((entry) => {
      let url: URL;
      try {
        url = new URL(entry);
      } catch {
        throw fail('WEBAUTHN_ORIGINS', `"${entry}" is not an origin such as https://id.example.com`);
      }
      if (!hostUnder(url.hostname, rpId)) throw fail('WEBAUTHN_ORIGINS', `"${entry}" is not on ${rpId} (WEBAUTHN_RP_ID)`);
      if (!secureOrigin(url)) throw fail('WEBAUTHN_ORIGINS', `"${entry}" must use https: (only localhost may use http:)`);
      return url.origin;
    });
  } else {
    // By default: the Bastion origin and any trusted front-end origin on the same domain, over HTTPS.
    const onDomain = trustedOrigins.filter((o) => hostUnder(new URL(o).hostname, rpId));
    origins = onDomain.filter((o) => secureOrigin(new URL(o)));
    if (onDomain.length === 0) throw fail('WEBAUTHN_RP_ID', `"${rpId}" is not the domain of BASE_URL (${baseUrl}) or a parent of it`);
    // Plain HTTP on a public name (no TLS yet): browsers would refuse passkeys, so there are none.
    if (origins.length === 0) return { rpId: null, rpName: s.APP_NAME, origins: [] };
  }
  return { rpId, rpName: s.APP_NAME, origins };
}

/** proxy-addr's names for address ranges. */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY: the proxies' addresses or CIDR ranges (or proxy-addr's names), comma-separated. `true`
 * (trust every hop: the client writes the left-most X-Forwarded-For entry itself) and a bare hop
 * count (which Fastify 5 does not apply: every client would become the proxy) are refused.
 */
function parseTrustProxy(value: string | undefined): false | string[] {
  if (value === undefined || value === 'false' || value.trim() === '') return false;
  const fix = "write the proxies' addresses or CIDR ranges instead, e.g. TRUST_PROXY=10.0.0.0/8 or TRUST_PROXY=loopback,192.0.2.10";
  if (value === 'true') throw new ConfigError(`Invalid configuration:\n  TRUST_PROXY: "true" would trust any X-Forwarded-For a client writes; ${fix}`);
  if (/^\d+$/.test(value)) throw new ConfigError(`Invalid configuration:\n  TRUST_PROXY: a hop count ("${value}") is not applied by the server (every client would look like the proxy); ${fix}`);
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const width = family === 4 ? 32 : 128;
    const validBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= width);
    // A range as wide as /0 (or anything under /8, /16 for IPv6) would trust the whole internet: as bad as `true`.
    if (family !== 0 && validBits && bits !== undefined && Number(bits) < (family === 4 ? 8 : 16)) {
      throw new ConfigError(`Invalid configuration:\n  TRUST_PROXY: "${entry}" would trust a large part of the internet; ${fix}`);
    }
    if (!PROXY_NAMES.has(entry) && (family === 0 || !validBits || extra !== undefined)) {
      throw new ConfigError(`Invalid configuration:\n  TRUST_PROXY: "${entry}" is not an IP address, a CIDR range or one of loopback, linklocal, uniquelocal; ${fix}`);
    }
  }
  return entries;
}

/**
 * Reads .env (when present in the working directory) into `env` without overriding what is
 * already set, then validates. `loadDotEnv` is false in tests.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: { loadDotEnv?: boolean } = {}): Config {
  if ((options.loadDotEnv ?? true) && existsSync('.env')) process.loadEnvFile('.env');
  const parsed = settings.safeParse(env);
  if (!parsed.success) throw new ConfigError(`Invalid configuration:\n${describeIssues(parsed.error)}`);
  const s = parsed.data;

  if (Boolean(s.TLS_CERT) !== Boolean(s.TLS_KEY)) {
    throw new ConfigError('Invalid configuration:\n  TLS_CERT/TLS_KEY: set both or neither');
  }
  const tls: Config['tls'] = s.TLS_CERT && s.TLS_KEY
    ? { mode: 'files', certFile: s.TLS_CERT, keyFile: s.TLS_KEY }
    : { mode: s.TLS };
  const scheme = tls.mode === 'off' ? 'http' : 'https';
  // One spelling: the scheme and host in lower case (HTTPS://… must still mean Secure cookies and HSTS).
  const givenBase = new URL(s.BASE_URL ?? `${scheme}://localhost:${s.PORT}`);
  if (givenBase.protocol !== 'http:' && givenBase.protocol !== 'https:') throw new ConfigError(`Invalid configuration:\n  BASE_URL: must be an http:// or https:// URL, not ${givenBase.protocol}`);
  const baseUrl = `${givenBase.origin}${givenBase.pathname}`.replace(/\/+$/, '');
  const trustedOrigins = [new URL(baseUrl).origin];
  for (const origin of (s.TRUSTED_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean)) {
    try {
      trustedOrigins.push(new URL(origin).origin);
    } catch {
      throw new ConfigError(`Invalid configuration:\n  TRUSTED_ORIGINS: "${origin}" is not an origin such as https://app.example.com`);
    }
  }

  const walletRpcOrigins: string[] = [];
  for (const entry of (s.WALLET_RPC_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean)) {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    // Exact origins only: connect-src is what keeps an injected script from sending keys anywhere.
    if (!url || !/^https?:\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])(:\d+)?\/?$/.test(entry)) {
      throw new ConfigError(`Invalid configuration:\n  WALLET_RPC_ORIGINS: "${entry}" is not an origin such as https://evm.cronos.org (no paths, no wildcards)`);
    }
    walletRpcOrigins.push(url.origin);
  }

  const webauthn = parseWebauthn(s, baseUrl, trustedOrigins);

  const production = s.NODE_ENV === 'production';
  const dataDir = resolve(s.DATA_DIR);
  if (production) {
    const missing = ['DATABASE_URL', 'SESSION_SECRET', 'CODE_PEPPER', 'AUDIT_KEY', 'ENCRYPTION_KEYS', 'SMTP_URL', 'BASE_URL', 'TERMS_URL', 'DEPOSIT_XPUB_BTC', 'DEPOSIT_XPUB_EVM'].filter(
      (name) => !s[name as keyof Settings],
    );
    if (missing.length > 0) {
      throw new ConfigError(
        `Invalid configuration:\n${missing.map((m) => `  ${m}: required when NODE_ENV=production (nothing is generated in production)`).join('\n')}`,
      );
    }
    if (givenBase.protocol === 'http:' && !s.ALLOW_INSECURE_BASE_URL) {
      throw new ConfigError(
        'Invalid configuration:\n  BASE_URL: must be https:// in production (behind a TLS-terminating proxy the public URL is https anyway); set ALLOW_INSECURE_BASE_URL=true only for a closed test network',
      );
    }
    // The sign-up page links it: in production the real terms, over https like everything users open.
    if (s.TERMS_URL && new URL(s.TERMS_URL).protocol !== 'https:') {
      throw new ConfigError('Invalid configuration:\n  TERMS_URL: must be https:// in production (the page users read the terms of service on)');
    }
  }
  let sessionSecret = s.SESSION_SECRET;
  let codePepper = s.CODE_PEPPER;
  let auditKey = s.AUDIT_KEY;
  let keyringText = s.ENCRYPTION_KEYS;
  let generatedSecretsFile: string | undefined;
  if (!sessionSecret || !keyringText || !codePepper || !auditKey) {
    const stored = loadOrCreateSecrets(dataDir);
    sessionSecret ??= stored.sessionSecret;
    codePepper ??= stored.codePepper;
    auditKey ??= stored.auditKey;
    keyringText ??= stored.encryptionKeys;
    generatedSecretsFile = stored.file;
  }

  return {
    env: s.NODE_ENV,
    host: s.HOST,
    port: s.PORT,
    baseUrl,
    trustedOrigins,
    dataDir,
    databaseUrl: s.DATABASE_URL ?? `sqlite:${resolve(dataDir, 'bastion.db')}`,
    sessionSecret,
    codePepper,
    auditKey,
    encryptionKeys: parseKeyring(keyringText),
    smtpUrl: s.SMTP_URL,
    mailFrom: s.MAIL_FROM,
    redisUrl: s.REDIS_URL,
    tls,
    trustProxy: parseTrustProxy(s.TRUST_PROXY),
    logLevel: s.LOG_LEVEL,
    bodyLimit: s.BODY_LIMIT,
    requestTimeoutMs: s.REQUEST_TIMEOUT,
    apiDocs: (s.API_DOCS ?? (production ? 'off' : 'on')) === 'on',
    metrics: { token: s.METRICS_TOKEN, port: s.METRICS_PORT },
    appName: s.APP_NAME,
    terms: { url: s.TERMS_URL ?? `${baseUrl}/terms`, version: s.TERMS_VERSION, placeholder: s.TERMS_URL === undefined },
    session: {
      idleTimeoutMs: s.SESSION_IDLE_TIMEOUT,
      absoluteLifetimeMs: s.SESSION_ABSOLUTE_LIFETIME,
      stepUpMaxAgeMs: s.STEP_UP_MAX_AGE,
    },
    passwordRequireComposition: s.PASSWORD_REQUIRE_COMPOSITION,
    loginIpLimit: { limit: s.LOGIN_IP_LIMIT, windowMs: s.LOGIN_IP_WINDOW },
    mailPollIntervalMs: s.MAIL_POLL_INTERVAL,
    sweepIntervalMs: s.SWEEP_INTERVAL,
    newDeviceConfirmation: s.NEW_DEVICE_CONFIRMATION,
    activityRetentionMs: s.ACTIVITY_RETENTION,
    freezeCooldownMs: s.FREEZE_COOLDOWN,
    withdrawalHoldMs: s.WITHDRAWAL_HOLD,
    staffStepUpMaxAgeMs: s.STAFF_STEP_UP_MAX_AGE,
    twoFactorReset: { delayMs: s.TWO_FA_RESET_DELAY, withdrawalHoldMs: s.TWO_FA_RESET_WITHDRAWAL_HOLD },
    custody: custodyConfig(s, dataDir),
    kyc: { storageDir: resolve(s.KYC_STORAGE_DIR ?? resolve(dataDir, 'kyc')), verifiedRetentionMs: s.KYC_RETENTION, rejectedRetentionMs: s.KYC_REJECTED_RETENTION },
    walletRpcOrigins,
    webauthn,
    generatedSecretsFile,
  };
}
