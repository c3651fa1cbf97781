/**
 * Sign-up throughput: Bastion's POST /api/auth/register (the password policy and strength check,
 * argon2id, the account, its verification email as an outbox row and the audit event, in one
 * transaction), each from its own address, against better-auth's sign-up (which also signs in) and
 * the machine's argon2id limit, in the same run.
 */
import type autocannon from 'autocannon';
import { clientIp, PASSWORD, startBastion } from '../lib/bastion.ts';
import { startBetterAuth } from '../lib/comparisons.ts';
import { during } from '../lib/progress.ts';
import { counts, ratio, type Scenario } from '../lib/scenario.ts';
import { CONNECTIONS, limitCommand, raceAgainstLimit } from '../lib/versus-limit.ts';

/** Sign-up addresses start here (198.18.128.0 on), clear of the accounts other scenarios make. */
const FIRST_IP = 32_768;

/** POST `path` with a new address each time. */
function newAddresses(path: string, body: (i: number) => object, headers: (i: number) => Record<string, string>): autocannon.Request[] {
  let n = 0;
  return [
    {
      method: 'POST',
      path,
      setupRequest: (request) => {
        const i = n++;
        return { ...request, headers: { ...request.headers, 'content-type': 'application/json', ...headers(i) }, body: JSON.stringify(body(i)) };
      },
    },
  ];
}

export const signup: Scenario = {
  name: 'signup',
  title: 'sign-up throughput (with the outbox row), against better-auth and the machine limit',
  async run(options) {
    const bastion = await during('start Bastion', () => startBastion({ profileDir: options.profileDir }));
    const betterAuth = await during('start better-auth', () => startBetterAuth());
    try {
      const outboxBefore = bastion.scalar('select count(*) from outbox');
      const race = await raceAgainstLimit(options, 'sign-ups', [
        {
          name: 'Bastion POST /api/auth/register',
          url: bastion.url,
          requests: newAddresses('/api/auth/register', (i) => ({ email: `signup-${i}@bench.example.com`, password: PASSWORD, acceptTerms: true }), (i) => ({ 'x-forwarded-for': clientIp(FIRST_IP + i) })),
        },
        {
          name: 'better-auth POST /api/auth/sign-up/email',
          url: betterAuth.url,
          requests: newAddresses('/api/auth/sign-up/email', (i) => ({ email: `signup-${i}@bench.example.com`, password: PASSWORD, name: `Bench ${i}` }), () => ({ origin: betterAuth.url })),
        },
      ]);
      const [b, ba] = race.contenders as [(typeof race.contenders)[0], (typeof race.contenders)[0]];
      // The warm-up's sign-ups count too: every accepted one wrote its outbox row.
      const accepted = bastion.scalar('select count(*) from users');
      const outboxRows = bastion.scalar('select count(*) from outbox') - outboxBefore;
      return {
        commands: [
          bastion.child.command,
          betterAuth.child.command,
          limitCommand(race, options),
          `autocannon (its API): ${CONNECTIONS} connections, ${options.duration} s per run after a 3 s warm-up; every request a new address (Bastion: each from its own X-Forwarded-For address)`,
        ],
        body: [race.table, '', `Bastion ÷ better-auth: ${ratio(b.rps, ba.rps)}. Accounts made (warm-up included): ${accepted}; outbox rows written meanwhile: ${outboxRows} (each sign-up's verification email). Refusals by code (Bastion): ${counts(b.codes)}.`].join('\n'),
        targets: [{ text: `every sign-up accepted (202) with its outbox row (${accepted} accounts, ${outboxRows} outbox rows)`, met: Object.keys(b.statuses).every((k) => k === '202') && outboxRows === accepted }],
        numbers: { limit: race.limit, bastionRps: b.rps, bastionP99: b.p99, betterAuthRps: ba.rps, outboxRows },
      };
    } finally {
      await during('stop the servers', () => Promise.all([bastion.stop(), betterAuth.stop()]));
    }
  },
};
