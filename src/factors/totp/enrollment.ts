/**
 * Enrolling an authenticator app: `setup` creates a pending secret (sealed at rest) and returns it
 * with its otpauth:// URI and QR codes; `confirm` activates it with a first code (then
 * enrollment.ts: backup codes, a full session), replacing an earlier one. Once the account has a
 * strong factor, adding or replacing one needs step-up.
 */
import { randomUUID } from 'node:crypto';
import { factorKey } from '../../account/locks.ts';
import { securityChanged } from '../../account/security-change.ts';
import type { Session } from '../../account/sessions.ts';
import type { User } from '../../account/users.ts';
import { self, userActor } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import type { Deps } from '../../deps.ts';
import { badRequest } from '../../errors/app-error.ts';
import { inTransaction } from '../../store/database.ts';
import { factorAdded, requireStepUpToAddFactor, type FactorAdded } from '../enrollment.ts';
import { confirmedTotp, matchTotp, pendingTotp, secretContext } from './credentials.ts';
import { encodeBase32, generateTotpSecret, otpauthUrl, totpQrCodes } from './otp.ts';

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
  qrPng: string;
  qrSvg: string;
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
    await deps.audit.record(tx, { type: 'mfa.totp_setup_started', ...self(user.id), client });
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
  const now = deps.clock.now();
  const pending = await pendingTotp(deps.store.db, user.id);
  if (!pending) throw badRequest('no_pending_setup', 'Start the authenticator setup first.');
  const step = matchTotp(deps.keyring, pending, input.code, now);
  if (step === null) throw badRequest('invalid_code', 'That code is not right. Check the time on your phone and enter the current code.');

  const added = await inTransaction(deps.store.db, async (tx) => {
    const previous = await confirmedTotp(tx, user.id);
    if (previous) await tx.deleteFrom('totp_credentials').where('id', '=', previous.id).execute();
    await tx.updateTable('totp_credentials').set({ confirmed_at: now, last_used_step: step }).where('id', '=', pending.id).execute();
    const added = await factorAdded(deps, tx, { user, session, method: 'totp', deviceCookie: input.deviceCookie, client });
    await securityChanged(deps, tx, {
      kind: previous ? 'totp_replaced' : 'totp_added',
      subject: user,
      actor: userActor(user.id),
      client,
      firstFactor: session.restricted === 1,
      alert: { method: 'Authenticator app' },
    });
    return added;
  });
  // A new secret: wrong guesses at the old one say nothing about it, so its lock starts over.
  await deps.throttle.unlock(factorKey(user.id, 'totp'));
  return added;
}
