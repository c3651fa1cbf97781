/**
 * The full sign-in with TOTP: the password step, then POST /api/auth/login/verify with the
 * authenticator app's code (the flow cookie carried from the first answer), each account on its own
 * address and known device. A code is used once (RFC 6238 §5.2), so each run signs in accounts of
 * its own. Measured: full sign-ins per second and the time of the two steps together, against the
 * machine's argon2id limit (one hash per sign-in) in the same run.
 */
import type autocannon from 'autocannon';
import { codeNow, DEVICE_COOKIE, enrollTotp, startBastion, verifiedAccount, type Account } from '../lib/bastion.ts';
import { pool } from '../lib/http.ts';
import { addCounts, load, median, percentile } from '../lib/load.ts';
import { during } from '../lib/progress.ts';
import { counts, fmt, percent, table, type Scenario } from '../lib/scenario.ts';
import { CONNECTIONS, machineLimit } from '../lib/versus-limit.ts';

const PER_RUN = 150;
/** Accounts of this scenario are numbered from here (their addresses stay clear of the other scenarios'). */
const FIRST = 4096;

interface Flow {
  account?: Account;
  started?: number;
  flow?: string;
  cookie?: string;
}

/**
 * Password, then TOTP, for each account of `accounts` once; `signedIn` gets each full sign-in's time,
 * `attempted.n` counts the codes sent (autocannon stops at its request count, which may fall between
 * a connection's two steps: a password step left without its code is not a sign-in attempted).
 */
function fullSignIns(accounts: readonly Account[], signedIn: number[], refused: Record<string, number>, attempted = { n: 0 }): autocannon.Request[] {
  let next = 0;
  const device = (a: Account) => `${DEVICE_COOKIE}=${a.client.jar.cookies.get(DEVICE_COOKIE)}`;
  return [
    {
      method: 'POST',
      path: '/api/auth/login',
      setupRequest: (request, context: Flow) => {
        const a = accounts[next++ % accounts.length]!;
        Object.assign(context, { account: a, started: performance.now(), flow: undefined, cookie: undefined });
        return { ...request, headers: { ...request.headers, 'content-type': 'application/json', 'x-forwarded-for': a.ip, cookie: device(a) }, body: JSON.stringify({ email: a.email, password: a.password }) };
      },
      onResponse: (status, body, context: Flow, headers) => {
        if (status !== 200) return;
        context.flow = (JSON.parse(body) as { flow: string }).flow;
        const setCookie = ([] as string[]).concat(headers?.['set-cookie'] ?? []);
        context.cookie = setCookie.map((c) => c.split(';')[0]).find((c) => c?.startsWith('bastion_flow='));
      },
    },
    {
      method: 'POST',
      path: '/api/auth/login/verify',
      setupRequest: (request, context: Flow) => {
        const a = context.account;
        const code = a && context.flow && context.cookie ? codeNow(a) : null;
        if (!a || code === null) return null as unknown as autocannon.Request;
        attempted.n++;
        return {
          ...request,
          headers: { ...request.headers, 'content-type': 'application/json', 'x-forwarded-for': a.ip, cookie: `${device(a)}; ${context.cookie}` },
          body: JSON.stringify({ flow: context.flow, method: 'totp', code }),
        };
      },
      onResponse: (status, body, context: Flow) => {
        if (status === 200 && body.includes('"user"')) signedIn.push(performance.now() - context.started!);
        else if (status === 200) refused.confirm_device = (refused.confirm_device ?? 0) + 1;
      },
    },
  ];
}

export const totp: Scenario = {
  name: 'totp',
  title: 'the full sign-in with TOTP',
  async run(options) {
    const bastion = await during('start Bastion', () => startBastion({ profileDir: options.profileDir }));
    try {
      const total = PER_RUN * (options.runs + 1);
      const accounts = await during(`Bastion: ${total} accounts with TOTP (${PER_RUN} a run, and the warm-up's)`, (s) =>
        pool(Array.from({ length: total }, (_, i) => FIRST + i), 8, async (i) => enrollTotp(await verifiedAccount(bastion, i, 'totp')), (n) => s.note(`${n}/${total}`)),
      );
      const slice = (r: number) => accounts.slice(r * PER_RUN, (r + 1) * PER_RUN);
      await during(`warm-up (${PER_RUN} sign-ins)`, () => load({ url: bastion.url, connections: CONNECTIONS, amount: 2 * PER_RUN, requests: fullSignIns(slice(0), [], {}) }));
      const runs: { perSecond: number; p50: number; p99: number; signedIn: number; attempted: number; seconds: number }[] = [];
      const limits: number[] = [];
      let parallel = 0;
      const refused: Record<string, number> = {};
      const statuses: Record<string, number> = {};
      for (let r = 1; r <= options.runs; r++) {
        const l = await during(`run ${r}/${options.runs}: machine limit (argon2id, ${options.duration} s)`, () => machineLimit(options.duration * 1000), (x) => `${fmt(x.perSecond, 1)} hashes/s at ${x.parallel} in parallel`);
        limits.push(l.perSecond);
        parallel = l.parallel;
        const times: number[] = [];
        const sent = { n: 0 };
        const result = await during(
          `run ${r}/${options.runs}: ${PER_RUN} full sign-ins`,
          (s) => load({ url: bastion.url, connections: CONNECTIONS, amount: 2 * PER_RUN, requests: fullSignIns(slice(r), times, refused, sent), onTick: (n) => s.note(`${fmt(n)} requests`) }),
          (x) => `${fmt(times.length / x.seconds, 1)} sign-ins/s`,
        );
        addCounts(refused, result.codes);
        addCounts(statuses, result.statuses);
        runs.push({ perSecond: times.length / result.seconds, p50: percentile(times, 50), p99: percentile(times, 99), signedIn: times.length, attempted: sent.n, seconds: result.seconds });
      }
      const limit = median(limits);
      const perSecond = median(runs.map((x) => x.perSecond));
      const p99 = median(runs.map((x) => x.p99));
      const signedIn = runs.reduce((s, x) => s + x.signedIn, 0);
      const attempted = runs.reduce((s, x) => s + x.attempted, 0);
      const body = [
        table(
          ['what', 'per second (median)', 'of the limit', 'p50 ms', 'p99 ms', 'each run', 'signed in'],
          [
            [`machine limit: argon2id, ${parallel} at a time`, fmt(limit, 1), '100%', '', '', limits.map((x) => fmt(x, 1)).join(' / '), ''],
            ['Bastion: password, then TOTP (two requests)', fmt(perSecond, 1), percent(perSecond, limit), fmt(median(runs.map((x) => x.p50))), fmt(p99), runs.map((x) => fmt(x.perSecond, 1)).join(' / '), `${signedIn} of ${attempted} codes sent`],
          ],
        ),
        '',
        `Answers by status (both steps): ${counts(statuses)}. Refusals by code: ${counts(refused)}.`,
      ].join('\n');
      return {
        commands: [
          bastion.child.command,
          `node --import tsx bench/servers/hash-limit.ts with PARALLEL=${parallel} DURATION_MS=${options.duration * 1000}`,
          `autocannon (its API): ${CONNECTIONS} connections, ${2 * PER_RUN} requests a run (${PER_RUN} accounts, each once: POST /api/auth/login then POST /api/auth/login/verify with the flow cookie and a TOTP code), after a warm-up of ${PER_RUN} other accounts`,
        ],
        body,
        targets: [{ text: `every full sign-in attempted succeeds (${signedIn} of ${attempted}; attempt_in_progress: ${refused.attempt_in_progress ?? 0})`, met: attempted > 0 && signedIn === attempted }],
        numbers: { limit, perSecond, p99, signedIn },
      };
    } finally {
      await during('stop the server', () => bastion.stop());
    }
  },
};
