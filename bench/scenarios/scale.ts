/**
 * Scale of data: the same three requests against a node whose database `bastion seed` filled with a
 * million accounts and ten million login-activity rows, and against one with a thousandth of that
 * (the same accounts' shape: about ten activity rows each), so only the size differs:
 * the password step of sign-in (POST /api/auth/login on a known device), GET /api/me, and the first
 * page of GET /api/me/activity. Target: each within 20% of its time on the small database.
 * BENCH_SCALE_USERS and BENCH_SCALE_ACTIVITY change the large size (a million and ten million).
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import type autocannon from 'autocannon';
import { decodeBase32 } from '../../src/factors/totp/otp.ts';
import { clientIp, DEVICE_COOKIE, newDataDir, nextCode, nodeEnv, passwordSteps, SESSION_COOKIE, startBastion, type Account, type BastionNode } from '../lib/bastion.ts';
import { ROOT_DIR } from '../lib/children.ts';
import { Client, expectStatus, pool } from '../lib/http.ts';
import { load, median, type LoadResult } from '../lib/load.ts';
import { during, type Step } from '../lib/progress.ts';
import { counts, fmt, percent, table, type Scenario } from '../lib/scenario.ts';

const LARGE = { users: Number(process.env.BENCH_SCALE_USERS ?? 1_000_000), activity: Number(process.env.BENCH_SCALE_ACTIVITY ?? 10_000_000) };
const SMALL = { users: Math.max(200, Math.round(LARGE.users / 1000)), activity: Math.round(LARGE.activity / 1000) };
/** Accounts signed in for the two GETs, and accounts whose password step is measured. */
const SESSIONS = 20;
const PASSWORD_ACCOUNTS = 100;
const READ_CONNECTIONS = 50;
const PASSWORD_CONNECTIONS = 8;

interface Seeded {
  size: { users: number; activity: number };
  dataDir: string;
  run: string;
  password: string;
  secret: string;
  deviceToken: string;
  seconds: number;
  command: string;
}

/** `bastion seed` into a fresh DATA_DIR, as an operator runs it; what it printed. */
async function seed(size: { users: number; activity: number }, s: Step): Promise<Seeded> {
  const dataDir = newDataDir();
  const args = ['bin/bastion.js', 'seed', '--users', String(size.users), '--activity', String(size.activity)];
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT_DIR, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...nodeEnv(dataDir), LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
    const percentDone = /(\d+)%[^\n]*$/.exec(stderr.trimEnd())?.[1];
    if (percentDone) s.note(`${percentDone}%`);
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`bastion seed exited ${code}:\n${stderr}`);
  const field = (pattern: RegExp) => {
    const value = pattern.exec(stdout)?.[1];
    if (!value) throw new Error(`bastion seed did not print ${pattern}:\n${stdout}`);
    return value;
  };
  return {
    size,
    dataDir,
    run: field(/^ {2}email: seed-([0-9a-f]+)-<i>@seed\.invalid$/m),
    password: field(/^ {2}password: (\S+)$/m),
    secret: field(/^ {2}totp secret: ([A-Z2-7]+) /m),
    deviceToken: field(/^ {2}device cookie: bastion_device=([0-9a-f]+)-<i> /m),
    seconds: (performance.now() - started) / 1000,
    command: `NODE_ENV=development DATA_DIR=… DATABASE_URL=sqlite:…/bastion.db node ${args.join(' ')}`,
  };
}

/** Seed account `i` as the bench signs in with it: its own address, its known device's cookie. */
function seedAccount(node: BastionNode, seeded: Seeded, i: number, k: number): Account {
  const client = new Client(node.url, { 'x-forwarded-for': clientIp(k), 'user-agent': 'bastion-bench' });
  client.jar.cookies.set(DEVICE_COOKIE, `${seeded.deviceToken}-${i}`);
  return { index: i, email: `seed-${seeded.run}-${i}@seed.invalid`, password: seeded.password, ip: clientIp(k), client, secret: decodeBase32(seeded.secret) };
}

/** `n` accounts spread evenly over the run's accounts (numbered 1 … users). */
const spread = (users: number, n: number) => Array.from({ length: n }, (_, k) => 1 + Math.floor((k * users) / n));

interface Measured {
  name: string;
  node: BastionNode;
  seeded: Seeded;
  targets: { endpoint: string; connections: number; requests: autocannon.Request[] }[];
}

/** Signs the accounts in (password, then the authenticator app) and builds the three loads. */
async function prepare(name: string, node: BastionNode, seeded: Seeded): Promise<Measured> {
  const sessions = await pool(spread(seeded.size.users, SESSIONS), 4, async (i, k) => {
    const account = seedAccount(node, seeded, i, k);
    const login = expectStatus(await account.client.post('/api/auth/login', { email: account.email, password: account.password }), 200, `${name}: password step`);
    expectStatus(await account.client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'totp', code: await nextCode(account) }), 200, `${name}: authenticator code`);
    const page = expectStatus(await account.client.get('/api/me/activity'), 200, `${name}: activity`);
    if (!Array.isArray(page.body.entries) || page.body.entries.length === 0) throw new Error(`${name}: no activity listed for ${account.email}`);
    return `${SESSION_COOKIE}=${account.client.jar.cookies.get(SESSION_COOKIE)}`;
  });
  const passwordAccounts = spread(seeded.size.users, PASSWORD_ACCOUNTS).map((i, k) => seedAccount(node, seeded, i, SESSIONS + k));
  let nextCookie = 0;
  const get = (path: string): autocannon.Request[] => [{ method: 'GET', path, setupRequest: (r) => ({ ...r, headers: { ...r.headers, cookie: sessions[nextCookie++ % sessions.length]! } }) }];
  return {
    name,
    node,
    seeded,
    targets: [
      {
        endpoint: 'password step (POST /api/auth/login)',
        connections: PASSWORD_CONNECTIONS,
        requests: passwordSteps(passwordAccounts),
      },
      { endpoint: 'GET /api/me', connections: READ_CONNECTIONS, requests: get('/api/me') },
      { endpoint: 'GET /api/me/activity (first page)', connections: READ_CONNECTIONS, requests: get('/api/me/activity') },
    ],
  };
}

export const scale: Scenario = {
  name: 'scale',
  title: `a million accounts: the same requests on a seeded database and a small one`,
  async run(options) {
    const seeded: Seeded[] = [];
    const nodes: BastionNode[] = [];
    try {
      const small = await during(`bastion seed: ${fmt(SMALL.users)} accounts, ${fmt(SMALL.activity)} activity rows`, (s) => seed(SMALL, s), (r) => `${fmt(r.seconds, 1)} s`);
      seeded.push(small);
      const large = await during(`bastion seed: ${fmt(LARGE.users)} accounts, ${fmt(LARGE.activity)} activity rows`, (s) => seed(LARGE, s), (r) => `${fmt(r.seconds, 1)} s`);
      seeded.push(large);
      const sides: Measured[] = [];
      for (const [name, data] of [['small', small], ['large', large]] as const) {
        const node = await during(`start Bastion on the ${name} database`, () => startBastion({ profileDir: options.profileDir, dataDir: data.dataDir }));
        nodes.push(node);
        sides.push(await during(`${name}: ${SESSIONS} seed accounts signed in with password and TOTP`, () => prepare(name, node, data)));
      }
      await during('warm-up (3 s each)', async () => {
        for (const side of sides) for (const t of side.targets) await load({ url: side.node.url, connections: t.connections, duration: 3, requests: t.requests });
      });
      // results[side][target]: each run, sides and targets interleaved.
      const results = sides.map((side) => side.targets.map(() => [] as LoadResult[]));
      for (let run = 1; run <= options.runs; run++) {
        for (const [t] of sides[0]!.targets.entries()) {
          for (const [si, side] of sides.entries()) {
            const target = side.targets[t]!;
            results[si]![t]!.push(
              await during(`run ${run}/${options.runs}: ${side.name}, ${target.endpoint}`, () => load({ url: side.node.url, connections: target.connections, duration: options.duration, requests: target.requests }), (r) => `${fmt(r.rps)} req/s, p99 ${fmt(r.p99, 1)} ms`),
            );
          }
        }
      }
      const med = (rs: LoadResult[]) => ({ rps: median(rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)) });
      const rows = sides[0]!.targets.map((target, t) => {
        const [s, l] = [med(results[0]![t]!), med(results[1]![t]!)];
        // At a fixed number of connections, a request's mean time is connections ÷ throughput.
        const slower = s.rps / l.rps - 1;
        return { endpoint: target.endpoint, connections: target.connections, s, l, slower };
      });
      const answers = (si: number) => counts(results[si]!.flat().reduce<Record<string, number>>((acc, r) => {
        for (const [k, n] of Object.entries(r.statuses)) acc[k] = (acc[k] ?? 0) + n;
        return acc;
      }, {}));
      const body = [
        table(['database', 'accounts', 'activity rows', 'seeded in'], [small, large].map((d, i) => [sides[i]!.name, fmt(d.size.users), fmt(d.size.activity), `${fmt(d.seconds, 1)} s`])),
        '',
        table(
          ['request', 'connections', 'small: req/s', 'p50 / p99 ms', 'large: req/s', 'p50 / p99 ms', 'large slower by'],
          rows.map((r) => [r.endpoint, r.connections, fmt(r.s.rps), `${fmt(r.s.p50, 1)} / ${fmt(r.s.p99, 1)}`, fmt(r.l.rps), `${fmt(r.l.p50, 1)} / ${fmt(r.l.p99, 1)}`, percent(r.slower, 1)]),
        ),
        '',
        `Answers: small ${answers(0)}; large ${answers(1)}. "Slower by" is the mean time per request (connections ÷ throughput) on the large database against the small one; the password step's argon2id hash is the same on both, so what differs is the work beside it (the account's lookup, its lock and device checks, the flow's row).`,
      ].join('\n');
      return {
        commands: [small.command, large.command, ...nodes.map((n) => n.child.command), `autocannon (its API): the password step at ${PASSWORD_CONNECTIONS} connections over ${PASSWORD_ACCOUNTS} seed accounts (each its own address and known device), the GETs at ${READ_CONNECTIONS} connections over ${SESSIONS} sessions; ${options.duration} s per run after a 3 s warm-up, the two databases interleaved run by run`],
        body,
        targets: [
          ...rows.map((r) => ({ text: `${r.endpoint} on the large database within 20% of the small one's time (${percent(r.slower, 1)} slower)`, met: r.slower <= 0.2 })),
          { text: 'every answer 200', met: results.flat(2).every((r) => Object.keys(r.statuses).every((k) => k === '200') && r.errors === 0) },
        ],
        numbers: Object.fromEntries(rows.flatMap((r, t) => [[`smallRps${t}`, r.s.rps], [`largeRps${t}`, r.l.rps]])),
      };
    } finally {
      await during('stop the servers', () => Promise.all(nodes.map((n) => n.stop())));
      for (const data of seeded) rmSync(data.dataDir, { recursive: true, force: true });
    }
  },
};
