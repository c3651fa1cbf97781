/**
 * Under attack: an attacker sends wrong passwords for many accounts from many client addresses
 * (X-Forwarded-For through the trusted proxy, TRUST_PROXY=loopback: a fresh address in
 * 198.19.0.0/16 for each request, so the per-IP limit never binds) as fast as the machine allows,
 * while ten real users sign in with the right password and TOTP from their own addresses and known
 * devices. Measured: the real users' success rate and sign-in time, the attacker's requests per
 * second, and the password hashes the attack caused (Bastion's bastion_password_hashes_total, read
 * at GET /metrics before and after), against what the lockout allows: PASSWORD_LOCKOUT.maxAttempts
 * per attacked account. Each run attacks accounts of its own (a lock lasts longer than the bench).
 */
import type autocannon from 'autocannon';
import { PASSWORD_LOCKOUT } from '../../src/account/locks.ts';
import { codeNow, enrollTotp, fullSignIn, passwordHashes, randomAttackerIp, startBastion, verifiedAccount, type Account, type SignInTiming } from '../lib/bastion.ts';
import { pool } from '../lib/http.ts';
import { addCounts, load, median, percentile, type LoadResult } from '../lib/load.ts';
import { during } from '../lib/progress.ts';
import { counts, fmt, percent, table, type Scenario } from '../lib/scenario.ts';

const REAL_USERS = 10;
const ATTACKED = 100;
const ATTACKER_CONNECTIONS = 64;
/** Account numbers (and so addresses) of the real users and of the attacked accounts. */
const FIRST_REAL = 8192;
const FIRST_ATTACKED = 12_288;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function wrongPasswords(targets: readonly Account[]): autocannon.Request[] {
  return [
    {
      method: 'POST',
      path: '/api/auth/login',
      setupRequest: (request) => ({
        ...request,
        headers: { ...request.headers, 'content-type': 'application/json', 'x-forwarded-for': randomAttackerIp() },
        body: JSON.stringify({ email: targets[Math.floor(Math.random() * targets.length)]!.email, password: `wrong-guess-${Math.random().toString(36).slice(2)}` }),
      }),
    },
  ];
}

/** Each real user signs in again and again (as often as a fresh TOTP code allows) until `until` says stop. */
async function realUsers(users: readonly Account[], stop: () => boolean): Promise<SignInTiming[]> {
  const all: SignInTiming[] = [];
  await Promise.all(
    users.map(async (user) => {
      while (!stop()) {
        const code = codeNow(user);
        if (code === null) {
          await sleep(250);
          continue;
        }
        all.push(await fullSignIn(user, code));
      }
    }),
  );
  return all;
}

export const attack: Scenario = {
  name: 'attack',
  title: 'under attack: wrong passwords for many accounts from many addresses, while ten real users sign in',
  async run(options) {
    const bastion = await during('start Bastion (TRUST_PROXY=loopback)', () => startBastion({ profileDir: options.profileDir }));
    try {
      // Each run has real users of its own: a TOTP code is used once, so users who signed in through one run would wait out the next's first steps.
      const everyone = await during(`${REAL_USERS * options.runs} real users with TOTP (${REAL_USERS} a run)`, () => pool(Array.from({ length: REAL_USERS * options.runs }, (_, i) => FIRST_REAL + i), 5, async (i) => enrollTotp(await verifiedAccount(bastion, i, 'real'))));
      const total = ATTACKED * options.runs;
      const attacked = await during(`${total} accounts to attack (${ATTACKED} a run)`, (s) =>
        pool(Array.from({ length: total }, (_, i) => FIRST_ATTACKED + i), 8, (i) => verifiedAccount(bastion, i, 'attacked'), (n) => s.note(`${n}/${total}`)),
      );
      const duration = options.duration * 2;
      const runs: { attacker: LoadResult; real: SignInTiming[]; attackHashes: number; hashes: Awaited<ReturnType<typeof passwordHashes>> }[] = [];
      for (let r = 0; r < options.runs; r++) {
        const targets = attacked.slice(r * ATTACKED, (r + 1) * ATTACKED);
        const users = everyone.slice(r * REAL_USERS, (r + 1) * REAL_USERS);
        const before = await passwordHashes(bastion);
        let done = false;
        const run = await during(`run ${r + 1}/${options.runs}: attack for ${duration} s at ${ATTACKER_CONNECTIONS} connections, ${REAL_USERS} real users signing in`, async (s) => {
          const real = realUsers(users, () => done);
          const attacker = await load({ url: bastion.url, connections: ATTACKER_CONNECTIONS, duration, requests: wrongPasswords(targets), onTick: (n) => s.note(`${fmt(n)} attacker requests`) });
          done = true;
          return { attacker, real: await real };
        }, (x) => `attacker ${fmt(x.attacker.rps)} req/s; real users ${x.real.filter((t) => t.ok).length}/${x.real.length} signed in`);
        const after = await passwordHashes(bastion);
        const realHashes = run.real.filter((t) => t.hashed).length;
        const delta = { hash: after.hash - before.hash, verify: after.verify - before.verify, dummy: after.dummy - before.dummy, total: after.total - before.total };
        runs.push({ ...run, hashes: delta, attackHashes: delta.total - realHashes });
      }
      const bound = PASSWORD_LOCKOUT.maxAttempts * ATTACKED;
      const real = runs.flatMap((x) => x.real);
      const ok = real.filter((t) => t.ok);
      const failures = real.filter((t) => !t.ok).reduce<Record<string, number>>((acc, t) => addCounts(acc, { [t.error ?? 'unknown']: 1 }), {});
      const attackerRps = median(runs.map((x) => x.attacker.rps));
      const attackHashes = median(runs.map((x) => x.attackHashes));
      const worst = Math.max(...runs.map((x) => x.attackHashes));
      const attackerStatuses = runs.reduce<Record<string, number>>((acc, x) => addCounts(acc, x.attacker.statuses), {});
      const attackerCodes = runs.reduce<Record<string, number>>((acc, x) => addCounts(acc, x.attacker.codes), {});
      const realP99 = percentile(ok.map((t) => t.ms), 99);
      const body = [
        table(
          ['run', 'attacker req/s', 'attacker requests', 'real sign-ins ok', 'real p50 / p99 ms', 'hashes (verify / dummy / hash)', 'hashes the attack caused', 'allowed by the lockout'],
          runs.map((x, i) => {
            const good = x.real.filter((t) => t.ok).map((t) => t.ms);
            return [i + 1, fmt(x.attacker.rps), fmt(x.attacker.total), `${good.length}/${x.real.length}`, `${fmt(percentile(good, 50))} / ${fmt(percentile(good, 99))}`, `${x.hashes.verify} / ${x.hashes.dummy} / ${x.hashes.hash}`, x.attackHashes, bound];
          }),
        ),
        '',
        `Median attacker rate: **${fmt(attackerRps)} req/s**; the attacker's answers: ${counts(attackerStatuses)} (by code: ${counts(attackerCodes)}).`,
        `Real users: **${ok.length} of ${real.length}** sign-ins succeeded (${percent(ok.length, real.length)}), p50 ${fmt(percentile(ok.map((t) => t.ms), 50))} ms, p99 **${fmt(realP99)} ms** over all runs; refusals: ${counts(failures)}.`,
        `Password hashes the attack caused (all hashes counted by bastion_password_hashes_total during the run, less one per real sign-in whose password was checked): median ${attackHashes}, at most ${worst}, for ${ATTACKED} attacked accounts a run: ${fmt(attackHashes / ATTACKED, 2)} per account, the lockout allowing ${PASSWORD_LOCKOUT.maxAttempts}.`,
      ].join('\n');
      return {
        commands: [
          bastion.child.command,
          `autocannon (its API): ${ATTACKER_CONNECTIONS} connections for ${duration} s per run, POST /api/auth/login with a wrong password for one of ${ATTACKED} accounts at random, each request from a random X-Forwarded-For address in 198.19.0.0/16; meanwhile ${REAL_USERS} real users (fetch, from the bench process) sign in with password and TOTP in a loop, each from its own address and known device`,
        ],
        body,
        targets: [
          { text: `real users' sign-ins all succeed, in every run (${ok.length}/${real.length})`, met: runs.every((x) => x.real.length > 0) && ok.length === real.length },
          { text: `the attack buys no more hashes than the lockout allows (${worst} at most, ${bound} allowed for ${ATTACKED} accounts)`, met: worst <= bound },
        ],
        numbers: { attackerRps, realSuccess: real.length > 0 ? ok.length / real.length : 0, realP99, attackHashes, bound },
      };
    } finally {
      await during('stop the server', () => bastion.stop());
    }
  },
};
