/**
 * Adding a passkey from a signed-in session: options (discoverable, user verification required,
 * no attestation), then the browser's response. A passkey may be an account's first and only
 * second factor (from the restricted session of the mandatory enrollment); once the account has a
 * strong factor, adding one needs step-up; any addition but the first holds withdrawals.
 */
import { randomBytes } from 'node:crypto';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import type { Deps } from '../../deps.ts';
import { AppError, badRequest, conflict } from '../../errors/app-error.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import { inTransaction, type Tx } from '../../store/database.ts';
import { factorAdded, requireStepUpToAddFactor, type FactorAdded } from '../enrollment.ts';
import { securityChanged } from '../../account/security-change.ts';
import { userActor } from '../../audit/audit.ts';
import type { Session } from '../../account/sessions.ts';
import type { User } from '../../account/users.ts';
import { authenticatorName } from './authenticators.ts';
import { creationOptions, verifyCreation } from './ceremonies.ts';
import { assertLiveChallenge, challengeExpired, consumeChallenge } from './challenges.ts';
import { findPasskeyByCredentialId, insertPasskey, listPasskeys, toPublicPasskey, type PublicPasskey } from './credentials.ts';
import type { RegistrationCredential } from '../../contracts/passkeys.ts';

const ceremony = (user: User, session: Session) => ({ purpose: 'register' as const, boundTo: `session:${session.id}`, userId: user.id });

/** The account's WebAuthn user handle, made on first use: random, so authenticators learn nothing about the account. */
async function userHandle(deps: Deps, user: User): Promise<string> {
  if (user.webauthn_user_id) return user.webauthn_user_id;
  const handle = randomBytes(32).toString('base64url');
  await deps.store.db.updateTable('users').set({ webauthn_user_id: handle }).where('id', '=', user.id).where('webauthn_user_id', 'is', null).execute();
  const current = await deps.store.db.selectFrom('users').select('webauthn_user_id').where('id', '=', user.id).executeTakeFirstOrThrow();
  return current.webauthn_user_id ?? handle;
}

export async function registrationOptions(deps: Deps, user: User, session: Session): Promise<PublicKeyCredentialCreationOptionsJSON> {
  await requireStepUpToAddFactor(deps, user, session);
  return creationOptions(deps, deps.store.db, {
    ...ceremony(user, session),
    userHandle: await userHandle(deps, user),
    userName: user.email,
    exclude: await listPasskeys(deps.store.db, user.id),
  });
}

const passkeyExists = () => conflict('passkey_exists', 'This passkey is already registered.');
const rejected = (why = 'Your device did not create a usable passkey.') => badRequest('passkey_rejected', `${why} Try again, or use another device.`);

export interface PasskeyAdded extends FactorAdded {
  passkey: PublicPasskey;
}

export async function addPasskey(
  deps: Deps,
  user: User,
  session: Session,
  input: { credential: RegistrationCredential; name?: string | undefined; deviceCookie: string | undefined },
  client: ClientInfo,
): Promise<PasskeyAdded> {
  await requireStepUpToAddFactor(deps, user, session);
  const { purpose, boundTo } = ceremony(user, session);
  const now = deps.clock.now();
  const challenge = await assertLiveChallenge(deps.store.db, input.credential.response.clientDataJSON, purpose, boundTo, now);
  const created = await verifyCreation(deps, input.credential, challenge);
  if (!created) throw rejected();
  // Sign-in without a password needs a discoverable credential; the browser says when it is not.
  if (input.credential.clientExtensionResults.credProps?.rk === false) throw rejected('This passkey cannot be used to sign in without a password.');

  try {
    return await inTransaction(deps.store.db, async (tx: Tx) => {
      if ((await consumeChallenge(tx, challenge, purpose, boundTo, now)) === null) throw challengeExpired();
      if (await findPasskeyByCredentialId(tx, created.credentialId)) throw passkeyExists();
      // The mandatory first enrollment holds nothing (there is nothing to withdraw yet); any other addition does.
      const first = session.restricted === 1;
      const device = deps.describeDevice(client.userAgent);
      const name = input.name ?? authenticatorName(created.aaguid) ?? `Passkey on ${device}`.slice(0, 64);
      const row = await insertPasskey(tx, { userId: user.id, credential: created, name, now });
      const added = await factorAdded(deps, tx, { user, session, method: 'passkey', deviceCookie: input.deviceCookie, client });
      await securityChanged(deps, tx, {
        kind: 'passkey_added',
        subject: user,
        actor: userActor(user.id),
        client,
        firstFactor: first,
        alert: { name, device },
        data: { passkeyId: row.id, aaguid: created.aaguid, backedUp: created.backedUp, firstFactor: first },
      });
      return { ...added, passkey: toPublicPasskey(row) };
    });
  } catch (error) {
    // Two registrations of one credential at once: the unique index lets one win.
    if (!(error instanceof AppError) && (await findPasskeyByCredentialId(deps.store.db, created.credentialId))) throw passkeyExists();
    throw error;
  }
}
