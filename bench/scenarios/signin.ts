/**
 * Password sign-in throughput across many accounts (each its own address, through the trusted
 * proxy's X-Forwarded-For, on its known device): Bastion's password step (POST /api/auth/login, an
 * account with TOTP, so the answer is the flow waiting for the second factor) and better-auth's
 * sign-in, against the machine's limit measured in the same run: argon2id verifications, N at a
 * time, in a process of its own. Target: Bastion ≥ 90% of that limit. Refusals that only say an
 * attempt is in flight (429 attempt_in_progress) are counted, never taken for failures.
 */
import type autocannon from 'autocannon';
import { enrollTotp, PASSWORD, passwordSteps, startBastion, verifiedAccount } from '../lib/bastion.ts';
import { betterAuthAccount, startBetterAuth } from '../lib/comparisons.ts';
import { pool } from '../lib/http.ts';
import { during } from '../lib/progress.ts';
import { counts, percent, ratio, type Scenario } from '../lib/scenario.ts';
import { CONNECTIONS, limitCommand, raceAgainstLimit } from '../lib/versus-limit.ts';

const ACCOUNTS = 200;

export const signin: Scenario = {
  name: 'signin',
  title: 'password sign-in across many accounts, against the machine limit',
  async run(options) {
    const bastion = await during('start Bastion', () => startBastion({ profileDir: options.profileDir }));
    const betterAuth = await during('start better-auth', () => startBetterAuth());
    try {
      const accounts = await during(`Bastion: ${ACCOUNTS} accounts with TOTP`, (s) =>
        pool(Array.from({ length: ACCOUNTS }, (_, i) => i), 8, async (i) => enrollTotp(await verifiedAccount(bastion, i, 'signin')), (n) => s.note(`${n}/${ACCOUNTS}`)),
      );
      const baAccounts = await during(`better-auth: ${ACCOUNTS} accounts`, (s) =>
        pool(Array.from({ length: ACCOUNTS }, (_, i) => i), 8, (i) => betterAuthAccount(betterAuth, i, 'signin'), (n) => s.note(`${n}/${ACCOUNTS}`)),
      );
      let next = 0;
      const baSignIns: autocannon.Request[] = [
        {
          method: 'POST',
          path: '/api/auth/sign-in/email',
          setupRequest: (request) => ({
            ...request,
            headers: { ...request.headers, 'content-type': 'application/json', origin: betterAuth.url },
            body: JSON.stringify({ email: baAccounts[next++ % baAccounts.length]!.email, password: PASSWORD }),
          }),
        },
      ];
      const race = await raceAgainstLimit(options, 'sign-ins', [
        { name: 'Bastion POST /api/auth/login', url: bastion.url, requests: passwordSteps(accounts) },
        { name: 'better-auth POST /api/auth/sign-in/email', url: betterAuth.url, requests: baSignIns },
      ]);
      const [b, ba] = race.contenders as [(typeof race.contenders)[0], (typeof race.contenders)[0]];
      const inFlight = b.codes.attempt_in_progress ?? 0;
      const refused = Object.fromEntries(Object.entries(b.statuses).filter(([k]) => k !== '200'));
      return {
        commands: [
          bastion.child.command,
          betterAuth.child.command,
          limitCommand(race, options),
          `autocannon (its API): ${CONNECTIONS} connections, ${options.duration} s per run after a 3 s warm-up; each request the next of ${ACCOUNTS} accounts in turn (Bastion: its own X-Forwarded-For address and device cookie)`,
        ],
        body: [race.table, '', `Bastion ÷ better-auth: ${ratio(b.rps, ba.rps)}. Refusals by code (Bastion): ${counts(b.codes)}; of them "attempt in progress" (429 attempt_in_progress, not a failure): ${inFlight}.`].join('\n'),
        targets: [
          { text: `password sign-in ≥ 90% of the machine's limit (${percent(b.rps, race.limit)})`, met: b.rps >= 0.9 * race.limit },
          { text: `correct passwords never refused as failures (non-200: ${counts(refused)}; attempt_in_progress: ${inFlight})`, met: Object.keys(refused).every((k) => k === '429' && inFlight === refused[k]) },
        ],
        numbers: { limit: race.limit, bastionRps: b.rps, bastionP99: b.p99, betterAuthRps: ba.rps, attemptInProgress: inFlight },
      };
    } finally {
      await during('stop the servers', () => Promise.all([bastion.stop(), betterAuth.stop()]));
    }
  },
};
