/**
 * GET /api/me (Bastion's session guard and account summary) against better-auth's get-session and a
 * bare Fastify route (the ceiling), each at 50 connections, each session cookie a real one made
 * through the server's own API. Targets: ≥ 10× better-auth, p99 < 10 ms, ≥ 25% of bare Fastify.
 */
import type autocannon from 'autocannon';
import { enrollTotp, SESSION_COOKIE, startBastion, verifiedAccount } from '../lib/bastion.ts';
import { betterAuthAccount, startBareFastify, startBetterAuth } from '../lib/comparisons.ts';
import { pool } from '../lib/http.ts';
import { addCounts, load, median, type LoadResult } from '../lib/load.ts';
import { during } from '../lib/progress.ts';
import { counts, fmt, percent, ratio, table, type Scenario } from '../lib/scenario.ts';

const CONNECTIONS = 50;
const SESSIONS = 20;

/** GET `path` with each request carrying the next of `cookies`. */
function rotating(path: string, cookies: string[]): autocannon.Request[] {
  let next = 0;
  return [{ method: 'GET', path, setupRequest: (request) => ({ ...request, headers: { ...request.headers, cookie: cookies[next++ % cookies.length]! } }) }];
}

export const me: Scenario = {
  name: 'me',
  title: 'GET /api/me against better-auth get-session and bare Fastify',
  async run(options) {
    const bastion = await during('start Bastion', () => startBastion({ profileDir: options.profileDir }));
    const betterAuth = await during('start better-auth', () => startBetterAuth());
    const bare = await during('start bare Fastify', () => startBareFastify());
    try {
      const bastionCookies = await during(`Bastion: ${SESSIONS} accounts with TOTP, signed in`, (s) =>
        pool(Array.from({ length: SESSIONS }, (_, i) => i), 4, async (i) => {
          const account = await enrollTotp(await verifiedAccount(bastion, i, 'me'));
          return `${SESSION_COOKIE}=${account.client.jar.cookies.get(SESSION_COOKIE)}`;
        }, (n) => s.note(`${n}/${SESSIONS}`)),
      );
      const betterAuthCookies = await during(`better-auth: ${SESSIONS} accounts, signed in`, () =>
        pool(Array.from({ length: SESSIONS }, (_, i) => i), 4, async (i) => (await betterAuthAccount(betterAuth, i, 'me')).cookie),
      );
      const targets = [
        { name: 'Bastion GET /api/me', url: bastion.url, requests: rotating('/api/me', bastionCookies) },
        { name: 'better-auth GET /api/auth/get-session', url: betterAuth.url, requests: rotating('/api/auth/get-session', betterAuthCookies) },
        { name: 'bare Fastify GET /api/me', url: bare.url, requests: [{ method: 'GET', path: '/api/me' }] as autocannon.Request[] },
      ];
      await during('warm-up (3 s each)', async () => {
        for (const t of targets) await load({ url: t.url, connections: CONNECTIONS, duration: 3, requests: t.requests });
      });
      const results = targets.map(() => [] as LoadResult[]);
      for (let run = 1; run <= options.runs; run++) {
        for (const [i, t] of targets.entries()) {
          const result = await during(`run ${run}/${options.runs}: ${t.name}`, (s) =>
            load({ url: t.url, connections: CONNECTIONS, duration: options.duration, requests: t.requests, onTick: (n) => s.note(`${fmt(n)} requests`) }),
            (r) => `${fmt(r.rps)} req/s, p99 ${fmt(r.p99, 1)} ms`,
          );
          results[i]!.push(result);
        }
      }
      const summary = results.map((rs) => ({ rps: median(rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)), runs: rs }));
      const [b, ba, bf] = summary as [(typeof summary)[0], (typeof summary)[0], (typeof summary)[0]];
      const statuses = (rs: LoadResult[]) => counts(rs.reduce<Record<string, number>>((acc, r) => addCounts(acc, r.statuses), {}));
      const body = [
        table(
          ['server', 'req/s (median)', 'p50 ms', 'p99 ms', 'each run (req/s)', 'answers'],
          targets.map((t, i) => [t.name, fmt(summary[i]!.rps), fmt(summary[i]!.p50, 1), fmt(summary[i]!.p99, 1), summary[i]!.runs.map((r) => fmt(r.rps)).join(' / '), statuses(summary[i]!.runs)]),
        ),
        '',
        `Bastion ÷ better-auth: **${ratio(b.rps, ba.rps)}**; Bastion ÷ bare Fastify: **${percent(b.rps, bf.rps)}**; better-auth ÷ bare Fastify: ${percent(ba.rps, bf.rps)}.`,
      ].join('\n');
      return {
        commands: [
          bastion.child.command,
          betterAuth.child.command,
          bare.command,
          `autocannon (its API, from the bench process): ${CONNECTIONS} connections, pipelining 1, ${options.duration} s per run after a 3 s warm-up, targets interleaved run by run; Bastion and better-auth each rotate over ${SESSIONS} session cookies of accounts made through their own API`,
        ],
        body,
        targets: [
          { text: `≥ 10× better-auth's get-session (${ratio(b.rps, ba.rps)})`, met: b.rps >= 10 * ba.rps },
          { text: `p99 < 10 ms at ${CONNECTIONS} connections (${fmt(b.p99, 1)} ms)`, met: b.p99 < 10 },
          { text: `≥ 25% of bare Fastify (${percent(b.rps, bf.rps)})`, met: b.rps >= 0.25 * bf.rps },
          { text: 'every answer 200', met: summary.every((s) => s.runs.every((r) => Object.keys(r.statuses).every((k) => k === '200') && r.errors === 0)) },
        ],
        numbers: { bastionRps: b.rps, bastionP99: b.p99, betterAuthRps: ba.rps, betterAuthP99: ba.p99, bareRps: bf.rps, bareP99: bf.p99 },
      };
    } finally {
      await during('stop the servers', () => Promise.all([bastion.stop(), betterAuth.stop(), bare.stop()]));
    }
  },
};
