/**
 * The last step of every sign-in: the flow ends (once), a session begins, the browser is remembered
 * as a known device, and the attempt is recorded. A frozen account whose owner got this far after
 * the cool-down (password, strong factor, inbox) is unfrozen here.
 */
import type { Deps } from '../../deps.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import type { Tx } from '../../store/database.ts';
import { isStrong, type SecondFactorId } from '../../factors/registry.ts';
import { recordAttempt } from '../../account/activity.ts';
import { sendAlert } from '../../account/alerts.ts';
import { self } from '../../audit/audit.ts';
import { rememberDevice } from '../../account/devices.ts';
import { unfreezeAccount } from '../../account/freeze.ts';
import { createSession, type NewSession } from '../../account/sessions.ts';
import { findUserById, lockUser, type User } from '../../account/users.ts';
import { endFlow, flowExpired, type LoginFlow } from './flows.ts';
import { isStaffLocked, staffLockedError } from '../../account/staff-lock.ts';
import { noteSignInDuringWait } from '../two-factor-reset/during-wait.ts';

/** How a sign-in was made: a second factor, or only the password (an account still to enroll one). */
export type SignInMethod = SecondFactorId | 'password';

export interface SignedIn {
  kind: 'signed_in';
  user: User;
  session: NewSession;
  /** The device cookie to (re)set in the browser. */
  deviceCookie: string;
}

export async function completeSignIn(
  deps: Deps,
  tx: Tx,
  input: { user: User; flow: LoginFlow; method: SignInMethod; client: ClientInfo; deviceCookie: string | undefined; knownDevice: boolean; signals: string[] },
): Promise<SignedIn> {
  const { user, client, method } = input;
  // Serialised with a password reset or change (account/password.ts): never a session it missed.
  await lockUser(tx, deps.store.dialect, user.id);
  if (!(await endFlow(tx, input.flow))) throw flowExpired();
  // A staff lock that committed while this sign-in was on its way (after the password was checked).
  const current = await findUserById(tx, user.id);
  if (!current || isStaffLocked(current)) throw staffLockedError();
  if (user.frozen_at !== null) await unfreezeAccount(deps, tx, user, client);
  // A passkey alone (with user verification) is both factors; otherwise the password came first.
  // The password alone (an account without a second factor yet) gets a session that may only enroll one.
  const passwordless = input.flow.passwordless === 1;
  const restricted = method === 'password';
  const authMethod = passwordless || restricted ? method : `password+${method}`;
  const strong = isStrong(method);
  const session = await createSession(deps, tx, { userId: user.id, restricted, authMethod, strong, client });
  const deviceCookie = await rememberDevice(deps, tx, user.id, input.deviceCookie, client);
  if (!input.knownDevice && input.flow.state !== 'confirm_device') {
    // Not confirmed by email (policy "off" or "risky" without signals): still tell the owner.
    await sendAlert(deps, tx, user, 'new_device_login', {
      device: deps.describeDevice(client.userAgent),
      ip: client.ip,
      location: deps.locate(client.ip).label,
      at: deps.clock.now(),
    });
  }
  await recordAttempt(deps, tx, { userId: user.id, client, result: 'success', method, signals: input.signals });
  if (method !== 'password') await noteSignInDuringWait(deps, tx, user, method);
  await deps.audit.record(tx, {
    type: 'login.succeeded',
    ...self(user.id),
    client,
    data: { method, passwordless, sessionId: session.session.id, newDevice: !input.knownDevice, signals: input.signals },
  });
  return { kind: 'signed_in', user, session, deviceCookie };
}
