/**
 * Enrolling an authenticator app: `setup` creates a pending secret (sealed at rest) and returns it
 * with its otpauth:// URI and QR codes; `confirm` activates it with a first code. The first
 * second factor of an account also creates its backup codes (shown once) and turns a restricted
 * session into a full one with a new token. Replacing an existing authenticator needs step-up.
 */
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { badRequest } from '../../errors.ts';
import type { ClientInfo } from '../../http/request-context.ts';
import { inTransaction } from '../../store/database.ts';
import { recordAttempt } from '../security-center/activity.ts';
import { rememberDevice } from '../security-center/devices.ts';
import { requireStepUp } from '../sessions/guard.ts';
import { revokeAllSessions, rotateSession, type Session } from '../sessions/sessions.ts';
import type { User } from '../users/users.ts';
import { remainingBackupCodes, replaceBackupCodes } from './backup-codes.ts';
import { confirmedTotp, matchTotp, pendingTotp, secretContext } from './totp-credentials.ts';
import { encodeBase32, generateTotpSecret, otpauthUrl, totpQrCodes } from './totp.ts';
import { lockLink } from '../security-center/alerts.ts';

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
  qrPng: string;
  qrSvg: string;
}

/** Replacing a working authenticator is a security change: starting and confirming it need step-up. */
async function requireStepUpToReplace(deps: Deps, user: User, session: Session): Promise<void> {
  if (await confirmedTotp(deps.store.db, user.id)) requireStepUp(deps, session);
}

export async function setupTotp(deps: Deps, user: User, session: Session, client: ClientInfo): Promise<TotpSetup> {
  await requireStepUpToReplace(deps, user, session);
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

export interface TotpConfirmation {
  /** Set when this browser became the account's first known device (its first 2FA enrollment). */
  deviceCookie?: string;
  /** Present when this enrollment created the account's backup codes: shown this once. */
  backupCodes?: string[];
  /** A new session token when the session's privilege changed. */
  newSessionToken: string;
}

export async function confirmTotp(
  deps: Deps,
  user: User,
  session: Session,
  input: { code: string; deviceCookie: string | undefined },
  client: ClientInfo,
): Promise<TotpConfirmation> {
  await requireStepUpToReplace(deps, user, session);
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
    const backupCodes = (await remainingBackupCodes(tx, user.id)) === 0 ? await replaceBackupCodes(tx, deps.config.sessionSecret, user.id, now) : undefined;
    // Privilege changes (restricted → full) and a strong factor was just shown: new token, fresh step-up.
    const newSessionToken = await rotateSession(tx, session.id, { restricted: 0, step_up_at: now, ...(session.restricted ? { auth_method: 'password+totp' } : {}) });
    await tx.deleteFrom('login_flows').where('user_id', '=', user.id).where('state', '=', 'enroll').execute();
    await deps.mail.send(tx, 'two_factor_enabled', user.email, { method: 'Authenticator app', at: now, lockUrl: await lockLink(deps, tx, user.id) });
    await deps.audit.record(tx, { type: previous ? 'mfa.totp_replaced' : 'mfa.totp_enabled', userId: user.id, ip: client.ip, userAgent: client.userAgent });
    // The device on which the account first enrolls 2FA becomes its first known device.
    const deviceCookie = session.restricted ? await rememberDevice(deps, tx, user.id, input.deviceCookie, client) : undefined;
    if (session.restricted) {
      // Finishing enrollment from the restricted session is this sign-in's second factor, and from
      // now on the account has one: any other password-only session ends.
      await recordAttempt(deps, tx, { userId: user.id, client, result: 'success', method: 'totp' });
      await revokeAllSessions(tx, user.id, now, session.id);
    }
    return { ...(backupCodes ? { backupCodes } : {}), ...(deviceCookie ? { deviceCookie } : {}), newSessionToken };
  });
}

/** New backup codes after step-up; the old ones stop working. */
export async function regenerateBackupCodes(deps: Deps, user: User, client: ClientInfo): Promise<string[]> {
  const now = deps.clock.now();
  if (!(await confirmedTotp(deps.store.db, user.id))) throw badRequest('no_second_factor', 'Set up an authenticator app first.');
  return inTransaction(deps.store.db, async (tx) => {
    const codes = await replaceBackupCodes(tx, deps.config.sessionSecret, user.id, now);
    await deps.mail.send(tx, 'backup_codes_regenerated', user.email, { at: now, lockUrl: await lockLink(deps, tx, user.id) });
    await deps.audit.record(tx, { type: 'mfa.backup_codes_regenerated', userId: user.id, ip: client.ip, userAgent: client.userAgent });
    return codes;
  });
}
