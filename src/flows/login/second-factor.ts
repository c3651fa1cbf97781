/**
 * Sign-in, step 2: the second factor, whichever the account has (the registry offers them; this
 * file names none). Preparing it (an emailed code, a passkey challenge) and checking it both go
 * through factors/prove.ts, bound to the flow. Then either the sign-in completes (a session begins),
 * or, from a new device or with risk signals, it waits for the owner to confirm the device by email
 * (device-confirmation.ts). A frozen account is unlocked only with a strong factor.
 */
import { isKnownDevice } from '../../account/devices.ts';
import { passwordKey, refuseIfLocked } from '../../account/locks.ts';
import { lockOf } from '../../factors/locks.ts';
import { riskSignals } from '../../account/risk.ts';
import { findUserById, type User } from '../../account/users.ts';
import { ANONYMOUS } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import type { Deps } from '../../deps.ts';
import { forbidden } from '../../errors/app-error.ts';
import { beginProof, prepareFactor } from '../../factors/prove.ts';
import { factorById, isStrong, onThisDevice, type SecondFactorId } from '../../factors/registry.ts';
import type { Ceremony, FactorAnswer } from '../../factors/types.ts';
import type { SignedIn } from './complete.ts';
import { confirmOrComplete, type ConfirmationAsked } from './device-confirmation.ts';
import { flowBinding, flowExpired, loadFlow, reserveFlowAttempt, type LoginFlow } from './flows.ts';
import { carryOutDueResetOf } from '../two-factor-reset/carry-out.ts';

const ceremony = (flow: LoginFlow): Ceremony => ({ purpose: 'sign_in', boundTo: flowBinding(flow), role: 'second' });
/** The locks that stop this step: the password's (it locked meanwhile), and the chosen method's own (another method may still be used). */
function stepLocks(user: User, method: SecondFactorId): string[] {
  const own = lockOf(factorById(method), user, undefined, 'sign_in');
  return [passwordKey(user.email), ...(own ? [own.key] : [])];
}
/** 403 known_device_required: the emailed code (a method for known devices only) from a device new to the account. */
export const knownDeviceRequired = () =>
  forbidden('known_device_required', 'This device has not signed in to your account before: use your passkey, your authenticator app or a backup code.');

/** Refuses a method for known devices only on a device the account does not know. */
async function assertUsableHere(deps: Deps, userId: string, method: SecondFactorId, deviceCookie: string | undefined): Promise<boolean> {
  const knownDevice = await isKnownDevice(deps, userId, deviceCookie);
  if (onThisDevice([method], knownDevice).length === 0) throw knownDeviceRequired();
  return knownDevice;
}

const strongFactorRequired = () => forbidden('strong_factor_required', 'To unlock your account, use your passkey or authenticator app.');

/** The flow this browser is signing in with while it waits for its second factor, and its account. */
async function waitingFlow(deps: Deps, flowId: string, binding: string | undefined): Promise<{ flow: LoginFlow; user: User }> {
  const flow = await loadFlow(deps.store.db, flowId, binding, deps.clock.now());
  if (flow.state !== 'second_factor') throw flowExpired();
  const user = await findUserById(deps.store.db, flow.user_id);
  if (!user) throw flowExpired();
  return { flow, user };
}

/** Prepares a second factor for this flow: emails a code, or returns a passkey's options. */
export async function prepareSecondFactor(
  deps: Deps,
  input: { flowId: string; binding: string | undefined; deviceCookie: string | undefined; method: SecondFactorId },
  client: ClientInfo,
): Promise<unknown> {
  const { flow, user } = await waitingFlow(deps, input.flowId, input.binding);
  if (user.frozen_at !== null && !isStrong(input.method)) throw strongFactorRequired();
  await assertUsableHere(deps, user.id, input.method, input.deviceCookie);
  await refuseIfLocked(deps, stepLocks(user, input.method));
  return prepareFactor(deps, { factor: input.method, user, client, ceremony: ceremony(flow), actor: ANONYMOUS });
}

export async function secondFactorStep(
  deps: Deps,
  input: { flowId: string; binding: string | undefined; deviceCookie: string | undefined; method: SecondFactorId; answer: FactorAnswer },
  client: ClientInfo,
): Promise<SignedIn | ConfirmationAsked> {
  const { flow, user } = await waitingFlow(deps, input.flowId, input.binding);
  // A lost-2FA reset due now is carried out first: it ends this flow, and the old factor never signs in.
  if (await carryOutDueResetOf(deps, user.id)) throw flowExpired();
  const { method } = input;
  await refuseIfLocked(deps, stepLocks(user, method));
  if (user.frozen_at !== null && !isStrong(method)) throw strongFactorRequired();
  const knownDevice = await assertUsableHere(deps, user.id, method, input.deviceCookie);
  // A passkey's live challenge is checked before anything counts; then one of the flow's 5 attempts is reserved.
  const pending = await beginProof(deps, { factor: method, ceremony: ceremony(flow), user, answer: input.answer, client, actor: ANONYMOUS });
  await reserveFlowAttempt(deps.store.db, flow);
  const signals = await riskSignals(deps, user.id, client);
  return pending.run<SignedIn | ConfirmationAsked>({
    onSuccess: (tx) => confirmOrComplete(deps, tx, { user, flow, method, client, deviceCookie: input.deviceCookie, knownDevice, signals }),
  });
}
