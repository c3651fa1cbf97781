/**
 * Adding a strong factor (an authenticator app or a passkey), whichever it is.
 *
 * Who may: with a strong factor on the account, only a session with a fresh step-up. Without one it
 * is either the mandatory first enrollment (a restricted session), or an account whose only passkey
 * was disabled: then only a sign-in made within the step-up window (password and emailed code,
 * just now) may add one, never an older session.
 *
 * What follows, in the same transaction: the session gets a new token and a fresh step-up (a strong
 * factor was just shown); an account without backup codes gets them (shown once); and when this
 * completes the mandatory enrollment of a restricted session, that session becomes a full one, its
 * device becomes the account's first known device, the sign-in is recorded, and any other
 * password-only session ends. The factor's own security change (alert, hold, audit) is the caller's.
 */
import type { Deps } from '../deps.ts';
import type { ClientInfo } from '../client/client-info.ts';
import type { Tx } from '../store/database.ts';
import { recordAttempt } from '../account/activity.ts';
import { rememberDevice } from '../account/devices.ts';
import { revokeAllSessions, rotateSession, type Session } from '../account/sessions.ts';
import type { User } from '../account/users.ts';
import { remainingBackupCodes, replaceBackupCodes } from './backup-codes/codes.ts';
import { forbidden } from '../errors/app-error.ts';
import { hasStrongFactor, type StrongMethod } from './registry.ts';
import { requireStepUp } from './step-up-guard.ts';

export async function requireStepUpToAddFactor(deps: Deps, user: User, session: Session): Promise<void> {
  if (await hasStrongFactor(deps.store.db, user.id)) return requireStepUp(deps, session);
  if (session.restricted) return;
  if (deps.clock.now() - session.created_at >= deps.config.session.stepUpMaxAgeMs) {
    throw forbidden('reauthentication_required', 'Sign in again to add a passkey or an authenticator app.');
  }
}

export interface FactorAdded {
  /** A new session token: the session's privilege changed. */
  newSessionToken: string;
  /** Present when this created the account's backup codes: shown this once. */
  backupCodes?: string[];
  /** Set when this browser became the account's first known device. */
  deviceCookie?: string;
}

export async function factorAdded(
  deps: Deps,
  tx: Tx,
  input: { user: User; session: Session; method: StrongMethod; deviceCookie: string | undefined; client: ClientInfo },
): Promise<FactorAdded> {
  const { user, session, client } = input;
  const now = deps.clock.now();
  const backupCodes = (await remainingBackupCodes(tx, user.id)) === 0 ? await replaceBackupCodes(tx, deps.config.codePepper, user.id, now) : undefined;
  const newSessionToken = await rotateSession(tx, session.id, { restricted: 0, step_up_at: now, ...(session.restricted ? { auth_method: `password+${input.method}` } : {}) });
  await tx.deleteFrom('login_flows').where('user_id', '=', user.id).where('state', '=', 'enroll').execute();
  let deviceCookie: string | undefined;
  if (session.restricted) {
    deviceCookie = await rememberDevice(deps, tx, user.id, input.deviceCookie, client);
    await recordAttempt(deps, tx, { userId: user.id, client, result: 'success', method: input.method });
    await revokeAllSessions(tx, user.id, now, session.id);
  }
  return { newSessionToken, ...(backupCodes ? { backupCodes } : {}), ...(deviceCookie ? { deviceCookie } : {}) };
}
