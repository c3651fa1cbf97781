/**
 * Account creation and email verification (the article's "Register" and "Email Verification").
 *
 * Registration never reveals whether an address is taken: it always answers "check your email".
 * A new address gets a verification email; an address that already has an account gets an email
 * telling its owner someone tried to sign up with it. Both paths hash a password, so they take
 * the same time.
 */
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { anonymous, self } from '../../audit/audit.ts';
import { badRequest } from '../../errors/app-error.ts';
import { enforceRateLimit } from '../../throttle/limits.ts';
import { findToken, matchAccountCode, useToken, type TokenRow } from '../../account/tokens.ts';
import { CODE_LOCKOUT, underLockout, verificationCodeKey } from '../../account/locks.ts';
import { perIpKey, type ClientInfo } from '../../client/client-info.ts';
import { rememberDevice } from '../../account/devices.ts';
import { inTransaction, type Tx } from '../../store/database.ts';
import { reservedFor } from '../../account/email-reservations.ts';
import { findUserByEmail, normalizeEmail } from '../../account/users.ts';
import { enforcePasswordPolicy } from '../../factors/password/new-password.ts';
import { endVerification, sendVerification } from './verification.ts';

const HOUR_MS = 3_600_000;
/** Verification emails: per client network, per address from each network, and per address in all (see recovery/reset.ts). */
export const RESEND_LIMITS = { perEmail: { limit: 3, windowMs: HOUR_MS }, perIp: { limit: 20, windowMs: HOUR_MS }, perInbox: { limit: 10, windowMs: HOUR_MS } };
const REGISTER_PER_IP = { limit: 20, windowMs: HOUR_MS };
/** Verification codes typed from one network, across addresses (each address has its code lock too). */
const CODE_TRIES_PER_IP = { limit: 30, windowMs: HOUR_MS };

export async function register(deps: Deps, input: { email: string; password: string; acceptTerms?: boolean | undefined }, client: ClientInfo): Promise<void> {
  const email = normalizeEmail(input.email);
  // The network's limit first: nothing of the password is worked on for a request beyond it.
  await enforceRateLimit(deps.throttle, perIpKey('register-ip', client), REGISTER_PER_IP, 'Too many sign-ups from your network. Try again later.');
  // Before anything about the address: the answer is the same whether it is taken or not.
  if (input.acceptTerms !== true) throw badRequest('terms_not_accepted', 'Accept the terms of service to create an account (acceptTerms: true).');
  const password = enforcePasswordPolicy(deps, input.password, email);
  const passwordHash = await deps.passwords.hash(password);
  const now = deps.clock.now();
  const base = deps.config.baseUrl;

  const notifyExisting = async () =>
    inTransaction(deps.store.db, async (tx) => {
      const existing = await findUserByEmail(tx, email);
      // An address another account gave up days ago stays that account's while its cancel link lives.
      const reservedBy = existing ? undefined : await reservedFor(tx, email, now);
      if (!existing && !reservedBy) return;
      await deps.mail.send(tx, 'signup_attempt', email, { loginUrl: `${base}/login`, resetUrl: `${base}/forgot-password` });
      await deps.audit.record(tx, { type: 'account.signup_existing_email', ...anonymous(existing?.id ?? reservedBy ?? null), client, data: existing ? {} : { reserved: true } });
    });

  if ((await findUserByEmail(deps.store.db, email)) || (await reservedFor(deps.store.db, email, now))) return notifyExisting();
  try {
    await inTransaction(deps.store.db, async (tx) => {
      const user = { id: randomUUID(), email, password_hash: passwordHash, email_verified_at: null, password_changed_at: null, kyc_level: 0, kyc_status: 'none' as const, anti_phishing_sealed: null, frozen_at: null, webauthn_user_id: null, staff_role: null, staff_locked_at: null, staff_lock_reason: null, staff_locked_by: null, terms_version: deps.config.terms.version, terms_accepted_at: now, created_at: now, updated_at: now };
      await tx.insertInto('users').values(user).execute();
      await sendVerification(deps, tx, user);
      await deps.audit.record(tx, { type: 'account.registered', ...self(user.id), client, data: { termsVersion: user.terms_version } });
    });
  } catch (error) {
    // Two sign-ups with one address at once: the unique index lets one win; the other is "existing".
    if (await findUserByEmail(deps.store.db, email)) return notifyExisting();
    throw error;
  }
}

const invalidVerification = () => badRequest('invalid_verification', 'This verification link or code is not valid, or has expired. Ask for a new email.');

/**
 * Verifies the address with the link or the code. The browser that does it proved the inbox: it
 * becomes the account's first known device (returned: the device cookie to set), so the first
 * sign-in there needs no new-device confirmation.
 *
 * Codes typed for an address count toward its code lock (account/locks.ts: 10 wrong lock it,
 * escalating, the 100th in a row for good), known address or not alike, besides each code's own 5;
 * the link keeps working through a lock. No lock email: the account is not verified.
 */
export async function verifyEmail(
  deps: Deps,
  input: { token: string } | { email: string; code: string },
  client: ClientInfo,
  deviceCookie?: string | undefined,
): Promise<{ deviceCookie: string }> {
  const db = deps.store.db;
  const via = 'token' in input ? 'link' : 'code';
  const verify = async (tx: Tx, found: TokenRow) => {
    // Using the token up is what makes the link and the code single-use, even under a race.
    if (!(await useToken(deps, tx, found))) return null;
    const now = deps.clock.now();
    await endVerification(tx, found.user_id);
    await tx.updateTable('users').set({ email_verified_at: now, updated_at: now }).where('id', '=', found.user_id).where('email_verified_at', 'is', null).execute();
    await deps.audit.record(tx, { type: 'email.verified', ...self(found.user_id), client, data: { via } });
    return { deviceCookie: await rememberDevice(deps, tx, found.user_id, deviceCookie, client) };
  };
  let verified: { deviceCookie: string } | null;
  if ('token' in input) {
    const row = await findToken(deps, db, 'email_verification', input.token);
    if (!row) throw invalidVerification();
    verified = await inTransaction(db, (tx) => verify(tx, row));
  } else {
    const email = normalizeEmail(input.email);
    await enforceRateLimit(deps.throttle, perIpKey('verify-code-ip', client), CODE_TRIES_PER_IP, 'Too many attempts from your network. Try again later.');
    const user = await findUserByEmail(db, email);
    let row: TokenRow | null = null;
    verified = await underLockout(deps, {
      lock: { key: verificationCodeKey(email), policy: CODE_LOCKOUT, kind: { method: 'Email verification code', otherFactorLifts: false } },
      user: undefined,
      client,
      check: async (tx) => (row = user ? await matchAccountCode(deps, tx, { purpose: 'email_verification_code', userId: user.id, code: input.code }) : null) !== null,
      onSuccess: (tx) => verify(tx, row!),
      onFailure: async () => {},
      refusal: invalidVerification,
      answerLock: true,
    });
  }
  if (!verified) throw invalidVerification();
  return verified;
}

/** Sends a fresh verification email to an unverified account; says nothing about others. */
export async function resendVerification(deps: Deps, input: { email: string }, client: ClientInfo): Promise<void> {
  const email = normalizeEmail(input.email);
  await enforceRateLimit(deps.throttle, perIpKey('resend-ip', client), RESEND_LIMITS.perIp, 'Too many requests from your network. Try again later.');
  const recently = 'A verification email was sent recently. Check your inbox and spam folder, or try again later.';
  await enforceRateLimit(deps.throttle, perIpKey(`resend-email:${email}`, client), RESEND_LIMITS.perEmail, recently);
  await enforceRateLimit(deps.throttle, `resend-inbox:${email}`, RESEND_LIMITS.perInbox, recently);
  // Known or not, the answer is the same and leaves now: the work for an unverified account must not show in its time.
  deps.later.run('verification email', () =>
    inTransaction(deps.store.db, async (tx) => {
      const user = await findUserByEmail(tx, email);
      if (!user || user.email_verified_at !== null) return;
      await sendVerification(deps, tx, user);
      await deps.audit.record(tx, { type: 'email.verification_resent', ...anonymous(user.id), client });
    }),
  );
}
