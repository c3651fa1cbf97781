/**
 * `bastion keys rotate`: re-encrypts every sealed value (TOTP secrets, anti-phishing codes, identity
 * details, the keys of identity photos and 2FA-reset selfies, queued email bodies, the OpenID Connect
 * signing keys) under the newest key of ENCRYPTION_KEYS, so that older keys can be retired. Each
 * value is opened under its own context and written back only if it is still the value read (a row
 * changed meanwhile is left to the next run); running it again changes nothing. Put the new key
 * first in ENCRYPTION_KEYS, run this, check it says nothing is left, then remove the old key.
 */
import { Command } from 'commander';
import { run, type WithDeps } from './run.ts';

export function keysCommand(withDeps: WithDeps, out: (s: string) => void): Command {
  const keys = new Command('keys').description('the encryption keys of ENCRYPTION_KEYS');
  keys
    .command('rotate')
    .description('re-encrypt every sealed value under the first (newest) key of ENCRYPTION_KEYS, so older keys can be removed')
    // The work is loaded when the command runs, so `bastion --help` loads none of it.
    .action(() => run(withDeps, out, async (deps) => (await import('./keys-rotation.ts')).rotateKeys(deps, out)));
  return keys;
}
