/**
 * Using a passkey, inside the caller's transaction: the challenge is used up, the credential must
 * belong to the expected account and be enabled, the signature must verify, and the signature
 * counter must move forwards.
 *
 * Counter rules (WebAuthn §6.1.1): an authenticator that counts never repeats or goes back. Two
 * honest uses can still arrive out of order (two tabs, a retry), so a response to a challenge
 * issued before the last accepted one is only refused as stale. A response to a newer challenge
 * whose counter did not move forwards means the key may have been copied: that passkey is disabled,
 * every session of the account ends (the copy may have made one), withdrawals are held, the event
 * is recorded and the owner emailed.
 */
import type { Deps } from '../../deps.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import type { Tx } from '../../store/database.ts';
import { securityChanged } from '../../account/security-change.ts';
import { SYSTEM } from '../../audit/audit.ts';
import { findUserById, lockUser } from '../../account/users.ts';
import { consumeChallenge } from './challenges.ts';
import { verifyUse, type Ceremony } from './ceremonies.ts';
import { findPasskeyByCredentialId, type Passkey } from './credentials.ts';
import type { AuthenticationCredential } from '../../contracts/passkeys.ts';

export type AssertionResult =
  | { ok: true; passkey: Passkey; userVerified: boolean }
  | { ok: false; reason: 'challenge' | 'unknown' | 'disabled' | 'signature' | 'stale' | 'counter'; passkey?: Passkey };

export async function useAssertion(
  deps: Deps,
  tx: Tx,
  input: {
    credential: AuthenticationCredential;
    challenge: string;
    ceremony: Ceremony;
    /** The account the passkey must belong to. */
    ownerId: string;
    requireUserVerification: boolean;
    client: ClientInfo;
  },
): Promise<AssertionResult> {
  const now = deps.clock.now();
  const { ceremony } = input;
  const issuedAt = await consumeChallenge(tx, input.challenge, ceremony.purpose, ceremony.boundTo, now);
  if (issuedAt === null) return { ok: false, reason: 'challenge' };
  // The account row first, then its passkeys: the order every change to factors takes (no deadlock).
  await lockUser(tx, deps.store.dialect, input.ownerId);
  const passkey = await findPasskeyByCredentialId(tx, input.credential.id);
  if (!passkey || passkey.user_id !== input.ownerId) return { ok: false, reason: 'unknown' };
  if (passkey.disabled_at !== null) return { ok: false, reason: 'disabled', passkey };
  const used = await verifyUse(deps, input.credential, input.challenge, passkey, input.requireUserVerification);
  if (!used) return { ok: false, reason: 'signature', passkey };

  const stored = Number(passkey.counter);
  const lastChallengeAt = passkey.last_challenge_at === null ? null : Number(passkey.last_challenge_at);
  const counts = stored > 0 || used.counter > 0;
  if (counts && used.counter <= stored) {
    if (lastChallengeAt !== null && issuedAt <= lastChallengeAt) return { ok: false, reason: 'stale', passkey };
    await disableCopiedPasskey(deps, tx, passkey, { stored, received: used.counter }, input.client);
    return { ok: false, reason: 'counter', passkey };
  }
  // Compare-and-set: of two uses racing with the same counter, one wins.
  const updated = await tx
    .updateTable('passkeys')
    .set({ counter: used.counter, last_used_at: now, last_challenge_at: Math.max(issuedAt, lastChallengeAt ?? 0), backed_up: used.backedUp ? 1 : 0 })
    .where('id', '=', passkey.id)
    .where('counter', '=', stored)
    .where('disabled_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!updated) return { ok: false, reason: 'signature', passkey };
  return { ok: true, passkey, userVerified: used.userVerified };
}

async function disableCopiedPasskey(deps: Deps, tx: Tx, passkey: Passkey, counters: { stored: number; received: number }, client: ClientInfo): Promise<void> {
  const now = deps.clock.now();
  await tx.updateTable('passkeys').set({ disabled_at: now, disabled_reason: 'counter_regressed' }).where('id', '=', passkey.id).execute();
  const owner = await findUserById(tx, passkey.user_id);
  if (!owner) return;
  await securityChanged(deps, tx, {
    kind: 'passkey_disabled',
    subject: owner,
    actor: SYSTEM,
    client,
    alert: { name: passkey.name },
    data: { passkeyId: passkey.id, reason: 'counter_regressed', storedCounter: counters.stored, receivedCounter: counters.received, sessionsEnded: true },
  });
}
