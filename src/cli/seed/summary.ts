/** What `bastion seed` prints when done: what it wrote, and how a benchmark signs in as any account it made. */
import { encodeBase32 } from '../../factors/totp/otp.ts';
import { createCookies } from '../../http/cookies.ts';
import type { SeedSummary } from './seed.ts';

const count = (n: number) => n.toLocaleString('en-US');
const deviceCookie = (https: boolean) => createCookies(https).name('device');

export function describeSeed(summary: SeedSummary, where: string, seconds: number): string {
  const { run, counts, patterns, migrated } = summary;
  return [
    ...(migrated.length ? [`applied migrations: ${migrated.join(', ')}`] : []),
    `seeded ${count(counts.users)} accounts and ${count(counts.activity)} login-activity rows into ${where} in ${seconds.toFixed(1)} s`,
    `with them: ${count(counts.backupCodes)} backup codes (hashes of codes no one holds), ${count(counts.devices)} known devices, ${count(counts.sessions)} sessions (their latest sign-ins)`,
    `sign in as account i (1 to ${counts.users}) of run ${run.run}:`,
    `  email: ${patterns.email}`,
    `  password: ${run.password}`,
    `  totp secret: ${encodeBase32(run.totpSecret)} (base32, the same for every account of the run; SHA1, 6 digits, 30 s)`,
    `  device cookie: ${deviceCookie(false)}=${patterns.deviceCookie} (${deviceCookie(true)} over HTTPS): a known device of account i, so no new-device confirmation`,
    '',
  ].join('\n');
}
