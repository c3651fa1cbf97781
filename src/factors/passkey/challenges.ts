/**
 * WebAuthn challenges: random, single-use, 5 minutes, and bound to what asked for them (a session,
 * a sign-in flow, a browser, a reset link). Only their SHA-256 is stored; a response is matched to
 * its challenge through the challenge the browser signed in its client data.
 */
import { decodeClientDataJSON } from '@simplewebauthn/server/helpers';
import { badRequest } from '../../errors/app-error.ts';
import { hashToken } from '../../crypto/tokens.ts';
import type { Db, Tx } from '../../store/database.ts';
import type { WebauthnChallengesTable } from '../../store/schema.ts';

export const CHALLENGE_TTL_MS = 5 * 60_000;

export type ChallengePurpose = WebauthnChallengesTable['purpose'];

export const challengeExpired = () =>
  badRequest('challenge_expired', 'This passkey request has expired or was already used. Try again.');

export async function storeChallenge(
  tx: Db | Tx,
  input: { challenge: string; purpose: ChallengePurpose; boundTo: string; userId: string | null; now: number },
): Promise<void> {
  await tx.deleteFrom('webauthn_challenges').where('expires_at', '<', input.now).execute();
  await tx
    .insertInto('webauthn_challenges')
    .values({
      challenge_hash: hashToken(input.challenge),
      purpose: input.purpose,
      bound_to: input.boundTo,
      user_id: input.userId,
      created_at: input.now,
      expires_at: input.now + CHALLENGE_TTL_MS,
    })
    .execute();
}

/** The challenge a response signed, read from its client data; null when it cannot be read. */
export function signedChallenge(clientDataJSON: string): string | null {
  try {
    const challenge = decodeClientDataJSON(clientDataJSON).challenge;
    return typeof challenge === 'string' && challenge.length > 0 && challenge.length <= 512 ? challenge : null;
  } catch {
    return null;
  }
}

const live = (db: Db | Tx, challenge: string, purpose: ChallengePurpose, boundTo: string, now: number) =>
  db
    .selectFrom('webauthn_challenges')
    .select('challenge_hash')
    .where('challenge_hash', '=', hashToken(challenge))
    .where('purpose', '=', purpose)
    .where('bound_to', '=', boundTo)
    .where('expires_at', '>', now);

/** Throws challenge_expired unless the response answers a live challenge of this purpose and binding. */
export async function assertLiveChallenge(db: Db | Tx, clientDataJSON: string, purpose: ChallengePurpose, boundTo: string, now: number): Promise<string> {
  const challenge = signedChallenge(clientDataJSON);
  if (challenge === null || !(await live(db, challenge, purpose, boundTo, now).executeTakeFirst())) throw challengeExpired();
  return challenge;
}

/** Uses up the challenge: when it was issued, or null when it is gone (used by a parallel request, or expired). */
export async function consumeChallenge(tx: Tx, challenge: string, purpose: ChallengePurpose, boundTo: string, now: number): Promise<number | null> {
  const deleted = await tx
    .deleteFrom('webauthn_challenges')
    .where('challenge_hash', '=', hashToken(challenge))
    .where('purpose', '=', purpose)
    .where('bound_to', '=', boundTo)
    .where('expires_at', '>', now)
    .returning('created_at')
    .executeTakeFirst();
  return deleted ? Number(deleted.created_at) : null;
}
