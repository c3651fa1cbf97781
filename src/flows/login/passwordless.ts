/**
 * "Sign in with a passkey": no email, no password. The browser is given a challenge bound to it by a
 * cookie; it answers with a discoverable passkey and its user handle, which names the account. A
 * passkey with user verification is both factors (something you have, unlocked by something you
 * are or know). It goes through the same first-factor sequence as a password (first-factor.ts):
 * every refusal (unknown, foreign or disabled credential, bad signature, no user verification) gets
 * the wrong-password answer and counts toward the password lock of the account the response names.
 * New-device confirmation applies as after a password. A frozen account is never unlocked this
 * way: that takes the password too.
 */
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { frozenError, unfreezeAllowedAt } from '../../account/freeze.ts';
import { isKnownDevice } from '../../account/devices.ts';
import { riskSignals } from '../../account/risk.ts';
import { isStaffLocked, staffLockedError } from '../../account/staff-lock.ts';
import type { User } from '../../account/users.ts';
import { perIpKey, type ClientInfo } from '../../client/client-info.ts';
import type { AuthenticationCredential } from '../../contracts/passkeys.ts';
import { hashToken, randomToken } from '../../crypto/tokens.ts';
import type { Deps } from '../../deps.ts';
import { forbidden } from '../../errors/app-error.ts';
import { requestOptions } from '../../factors/passkey/ceremonies.ts';
import { assertLiveChallenge, challengeExpired, consumeChallenge } from '../../factors/passkey/challenges.ts';
import { invalidCredentials } from '../../factors/prove.ts';
import { inTransaction } from '../../store/database.ts';
import { enforceRateLimit } from '../../throttle/limits.ts';
import type { SignedIn } from './complete.ts';
import { confirmOrComplete, type ConfirmationAsked } from './device-confirmation.ts';
import { IP_LIMIT_MESSAGE, limitSignInsFromIp, proveFirstFactor, recordRefusal } from './first-factor.ts';
import { createFlow } from './flows.ts';

/** The login page asks for options on every visit (for autofill): a roomier budget than attempts have. */
const OPTIONS_LIMIT_FACTOR = 3;

const boundTo = (binding: string) => `browser:${hashToken(binding)}`;

/** Options for a discoverable sign-in, and the cookie value that binds its challenge to this browser. */
export async function passwordlessOptions(deps: Deps, client: ClientInfo): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; binding: string }> {
  const { limit, windowMs } = deps.config.loginIpLimit;
  await enforceRateLimit(deps.throttle, perIpKey('passkey-options-ip', client), { limit: limit * OPTIONS_LIMIT_FACTOR, windowMs }, IP_LIMIT_MESSAGE);
  const binding = randomToken(32);
  const options = await requestOptions(deps, deps.store.db, { purpose: 'passwordless', boundTo: boundTo(binding), userId: null, allow: [], userVerification: 'required' });
  return { options, binding };
}

/**
 * The account a response names, by its user handle: a discoverable credential must return one
 * (WebAuthn §7.2), and the passkey used must then belong to that account (assertion.ts).
 */
async function namedAccount(deps: Deps, credential: AuthenticationCredential): Promise<User | undefined> {
  const handle = credential.response.userHandle;
  if (!handle) return undefined;
  return deps.store.db.selectFrom('users').selectAll().where('webauthn_user_id', '=', handle).executeTakeFirst();
}

export interface PasswordlessResult {
  result: SignedIn | ConfirmationAsked;
  /** The sign-in flow (for a new-device confirmation) and the cookie that binds it to this browser. */
  flowId: string;
  flowBinding: string;
}

type Outcome = { kind: 'done'; value: PasswordlessResult } | { kind: 'frozen' } | { kind: 'staff_locked' };

export async function passwordlessSignIn(
  deps: Deps,
  input: { credential: AuthenticationCredential; binding: string | undefined; deviceCookie: string | undefined },
  client: ClientInfo,
): Promise<PasswordlessResult> {
  const { clock } = deps;
  await limitSignInsFromIp(deps, client);
  if (!input.binding) throw challengeExpired();
  const bound = boundTo(input.binding);
  const challenge = await assertLiveChallenge(deps.store.db, input.credential.response.clientDataJSON, 'passwordless', bound, clock.now());

  const user = await namedAccount(deps, input.credential);
  if (!user) {
    // A response naming no account counts against nobody; its challenge is used up all the same.
    await inTransaction(deps.store.db, async (tx) => {
      await consumeChallenge(tx, challenge, 'passwordless', bound, clock.now());
      await recordRefusal(deps, tx, { factor: 'passkey', user: undefined, client, reason: 'passkey_unknown', result: 'passkey_refused' });
    });
    throw invalidCredentials();
  }
  const knownDevice = await isKnownDevice(deps, user.id, input.deviceCookie);
  const signals = await riskSignals(deps, user.id, client);

  const outcome = await proveFirstFactor<Outcome>(deps, {
    factor: 'passkey',
    email: user.email,
    user,
    client,
    answer: { credential: input.credential },
    boundTo: bound,
    refused: (why) => ({ reason: `passkey_${why ?? 'refused'}`, result: 'passkey_refused' }),
    onSuccess: async (tx) => {
      if (isStaffLocked(user)) {
        await recordRefusal(deps, tx, { factor: 'passkey', user, client, reason: 'staff_lock', result: 'locked' });
        return { kind: 'staff_locked' };
      }
      // A frozen account is unlocked only with the password, a strong factor and the inbox.
      if (user.frozen_at !== null) {
        await recordRefusal(deps, tx, { factor: 'passkey', user, client, reason: 'frozen', result: 'frozen' });
        return { kind: 'frozen' };
      }
      const { flowId, binding, flow } = await createFlow(tx, { userId: user.id, state: 'second_factor', now: clock.now(), client, passwordless: true });
      const result = await confirmOrComplete(deps, tx, { user, flow, method: 'passkey', client, signals, knownDevice, deviceCookie: input.deviceCookie });
      return { kind: 'done', value: { result, flowId, flowBinding: binding } };
    },
  });
  if (outcome.kind === 'done') return outcome.value;
  if (outcome.kind === 'staff_locked') throw staffLockedError();
  if (clock.now() < unfreezeAllowedAt(deps, user)) throw frozenError(deps, user);
  throw forbidden('password_required', 'You locked this account. To unlock it, sign in with your password and your passkey.');
}
