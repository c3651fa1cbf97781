/**
 * The two WebAuthn ceremonies, with @simplewebauthn/server: making a passkey (registration) and
 * using one (authentication). The relying party id and origins come from config (WEBAUTHN_RP_ID,
 * WEBAUTHN_ORIGINS). Passkeys are discoverable, need user verification when made, carry no
 * attestation, and use EdDSA, ES256 or RS256.
 */
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Deps } from '../../deps.ts';
import { badRequest } from '../../errors/app-error.ts';
import type { Db, Tx } from '../../store/database.ts';
import { CHALLENGE_TTL_MS, storeChallenge, type ChallengePurpose } from './challenges.ts';
import { descriptors, type NewCredential, type Passkey } from './credentials.ts';
import type { AuthenticationCredential, RegistrationCredential } from '../../contracts/passkeys.ts';

/** The relying party, or 400 passkeys_unavailable on an installation served on an IP address. */
export function relyingParty(deps: Deps): { rpId: string; rpName: string; origins: string[] } {
  const { rpId, rpName, origins } = deps.config.webauthn;
  if (rpId === null) throw badRequest('passkeys_unavailable', 'Passkeys are not available here: this site is not served on a domain name.');
  return { rpId, rpName, origins };
}

/** COSE algorithm ids: EdDSA, ES256, RS256. */
export const ALGORITHMS = [-8, -7, -257];

export interface Ceremony {
  purpose: ChallengePurpose;
  /** What the challenge belongs to: "session:<id>", "flow:<id hash>", "browser:<hash>", "reset:<id>". */
  boundTo: string;
  userId: string | null;
}

export async function creationOptions(
  deps: Deps,
  db: Db | Tx,
  input: Ceremony & { userHandle: string; userName: string; exclude: Passkey[] },
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const { rpId, rpName } = relyingParty(deps);
  const options = await generateRegistrationOptions({
    rpName,
    rpID: rpId,
    userName: input.userName,
    userDisplayName: input.userName,
    userID: Buffer.from(input.userHandle, 'base64url'),
    attestationType: 'none',
    excludeCredentials: descriptors(input.exclude) as { id: string }[],
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    supportedAlgorithmIDs: ALGORITHMS,
    timeout: CHALLENGE_TTL_MS,
    extensions: { credProps: true } as never,
  });
  await storeChallenge(db, { challenge: options.challenge, purpose: input.purpose, boundTo: input.boundTo, userId: input.userId, now: deps.clock.now() });
  return options;
}

/** Options to use a passkey: the account's passkeys, or none listed (a discoverable, passwordless sign-in). */
export async function requestOptions(
  deps: Deps,
  db: Db | Tx,
  input: Ceremony & { allow: Passkey[]; userVerification: 'required' | 'preferred' },
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const options = await generateAuthenticationOptions({
    rpID: relyingParty(deps).rpId,
    allowCredentials: descriptors(input.allow) as { id: string }[],
    userVerification: input.userVerification,
    timeout: CHALLENGE_TTL_MS,
  });
  await storeChallenge(db, { challenge: options.challenge, purpose: input.purpose, boundTo: input.boundTo, userId: input.userId, now: deps.clock.now() });
  return options;
}

/** Logs why the library refused a response (for operators; never shown to the user) and answers null. */
function refused(deps: Deps, what: 'registration' | 'assertion', error: unknown, details: Record<string, string> = {}): null {
  deps.log.info({ reason: error instanceof Error ? error.message : String(error), ...details }, `passkey ${what} refused`);
  return null;
}


/** Checks a registration against its challenge; null (with the reason logged) when it fails. */
export async function verifyCreation(deps: Deps, credential: RegistrationCredential, challenge: string): Promise<NewCredential | null> {
  const { rpId, origins } = relyingParty(deps);
  try {
    const result = await verifyRegistrationResponse({
      response: credential as unknown as RegistrationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: origins,
      expectedRPID: rpId,
      requireUserVerification: true,
      supportedAlgorithmIDs: ALGORITHMS,
    });
    if (!result.verified) return null;
    const info = result.registrationInfo;
    return {
      credentialId: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
      counter: info.credential.counter,
      transports: (credential.response.transports ?? []).filter((t) => /^[a-z-]{1,32}$/.test(t)),
      aaguid: info.aaguid,
      backedUp: info.credentialBackedUp,
    };
  } catch (error) {
    return refused(deps, 'registration', error);
  }
}

/**
 * Checks an assertion's signature, origin, RP id and flags against a stored passkey. The stored
 * counter is left to the caller (assertion.ts): a counter that went backwards is a finding to act
 * on, not just a failed check. Returns the new counter, or null (reason logged) when it fails.
 */
export async function verifyUse(
  deps: Deps,
  credential: AuthenticationCredential,
  challenge: string,
  passkey: Passkey,
  requireUserVerification: boolean,
): Promise<{ counter: number; backedUp: boolean; userVerified: boolean } | null> {
  const { rpId, origins } = relyingParty(deps);
  try {
    const result = await verifyAuthenticationResponse({
      response: credential as unknown as AuthenticationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: origins,
      expectedRPID: rpId,
      credential: { id: passkey.credential_id, publicKey: Buffer.from(passkey.public_key, 'base64url'), counter: 0 },
      requireUserVerification,
    });
    if (!result.verified) return null;
    const info = result.authenticationInfo;
    return { counter: info.newCounter, backedUp: info.credentialBackedUp, userVerified: info.userVerified };
  } catch (error) {
    return refused(deps, 'assertion', error, { passkeyId: passkey.id });
  }
}
