/**
 * "Sign in with a passkey": no email, no password. The browser is given a challenge bound to it by a
 * cookie; it answers with a discoverable passkey and its user handle, which names the account. A
 * passkey with user verification is both factors (something you have, unlocked by something you
 * are or know). Every refusal (unknown, foreign or disabled credential, bad signature, no user
 * verification) gets the same 401 as a wrong password, and counts toward the password lockout of
 * the account the response names. New-device confirmation applies as after a password. A frozen
 * account is never unlocked this way: that takes the password too.
 */
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { Deps } from '../../deps.ts';
import { hashToken, randomToken } from '../../crypto/tokens.ts';
import { forbidden } from '../../errors/app-error.ts';
import type { ClientInfo } from '../../http/request-context.ts';
import { inTransaction, type Tx } from '../../store/database.ts';
import { enforceRateLimit } from '../../throttle/limits.ts';
import type { SignedIn } from './complete.ts';
import { confirmOrComplete, type ConfirmationAsked } from './device-confirmation.ts';
import { createFlow } from './flows.ts';
import { invalidCredentials } from './service.ts';
import { recordAttempt } from '../../account/activity.ts';
import { isKnownDevice } from '../../account/devices.ts';
import { frozenError, unfreezeAllowedAt } from '../../account/freeze.ts';
import { riskSignals } from '../../account/risk.ts';
import { accountLockedUntil, assertReserved, lockedError, notifyLocked, passwordKey, PASSWORD_LOCKOUT } from '../../account/locks.ts';
import type { User } from '../../account/users.ts';
import { useAssertion } from '../../factors/passkey/assertion.ts';
import { requestOptions } from '../../factors/passkey/ceremonies.ts';
import { assertLiveChallenge, challengeExpired, consumeChallenge } from '../../factors/passkey/challenges.ts';
import type { AuthenticationCredential } from '../../factors/passkey/schemas.ts';

/** The login page asks for options on every visit (for autofill): a roomier budget than attempts have. */
const OPTIONS_LIMIT_FACTOR = 3;

const boundTo = (binding: string) => `browser:${hashToken(binding)}`;
const ipMessage = 'Too many sign-in attempts from your network. Try again later.';

/** Options for a discoverable sign-in, and the cookie value that binds its challenge to this browser. */
export async function passwordlessOptions(deps: Deps, client: ClientInfo): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; binding: string }> {
  const { limit, windowMs } = deps.config.loginIpLimit;
  await enforceRateLimit(deps.throttle, `passkey-options-ip:${client.ip}`, { limit: limit * OPTIONS_LIMIT_FACTOR, windowMs }, ipMessage);
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

export async function passwordlessSignIn(
  deps: Deps,
  input: { credential: AuthenticationCredential; binding: string | undefined; deviceCookie: string | undefined },
  client: ClientInfo,
): Promise<PasswordlessResult> {
  const { throttle, clock, config } = deps;
  await enforceRateLimit(throttle, `login-ip:${client.ip}`, config.loginIpLimit, ipMessage);
  if (!input.binding) throw challengeExpired();
  const ceremony = { purpose: 'passwordless' as const, boundTo: boundTo(input.binding), userId: null };
  const challenge = await assertLiveChallenge(deps.store.db, input.credential.response.clientDataJSON, ceremony.purpose, ceremony.boundTo, clock.now());
  const audit = (tx: Tx, userId: string | null, reason: string) =>
    deps.audit.record(tx, { type: 'login.failed', userId, ip: client.ip, userAgent: client.userAgent, data: { reason, method: 'passkey' } });

  const user = await namedAccount(deps, input.credential);
  if (!user) {
    await inTransaction(deps.store.db, async (tx) => {
      await consumeChallenge(tx, challenge, ceremony.purpose, ceremony.boundTo, clock.now());
      await audit(tx, null, 'passkey_unknown');
    });
    throw invalidCredentials();
  }
  const lockedUntil = await accountLockedUntil(deps, user.email, user);
  if (lockedUntil !== null) {
    await inTransaction(deps.store.db, async (tx) => {
      await audit(tx, user.id, 'locked');
      await recordAttempt(deps, tx, { userId: user.id, client, result: 'locked', method: 'passkey' });
    });
    throw lockedError(lockedUntil, clock.now());
  }
  assertReserved(await throttle.acquire(passwordKey(user.email), PASSWORD_LOCKOUT), clock.now());
  const knownDevice = await isKnownDevice(deps, user.id, input.deviceCookie);
  const signals = await riskSignals(deps, user.id, client);

  const outcome = await inTransaction(deps.store.db, async (tx) => {
    const used = await useAssertion(deps, tx, { credential: input.credential, challenge, ceremony, ownerId: user.id, requireUserVerification: true, client });
    if (!used.ok) return { kind: 'refused' as const, reason: used.reason };
    // A frozen account is unlocked only with the password, a strong factor and the inbox.
    if (user.frozen_at !== null) {
      await audit(tx, user.id, 'frozen');
      await recordAttempt(deps, tx, { userId: user.id, client, result: 'frozen', method: 'passkey' });
      return { kind: 'frozen' as const };
    }
    const { flowId, binding, flow } = await createFlow(tx, { userId: user.id, state: 'second_factor', now: clock.now(), client, passwordless: true });
    const result = await confirmOrComplete(deps, tx, { user, flow, method: 'passkey', client, signals, knownDevice, deviceCookie: input.deviceCookie });
    return { kind: 'done' as const, value: { result, flowId, flowBinding: binding } };
  });

  if (outcome.kind === 'done') {
    await throttle.succeed(passwordKey(user.email));
    return outcome.value;
  }
  if (outcome.kind === 'frozen') {
    await throttle.succeed(passwordKey(user.email));
    if (clock.now() < unfreezeAllowedAt(deps, user)) throw frozenError(deps, user);
    throw forbidden('password_required', 'You locked this account. To unlock it, sign in with your password and your passkey.');
  }
  const failed = await throttle.fail(passwordKey(user.email), PASSWORD_LOCKOUT);
  await inTransaction(deps.store.db, async (tx) => {
    await audit(tx, user.id, `passkey_${outcome.reason}`);
    await recordAttempt(deps, tx, { userId: user.id, client, result: 'passkey_refused', method: 'passkey' });
    if (failed.locked) await notifyLocked(deps, tx, user, failed.lockedUntil, 'password', client);
  });
  if (failed.locked) throw lockedError(failed.lockedUntil, clock.now());
  throw invalidCredentials();
}
