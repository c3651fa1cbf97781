/**
 * Enrolling an authenticator app: `setup` creates a pending secret (sealed at rest) and returns it
 * with its otpauth:// URI and QR codes; `confirm` activates it with a first code (then
 * factor-added.ts: backup codes, a full session). Once the account has a strong factor, adding or
 * replacing one needs step-up.
 */
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { badRequest, forbidden } from '../../errors/app-error.ts';
import type { ClientInfo } from '../../http/request-context.ts';
import { inTransaction } from '../../store/database.ts';
import { requireStepUp } from '../../http/guards.ts';
import type { Session } from '../../account/sessions.ts';
import type { User } from '../../account/users.ts';
import { replaceBackupCodes } from '../backup-codes/codes.ts';
import { factorAdded, type FactorAdded } from '../enrollment.ts';
import { hasStrongFactor } from '../registry.ts';
import { confirmedTotp, matchTotp, pendingTotp, secretContext } from './credentials.ts';
import { encodeBase32, generateTotpSecret, otpauthUrl, totpQrCodes } from './otp.ts';
import { lockLink } from '../../account/alerts.ts';
import { holdWithdrawals } from '../../account/holds.ts';

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
  qrPng: string;
  qrSvg: string;
}

/**
 * Adding or replacing a strong factor is a security change. With a strong factor on the account it
 * needs step-up. Without one it is either the mandatory first enrollment (a restricted session), or
 * an account whose only passkey was disabled: then only a sign-in made within the step-up window
 * (password and emailed code, just now) may add one, never an older session.
 */
export async function requireStepUpToAddFactor(deps: Deps, user: User, session: Session): Promise<void> {
  if (await hasStrongFactor(deps.store.db, user.id)) return requireStepUp(deps, session);
  if (session.restricted) return;
  if (deps.clock.now() - session.created_at >= deps.config.session.stepUpMaxAgeMs) {
    throw forbidden('reauthentication_required', 'Sign in again to add a passkey or an authenticator app.');
  }
}

export async function setupTotp(deps: Deps, user: User, session: Session, client: ClientInfo): Promise<TotpSetup> {
  await requireStepUpToAddFactor(deps, user, session);
  const secret = generateTotpSecret();
  const now = deps.clock.now();
  await inTransaction(deps.store.db, async (tx) => {
    await tx.deleteFrom('totp_credentials').where('user_id', '=', user.id).where('confirmed_at', 'is', null).execute();
    await tx
      .insertInto('totp_credentials')
      .values({ id: randomUUID(), user_id: user.id, secret_sealed: deps.keyring.seal(Buffer.from(secret), secretContext(user.id)), last_used_step: null, confirmed_at: null, created_at: now })
      .execute();
    await deps.audit.record(tx, { type: 'mfa.totp_setup_started', userId: user.id, ip: client.ip, userAgent: client.userAgent });
  });
  const url = otpauthUrl({ issuer: deps.config.appName, accountName: user.email, secret });
  const qr = await totpQrCodes(url);
  return { secret: encodeBase32(secret), otpauthUrl: url, qrPng: qr.png, qrSvg: qr.svg };
}

export async function confirmTotp(
  deps: Deps,
  user: User,
  session: Session,
  input: { code: string; deviceCookie: string | undefined },
  client: ClientInfo,
): Promise<FactorAdded> {
  await requireStepUpToAddFactor(deps, user, session);
  const code = input.code;
  const now = deps.clock.now();
  const pending = await pendingTotp(deps.store.db, user.id);
  if (!pending) throw badRequest('no_pending_setup', 'Start the authenticator setup first.');
  const step = matchTotp(deps.keyring, pending, code, now);
  if (step === null) throw badRequest('invalid_code', 'That code is not right. Check the time on your phone and enter the current code.');

  return inTransaction(deps.store.db, async (tx) => {
    const previous = await confirmedTotp(tx, user.id);
    if (previous) await tx.deleteFrom('totp_credentials').where('id', '=', previous.id).execute();
    await tx.updateTable('totp_credentials').set({ confirmed_at: now, last_used_step: step }).where('id', '=', pending.id).execute();
    const added = await factorAdded(deps, tx, { user, session, method: 'totp', deviceCookie: input.deviceCookie, client });
    if (!session.restricted) await holdWithdrawals(deps, tx, user.id, previous ? 'totp_replaced' : 'totp_added');
    await deps.mail.send(tx, 'two_factor_enabled', user.email, { method: 'Authenticator app', at: now, lockUrl: await lockLink(deps, tx, user.id) });
    await deps.audit.record(tx, { type: previous ? 'mfa.totp_replaced' : 'mfa.totp_enabled', userId: user.id, ip: client.ip, userAgent: client.userAgent });
    return added;
  });
}

/** New backup codes after step-up; the old ones stop working. */
export async function regenerateBackupCodes(deps: Deps, user: User, client: ClientInfo): Promise<string[]> {
  const now = deps.clock.now();
  if (!(await hasStrongFactor(deps.store.db, user.id))) throw badRequest('no_second_factor', 'Set up an authenticator app or a passkey first.');
  return inTransaction(deps.store.db, async (tx) => {
    const codes = await replaceBackupCodes(tx, deps.config.sessionSecret, user.id, now);
    await deps.mail.send(tx, 'backup_codes_regenerated', user.email, { at: now, lockUrl: await lockLink(deps, tx, user.id) });
    await deps.audit.record(tx, { type: 'mfa.backup_codes_regenerated', userId: user.id, ip: client.ip, userAgent: client.userAgent });
    return codes;
  });
}
