/**
 * Sign-in, step 1: email and password (the article's steps 2–3), through the first-factor sequence
 * (first-factor.ts). An address without an account, or with one not verified yet, runs a dummy hash,
 * so status, body and timing are those of a wrong password. Then: a frozen account waits out its
 * cool-down and then needs a strong factor; an account without a second factor enrolls one (from a
 * browser it does not know, only after the inbox confirmed it); otherwise the flow waits for the
 * second factor (second-factor.ts).
 */
import { isKnownDevice } from '../../account/devices.ts';
import { frozenError, unfreezeAllowedAt } from '../../account/freeze.ts';
import { riskSignals } from '../../account/risk.ts';
import { isStaffLocked, staffLockedError } from '../../account/staff-lock.ts';
import { createSession, type NewSession } from '../../account/sessions.ts';
import { self } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import type { Deps } from '../../deps.ts';
import { forbidden } from '../../errors/app-error.ts';
import { availableMethods, isStrong, onThisDevice, type SecondFactorId } from '../../factors/registry.ts';
import { knownDeviceRequired } from './second-factor.ts';
import { inTransaction } from '../../store/database.ts';
import { askForConfirmation, needsConfirmation } from './device-confirmation.ts';
import { limitSignInsFromIp, provePassword, recordRefusal } from './first-factor.ts';
import { createFlow } from './flows.ts';

export type LoginNext = SecondFactorId | 'enroll_2fa' | 'confirm_device';

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
  const { clock, config } = deps;
  await limitSignInsFromIp(deps, client);
  // An account not verified yet is refused there like a wrong password (first-factor.ts).
  const user = await provePassword(deps, input, client);

  if (isStaffLocked(user)) {
    await inTransaction(deps.store.db, (tx) => recordRefusal(deps, tx, { factor: 'password', user, client, reason: 'staff_lock', result: 'locked' }));
    throw staffLockedError();
  }

  const refuseFrozen = () => inTransaction(deps.store.db, (tx) => recordRefusal(deps, tx, { factor: 'password', user, client, reason: 'frozen', result: 'frozen' }));
  if (user.frozen_at !== null && clock.now() < unfreezeAllowedAt(deps, user)) {
    await refuseFrozen();
    throw frozenError(deps, user);
  }

  // Unfreezing takes a strong factor: only a passkey or the authenticator app is offered. Without one, only
  // support can unlock the account (a password alone must never undo the owner's lock).
  const enrolled = (await availableMethods(deps.store.db, user.id)).filter((m) => user.frozen_at === null || isStrong(m));
  if (user.frozen_at !== null && enrolled.length === 0) {
    await refuseFrozen();
    throw forbidden('account_frozen', 'You locked this account and it has no passkey or authenticator app to unlock it with. Contact support to unlock it.');
  }
  // On a device new to the account the emailed code is not offered (second-factor.ts); an account
  // left with nothing else is refused here, never sent to enroll a factor.
  const knownDevice = await isKnownDevice(deps, user.id, input.deviceCookie);
  const methods = onThisDevice(enrolled, knownDevice);
  if (enrolled.length > 0 && methods.length === 0) {
    await inTransaction(deps.store.db, (tx) => recordRefusal(deps, tx, { factor: 'password', user, client, reason: 'known_device_required', result: 'known_device_required' }));
    throw knownDeviceRequired();
  }
  const now = clock.now();
  const enroll = methods.length === 0;
  // An account without a second factor is claimed by whoever enrolls one first: from a browser the
  // account does not know (not the one that verified the email), the inbox must confirm it first.
  const signals = enroll ? await riskSignals(deps, user.id, client) : [];
  const confirmFirst = enroll && needsConfirmation(config.newDeviceConfirmation, knownDevice, signals, false);
  return inTransaction(deps.store.db, async (tx) => {
    const { flowId, binding, flow } = await createFlow(tx, { userId: user.id, state: enroll ? 'enroll' : 'second_factor', now, client });
    await deps.audit.record(tx, { type: 'login.password_ok', ...self(user.id), client, data: { next: enroll ? 'enroll_2fa' : 'second_factor' } });
    if (!enroll) return { flowId, binding, next: methods };
    if (confirmFirst) {
      await askForConfirmation(deps, tx, { user, flow, method: 'password', client, signals });
      return { flowId, binding, next: ['confirm_device'] as LoginNext[] };
    }
    const restrictedSession = await createSession(deps, tx, { userId: user.id, restricted: true, authMethod: 'password', strong: false, client });
    return { flowId, binding, next: ['enroll_2fa'] as LoginNext[], restrictedSession };
  });
}
