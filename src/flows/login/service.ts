/**
 * Sign-in: email and password, then a second factor, then a session (the article's steps 2–5).
 *
 * Password step (NIST SP 800-63B §5.2.2, OWASP ASVS V6.3):
 * - every client IP has a sliding-window limit across all accounts (credential stuffing) → 429;
 * - a locked account is answered with its unlock time before any hash is computed;
 * - otherwise one attempt is reserved, then the password checked; unknown emails run a dummy hash,
 *   so status, body and timing are the same as for a wrong password.
 */

import type { Deps } from '../../deps.ts';
import { forbidden, unauthorized } from '../../errors/app-error.ts';
import { dummyVerify, verifyPassword } from '../../crypto/password.ts';
import { hashCode, randomDigits, safeEqual } from '../../crypto/tokens.ts';
import type { ClientInfo } from '../../http/request-context.ts';
import { inTransaction, type Tx } from '../../store/database.ts';
import { availableMethods, STRONG_METHODS, type FactorMethod } from '../../factors/registry.ts';
import { consumeBackup, consumeTotp, withCodeLockout } from '../../factors/prove.ts';
import { factorOptions, passkeyCheck } from '../../factors/passkey/factor.ts';
import type { AuthenticationCredential } from '../../factors/passkey/schemas.ts';
import { createSession, type NewSession } from '../../account/sessions.ts';
import { accountLockedUntil, assertReserved, lockedError, notifyLocked, passwordKey, PASSWORD_LOCKOUT } from '../../account/locks.ts';
import { enforceRateLimit } from '../../throttle/limits.ts';
import { normalizePassword } from '../registration/password-policy.ts';
import { findUserByEmail, findUserById, normalizeEmail, type User } from '../../account/users.ts';
import { recordAttempt } from '../../account/activity.ts';
import { isKnownDevice } from '../../account/devices.ts';
import { frozenError, unfreezeAllowedAt } from '../../account/freeze.ts';
import { riskSignals } from '../../account/risk.ts';
import type { SignedIn } from './complete.ts';
import { askForConfirmation, confirmOrComplete, needsConfirmation, type ConfirmationAsked } from './device-confirmation.ts';
import { createFlow, flowExpired, loadFlow, reserveFlowAttempt, type LoginFlow } from './flows.ts';

export const EMAIL_CODE_TTL_MS = 10 * 60_000;
const EMAIL_CODE_SENDS = { limit: 3, windowMs: 10 * 60_000 };

/** The one answer for every refused sign-in (wrong password, unknown email, refused passkey). */
export const invalidCredentials = () => unauthorized('invalid_credentials', 'The email or password is not right.');

export type LoginNext = FactorMethod | 'enroll_2fa' | 'confirm_device';

export interface PasswordStepResult {
  flowId: string;
  binding: string;
  next: LoginNext[];
  /** For an account with no second factor yet: a session that may only enroll one. */
  restrictedSession?: NewSession;
}

export async function passwordStep(
  deps: Deps,
  input: { email: string; password: string; deviceCookie?: string | undefined },
  client: ClientInfo,
): Promise<PasswordStepResult> {
  const { throttle, clock, config } = deps;
  const email = normalizeEmail(input.email);

  await enforceRateLimit(throttle, `login-ip:${client.ip}`, config.loginIpLimit, 'Too many sign-in attempts from your network. Try again later.');

  const user = await findUserByEmail(deps.store.db, email);
  const lockedUntil = await accountLockedUntil(deps, email, user);
  if (lockedUntil !== null) {
    await inTransaction(deps.store.db, async (tx) => {
      await deps.audit.record(tx, { type: 'login.failed', userId: user?.id ?? null, ip: client.ip, userAgent: client.userAgent, data: { reason: 'locked' } });
      if (user) await recordAttempt(deps, tx, { userId: user.id, client, result: 'locked' });
    });
    throw lockedError(lockedUntil, clock.now());
  }
  assertReserved(await throttle.acquire(passwordKey(email), PASSWORD_LOCKOUT), clock.now());

  // Passwords are stored in their NFKC form (the policy normalises them), so compare that form.
  const password = normalizePassword(input.password);
  const passwordOk = user ? await verifyPassword(user.password_hash, password) : await dummyVerify(password);
  if (!user || !passwordOk) {
    const failed = await throttle.fail(passwordKey(email), PASSWORD_LOCKOUT);
    await inTransaction(deps.store.db, async (tx) => {
      await deps.audit.record(tx, {
        type: 'login.failed',
        userId: user?.id ?? null,
        ip: client.ip,
        userAgent: client.userAgent,
        data: { reason: user ? 'wrong_password' : 'unknown_email' },
      });
      if (user) await recordAttempt(deps, tx, { userId: user.id, client, result: 'wrong_password' });
      if (failed.locked && user) await notifyLocked(deps, tx, user, failed.lockedUntil, 'password', client);
    });
    throw invalidCredentials();
  }
  await throttle.succeed(passwordKey(email));

  if (user.email_verified_at === null) {
    await inTransaction(deps.store.db, (tx) =>
      deps.audit.record(tx, { type: 'login.failed', userId: user.id, ip: client.ip, userAgent: client.userAgent, data: { reason: 'email_not_verified' } }),
    );
    throw forbidden('email_not_verified', 'Verify your email address first. We can send you a new verification email.', {
      resend: { endpoint: '/api/auth/resend-verification', body: { email } },
    });
  }

  if (user.frozen_at !== null && clock.now() < unfreezeAllowedAt(deps, user)) {
    await inTransaction(deps.store.db, async (tx) => {
      await deps.audit.record(tx, { type: 'login.failed', userId: user.id, ip: client.ip, userAgent: client.userAgent, data: { reason: 'frozen' } });
      await recordAttempt(deps, tx, { userId: user.id, client, result: 'frozen' });
    });
    throw frozenError(deps, user);
  }

  // Unfreezing takes a strong factor: only a passkey or the authenticator app is offered. Without one, only
  // support can unlock the account (a password alone must never undo the owner's lock).
  const methods = (await availableMethods(deps.store.db, user.id)).filter((m) => user.frozen_at === null || STRONG_METHODS.has(m));
  if (user.frozen_at !== null && methods.length === 0) {
    await inTransaction(deps.store.db, async (tx) => {
      await deps.audit.record(tx, { type: 'login.failed', userId: user.id, ip: client.ip, userAgent: client.userAgent, data: { reason: 'frozen' } });
      await recordAttempt(deps, tx, { userId: user.id, client, result: 'frozen' });
    });
    throw forbidden('account_frozen', 'You locked this account and it has no passkey or authenticator app to unlock it with. Contact support to unlock it.');
  }
  const now = clock.now();
  const enroll = methods.length === 0;
  // An account without a second factor is claimed by whoever enrolls one first: from a browser the
  // account does not know (not the one that verified the email), the inbox must confirm it first.
  const signals = enroll ? await riskSignals(deps, user.id, client) : [];
  const confirmFirst = enroll && needsConfirmation(config.newDeviceConfirmation, await isKnownDevice(deps, user.id, input.deviceCookie), signals, false);
  return inTransaction(deps.store.db, async (tx) => {
    const { flowId, binding, flow } = await createFlow(tx, { userId: user.id, state: enroll ? 'enroll' : 'second_factor', now, client });
    await deps.audit.record(tx, { type: 'login.password_ok', userId: user.id, ip: client.ip, userAgent: client.userAgent, data: { next: enroll ? 'enroll_2fa' : 'second_factor' } });
    if (!enroll) return { flowId, binding, next: methods };
    if (confirmFirst) {
      await askForConfirmation(deps, tx, { user, flow, method: 'password', client, signals });
      return { flowId, binding, next: ['confirm_device'] as LoginNext[] };
    }
    const restrictedSession = await createSession(deps, tx, { userId: user.id, restricted: true, authMethod: 'password', strong: false, client });
    return { flowId, binding, next: ['enroll_2fa'] as LoginNext[], restrictedSession };
  });
}

/** Emails a 6-digit sign-in code for a flow (replacing any earlier one); sending is rate-limited. */
export async function sendEmailCode(deps: Deps, input: { flowId: string; binding: string | undefined }, client: ClientInfo): Promise<void> {
  const now = deps.clock.now();
  const flow = await loadFlow(deps.store.db, input.flowId, input.binding, now);
  if (flow.state !== 'second_factor') throw flowExpired();
  const owner = await findUserById(deps.store.db, flow.user_id);
  if (!owner) throw flowExpired();
  if (owner.frozen_at !== null) throw forbidden('strong_factor_required', 'To unlock your account, use your passkey or authenticator app.');
  const lockedUntil = await accountLockedUntil(deps, owner.email, owner);
  if (lockedUntil !== null) throw lockedError(lockedUntil, now);
  await enforceRateLimit(deps.throttle, `email-code:${flow.user_id}`, EMAIL_CODE_SENDS, 'A code was sent recently. Check your inbox, or try again shortly.');
  const user = owner;
  const code = randomDigits(6);
  await inTransaction(deps.store.db, async (tx) => {
    await tx
      .updateTable('login_flows')
      .set({ email_code_hash: hashCode(deps.config.sessionSecret, `login-email:${flow.id_hash}`, code), email_code_expires_at: now + EMAIL_CODE_TTL_MS })
      .where('id_hash', '=', flow.id_hash)
      .execute();
    await deps.mail.send(tx, 'login_code', user.email, { code, minutes: EMAIL_CODE_TTL_MS / 60_000 });
    await deps.audit.record(tx, { type: 'mfa.email_code_sent', userId: user.id, ip: client.ip, userAgent: client.userAgent });
  });
}

/** A second factor as the browser sends it: a code, or a passkey's signed response. */
export type FactorInput =
  | { method: Exclude<FactorMethod, 'passkey'>; code: string }
  | { method: 'passkey'; credential: AuthenticationCredential };

const secondFactorCeremony = (flow: LoginFlow) => ({ purpose: 'second_factor' as const, boundTo: `flow:${flow.id_hash}` });

/** The flow this browser is signing in with, while it waits for its second factor. */
async function secondFactorFlow(deps: Deps, flowId: string, binding: string | undefined): Promise<{ flow: LoginFlow; user: User }> {
  const flow = await loadFlow(deps.store.db, flowId, binding, deps.clock.now());
  if (flow.state !== 'second_factor') throw flowExpired();
  const user = await findUserById(deps.store.db, flow.user_id);
  if (!user) throw flowExpired();
  return { flow, user };
}

/** Options for the browser to sign this flow's challenge with one of the account's passkeys. */
export async function passkeyStepOptions(deps: Deps, input: { flowId: string; binding: string | undefined }) {
  const { flow, user } = await secondFactorFlow(deps, input.flowId, input.binding);
  return factorOptions(deps, user, secondFactorCeremony(flow));
}

/** Consumes the emailed sign-in code of a flow (single-use even when two requests race). */
async function consumeEmailCode(deps: Deps, tx: Tx, flow: LoginFlow, code: string): Promise<boolean> {
  const current = await tx.selectFrom('login_flows').select(['email_code_hash', 'email_code_expires_at']).where('id_hash', '=', flow.id_hash).executeTakeFirst();
  if (!current?.email_code_hash || current.email_code_expires_at === null || deps.clock.now() >= current.email_code_expires_at) return false;
  if (!/^\d{6}$/.test(code)) return false;
  if (!safeEqual(current.email_code_hash, hashCode(deps.config.sessionSecret, `login-email:${flow.id_hash}`, code))) return false;
  const cleared = await tx
    .updateTable('login_flows')
    .set({ email_code_hash: null, email_code_expires_at: null })
    .where('id_hash', '=', flow.id_hash)
    .where('email_code_hash', '=', current.email_code_hash)
    .returning('id_hash')
    .executeTakeFirst();
  return cleared !== undefined;
}

/**
 * The second factor. Then either the sign-in completes (a session begins), or, from a new device or
 * with risk signals, it waits for the owner to confirm the device by email (device-confirmation.ts).
 */
export async function secondFactorStep(
  deps: Deps,
  input: { flowId: string; binding: string | undefined; deviceCookie: string | undefined; factor: FactorInput },
  client: ClientInfo,
): Promise<SignedIn | ConfirmationAsked> {
  const now = deps.clock.now();
  const { factor } = input;
  const { flow, user } = await secondFactorFlow(deps, input.flowId, input.binding);
  const lockedUntil = await accountLockedUntil(deps, user.email, user);
  if (lockedUntil !== null) throw lockedError(lockedUntil, now);
  if (user.frozen_at !== null && !STRONG_METHODS.has(factor.method)) {
    throw forbidden('strong_factor_required', 'To unlock your account, use your passkey or authenticator app.');
  }
  const check =
    factor.method === 'passkey'
      ? await passkeyCheck(deps, { user, ceremony: secondFactorCeremony(flow), credential: factor.credential, client })
      : (tx: Tx): Promise<boolean> => {
          switch (factor.method) {
            case 'totp':
              return consumeTotp(deps, tx, user, factor.code);
            case 'backup_code':
              return consumeBackup(deps, tx, user, factor.code, client);
            case 'email_code':
              return consumeEmailCode(deps, tx, flow, factor.code);
          }
        };
  await reserveFlowAttempt(deps.store.db, flow);
  const knownDevice = await isKnownDevice(deps, user.id, input.deviceCookie);
  const signals = await riskSignals(deps, user.id, client);

  return withCodeLockout<SignedIn | ConfirmationAsked>(
    deps,
    user,
    client,
    factor.method,
    check,
    (tx) => confirmOrComplete(deps, tx, { user, flow, method: factor.method, client, signals, knownDevice, deviceCookie: input.deviceCookie }),
    (tx) => recordAttempt(deps, tx, { userId: user.id, client, result: 'wrong_code', method: factor.method }),
  );
}
