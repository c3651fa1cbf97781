/**
 * A Bastion node for the bench: `node --import tsx src/main.ts` as a child process on a fresh
 * SQLite file under a temporary DATA_DIR (development: generated secrets, the dev inbox), with
 * METRICS_TOKEN and TRUST_PROXY=loopback (the bench is the proxy: X-Forwarded-For names the client),
 * and accounts made through its own HTTP API as a person would: sign-up, the emailed link, a
 * restricted sign-in, then the authenticator app (TOTP, codes from Bastion's own otp.ts).
 */
import { randomBytes } from 'node:crypto';
import type autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { decodeBase32, totp, totpStep } from '../../src/factors/totp/otp.ts';
import { freePort, HOST, startChild, track, type Child } from './children.ts';
import { Client, expectStatus } from './http.ts';

export const PASSWORD = 'violet-harbor-compass-91';
export const SESSION_COOKIE = 'bastion_session';
export const DEVICE_COOKIE = 'bastion_device';

/** A client address from 198.18.0.0/15 (RFC 2544's benchmarking range), one per account. */
export const clientIp = (index: number) => `198.18.${(index >> 8) & 255}.${index & 255}`;
/** An attacker's address: anywhere in 198.19.0.0/16. */
export const randomAttackerIp = () => `198.19.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;

export interface BastionNode {
  child: Child;
  url: string;
  dataDir: string;
  /** The text of the newest mail to an address (the dev inbox, read from its table). */
  mail(to: string, subject?: RegExp): Promise<string>;
  /** A number read from the node's database (read-only), e.g. a count of outbox rows. */
  scalar(sql: string): number;
  /** Bastion's own metrics (GET /metrics with METRICS_TOKEN): every sample, by name and labels. */
  metrics(): Promise<Map<string, number>>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Write a CPU profile (node --cpu-prof) into this folder when the node stops. */
  profileDir?: string | undefined;
  env?: Record<string, string>;
  /** An existing DATA_DIR (its bastion.db and secrets), e.g. one `bastion seed` filled; removed at stop like a fresh one. */
  dataDir?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fresh, empty DATA_DIR for a node. */
export const newDataDir = () => mkdtempSync(join(tmpdir(), 'bastion-bench-'));

/** The settings a node of the bench runs with, beside its port and secrets: also what `bastion seed` needs to fill its database. */
export const nodeEnv = (dataDir: string) => ({ NODE_ENV: 'development', DATA_DIR: dataDir, DATABASE_URL: `sqlite:${join(dataDir, 'bastion.db')}` });

export async function startBastion(options: StartOptions = {}): Promise<BastionNode> {
  const dataDir = options.dataDir ?? newDataDir();
  const port = await freePort();
  const url = `http://${HOST}:${port}`;
  const token = randomBytes(24).toString('hex');
  const child = track(
    await startChild({
      name: 'Bastion',
      args: ['--import', 'tsx', ...(options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : []), 'src/main.ts'],
      env: {
        ...nodeEnv(dataDir),
        HOST,
        PORT: String(port),
        BASE_URL: url,
        METRICS_TOKEN: token,
        TRUST_PROXY: 'loopback',
        LOG_LEVEL: 'warn',
        ...options.env,
      },
      port,
      readyPath: '/readyz',
    }),
  );
  let inbox: Database.Database | undefined;
  const readOnly = () => (inbox ??= new Database(join(dataDir, 'bastion.db'), { readonly: true, fileMustExist: true }));
  return {
    child,
    url,
    dataDir,
    async mail(to, subject) {
      const query = readOnly().prepare<[string], { subject: string; text: string }>('select subject, text from dev_mail where recipient = ? order by created_at desc');
      const deadline = Date.now() + 30_000;
      for (;;) {
        const found = query.all(to).find((m) => !subject || subject.test(m.subject));
        if (found) return found.text;
        if (Date.now() > deadline) throw new Error(`no mail to ${to}${subject ? ` matching ${subject}` : ''} within 30 s`);
        await sleep(100);
      }
    },
    scalar(sql) {
      return Number(readOnly().prepare(sql).pluck().get());
    },
    async metrics() {
      const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
      const samples = new Map<string, number>();
      for (const line of (await response.text()).split('\n')) {
        const match = /^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
        if (match) samples.set(match[1]!, Number(match[2]));
      }
      return samples;
    },
    async stop() {
      inbox?.close();
      await child.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Password hashes a node computed so far, by operation (bastion_password_hashes_total). */
export async function passwordHashes(node: BastionNode): Promise<{ hash: number; verify: number; dummy: number; total: number }> {
  const m = await node.metrics();
  const of = (op: string) => m.get(`bastion_password_hashes_total{op="${op}"}`) ?? 0;
  const counts = { hash: of('hash'), verify: of('verify'), dummy: of('dummy') };
  return { ...counts, total: counts.hash + counts.verify + counts.dummy };
}

export interface Account {
  index: number;
  email: string;
  password: string;
  /** Its address (X-Forwarded-For), the same for every request of this account. */
  ip: string;
  /** The browser that signed up: it holds the device cookie (a known device) and, once enrolled, a full session. */
  client: Client;
  /** The authenticator app's secret, once enrolled, and the last step a code was used for. */
  secret?: Uint8Array;
  lastStep?: number;
}

/** Signs up and verifies by the emailed link: the browser becomes a known device of the account. */
export async function verifiedAccount(node: BastionNode, index: number, prefix: string): Promise<Account> {
  const email = `${prefix}-${index}@bench.example.com`;
  const ip = clientIp(index);
  const client = new Client(node.url, { 'x-forwarded-for': ip, 'user-agent': 'bastion-bench' });
  expectStatus(await client.post('/api/auth/register', { email, password: PASSWORD, acceptTerms: true }), 202, 'sign-up');
  const text = await node.mail(email, /verif/i);
  const token = /verify-email\?token=([A-Za-z0-9_-]+)/.exec(text)?.[1];
  if (!token) throw new Error(`no verification link in the mail to ${email}`);
  expectStatus(await client.post('/api/auth/verify-email', { token }), 200, 'email verification');
  return { index, email, password: PASSWORD, ip, client };
}

/** A TOTP code the server takes now for this account (a step after the last one used: now's, or the next one), or null when both it allows were used. */
export function codeNow(account: Account): string | null {
  if (!account.secret) throw new Error(`${account.email} has no authenticator app`);
  const current = totpStep(Date.now());
  // Never the step before now: by the time the server checks, that one may be out of its window.
  const step = Math.max(current, (account.lastStep ?? -Infinity) + 1);
  if (step > current + 1) return null;
  account.lastStep = step;
  return totp(account.secret, step * 30_000);
}

/** The next TOTP code the server will take, waiting for the next step when both it allows now were used. */
export async function nextCode(account: Account): Promise<string> {
  for (;;) {
    const code = codeNow(account);
    if (code !== null) return code;
    await sleep((totpStep(Date.now()) + 1) * 30_000 - Date.now() + 50);
  }
}

/** Signs in with the password (restricted: no second factor yet) and enrolls the authenticator app. */
export async function enrollTotp(account: Account): Promise<Account> {
  const { client } = account;
  const login = expectStatus(await client.post('/api/auth/login', { email: account.email, password: account.password }), 200, 'restricted sign-in');
  if (JSON.stringify(login.body.next) !== '["enroll_2fa"]') throw new Error(`sign-in of a new account answered next=${JSON.stringify(login.body.next)}`);
  const setup = expectStatus(await client.post('/api/me/2fa/totp/setup'), 200, 'TOTP setup');
  account.secret = decodeBase32(setup.body.secret as string);
  expectStatus(await client.post('/api/me/2fa/totp/confirm', { code: await nextCode(account) }), 200, 'TOTP confirm');
  return account;
}

export interface SignInTiming {
  ok: boolean;
  ms: number;
  /** The error code of a refusal (attempt_in_progress, invalid_credentials…). */
  error?: string;
  /** Whether the password was checked (the first step answered 200 or 401): a hash was computed. */
  hashed: boolean;
}

/** A full sign-in, as a person on their known device: the password, then the authenticator app's `code`. */
export async function fullSignIn(account: Account, code: string): Promise<SignInTiming> {
  const client = new Client(account.client.base, account.client.headers);
  const device = account.client.jar.cookies.get(DEVICE_COOKIE);
  if (device) client.jar.cookies.set(DEVICE_COOKIE, device);
  const started = performance.now();
  const login = await client.post('/api/auth/login', { email: account.email, password: account.password });
  if (login.status !== 200) return { ok: false, ms: performance.now() - started, error: String(login.body?.error ?? login.status), hashed: login.status === 401 };
  const verify = await client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'totp', code });
  const ms = performance.now() - started;
  const ok = verify.status === 200 && verify.body?.user !== undefined && client.jar.cookies.has(SESSION_COOKIE);
  return ok ? { ok, ms, hashed: true } : { ok, ms, error: String(verify.body?.error ?? verify.body?.next ?? verify.status), hashed: true };
}

/** A password sign-in for the next account in turn, from its address and known device. */
export function passwordSteps(accounts: readonly Account[]): autocannon.Request[] {
  let next = 0;
  return [
    {
      method: 'POST',
      path: '/api/auth/login',
      setupRequest: (request) => {
        const a = accounts[next++ % accounts.length]!;
        return {
          ...request,
          headers: { ...request.headers, 'content-type': 'application/json', 'x-forwarded-for': a.ip, cookie: `${DEVICE_COOKIE}=${a.client.jar.cookies.get(DEVICE_COOKIE)}` },
          body: JSON.stringify({ email: a.email, password: a.password }),
        };
      },
    },
  ];
}
