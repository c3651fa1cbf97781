/**
 * New-device confirmation (as Binance, Coinbase and Kraken do): a sign-in that passed both factors
 * from an unknown device, or with risk signals, does not get a session yet. The owner is emailed a
 * link and a 6-digit code (20 minutes, single-use: account/tokens.ts) showing the device, IP and
 * location, with a "this wasn't me" lock link. The code, entered in the original browser, completes
 * the sign-in there; the link, opened anywhere, confirms it, and the original browser then completes it.
 * NEW_DEVICE_CONFIRMATION: always (every new device; the default), risky (only with risk signals), off.
 */
import { recordAttempt } from '../../account/activity.ts';
import { sendAlert } from '../../account/alerts.ts';
import { isKnownDevice } from '../../account/devices.ts';
import { CODE_LOCKOUT, deviceCodeKey, passwordKey, refuseIfLocked, underLockout } from '../../account/locks.ts';
import { riskSignals } from '../../account/risk.ts';
import { consumeToken, findToken, issueToken, TOKEN_PURPOSES } from '../../account/tokens.ts';
import { findUserById, type User } from '../../account/users.ts';
import { anonymous, self } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import { hashToken, safeEqual } from '../../crypto/tokens.ts';
import type { Deps } from '../../deps.ts';
import { badRequest } from '../../errors/app-error.ts';
import { invalidCode } from '../../factors/totp/factor.ts';
import { inTransaction, type Tx } from '../../store/database.ts';
import { completeSignIn, type SignedIn, type SignInMethod } from './complete.ts';
import { FLOW_MAX_FAILURES, flowBinding, flowExpired, flowOfBinding, loadFlow, reserveFlowAttempt, type LoginFlow } from './flows.ts';

export const DEVICE_CONFIRMATION_TTL_MS = TOKEN_PURPOSES.device_link.ttlMs;

export interface ConfirmationAsked {
  kind: 'confirm_device';
}

export function needsConfirmation(policy: Deps['config']['newDeviceConfirmation'], knownDevice: boolean, signals: string[], frozen: boolean): boolean {
  if (frozen) return true; // unfreezing always goes through the inbox
  if (policy === 'off') return false;
  if (policy === 'risky') return signals.length > 0;
  return !knownDevice || signals.length > 0;
}

/** After both factors: a session now, or first the owner's confirmation of this device by email. */
export function confirmOrComplete(
  deps: Deps,
  tx: Tx,
  step: { user: User; flow: LoginFlow; method: SignInMethod; client: ClientInfo; signals: string[]; knownDevice: boolean; deviceCookie: string | undefined },
): Promise<SignedIn | ConfirmationAsked> {
  return needsConfirmation(deps.config.newDeviceConfirmation, step.knownDevice, step.signals, step.user.frozen_at !== null)
    ? askForConfirmation(deps, tx, step)
    : completeSignIn(deps, tx, step);
}

export async function askForConfirmation(
  deps: Deps,
  tx: Tx,
  input: { user: User; flow: LoginFlow; method: SignInMethod; client: ClientInfo; signals: string[] },
): Promise<ConfirmationAsked> {
  const { user, flow, client } = input;
  const now = deps.clock.now();
  const code = await issueToken(deps, tx, { purpose: 'device_code', userId: user.id, boundTo: flowBinding(flow) });
  const token = await issueToken(deps, tx, { purpose: 'device_link', userId: user.id, boundTo: flowBinding(flow) });
  await tx
    .updateTable('login_flows')
    .set((eb) => ({
      state: 'confirm_device',
      device_expires_at: now + DEVICE_CONFIRMATION_TTL_MS,
      device_confirmed_at: null,
      pending_method: input.method,
      // The confirmation has its own time limit; the flow lives as long as it does.
      expires_at: Math.max(flow.expires_at, now + DEVICE_CONFIRMATION_TTL_MS),
      // The attempt reserved for the factor that just matched was not a failure: give it back,
      // so only wrong codes count toward the flow's 5 (flows.ts). A passkey alone reserved none.
      failed_attempts: eb.case().when('failed_attempts', '>', 0).then(eb('failed_attempts', '-', 1)).else(0).end(),
    }))
    .where('id_hash', '=', flow.id_hash)
    .execute();
  await sendAlert(deps, tx, user, 'new_device', {
    device: deps.describeDevice(client.userAgent),
    ip: client.ip,
    location: deps.locate(client.ip).label,
    at: now,
    link: `${deps.config.baseUrl}/confirm-device?token=${token}`,
    code,
  });
  await recordAttempt(deps, tx, { userId: user.id, client, result: 'device_pending', method: input.method, signals: input.signals });
  await deps.audit.record(tx, { type: 'login.device_pending', ...self(user.id), client, data: { signals: input.signals } });
  return { kind: 'confirm_device' };
}

export interface ConfirmInput {
  flowId?: string | undefined;
  binding?: string | undefined;
  code?: string | undefined;
  token?: string | undefined;
  deviceCookie?: string | undefined;
}

/** The factor shown before the confirmation was asked for. */
const pendingMethod = (flow: LoginFlow) => (flow.pending_method ?? 'totp') as SignInMethod;

const notConfirmed = () => badRequest('device_not_confirmed', 'Confirm this device from the email we sent, or enter the code from it.');

const invalidLink = () => badRequest('invalid_token', 'This confirmation link is not valid: it has expired or was already used. Sign in again.');

/** Completes the sign-in in this browser; `useLink` first uses up the emailed link that finished it. */
async function finish(deps: Deps, flow: LoginFlow, input: ConfirmInput, client: ClientInfo, useLink?: string): Promise<SignedIn> {
  const user = await findUserById(deps.store.db, flow.user_id);
  if (!user) throw flowExpired();
  const signals = await riskSignals(deps, user.id, client);
  const knownDevice = await isKnownDevice(deps, user.id, input.deviceCookie);
  return inTransaction(deps.store.db, async (tx) => {
    if (useLink !== undefined && !(await consumeToken(deps, tx, { purpose: 'device_link', secret: useLink, boundTo: flowBinding(flow) }))) throw invalidLink();
    return completeSignIn(deps, tx, { user, flow, method: pendingMethod(flow), client, deviceCookie: input.deviceCookie, knownDevice, signals });
  });
}

/** The flow an emailed link confirms, while it can still be confirmed. */
async function flowOfLink(deps: Deps, token: string): Promise<LoginFlow> {
  const row = await findToken(deps, deps.store.db, 'device_link', token);
  const flow = await flowOfBinding(deps.store.db, row?.bound_to);
  const now = deps.clock.now();
  // A flow that died of wrong codes cannot be confirmed by its link either.
  if (!flow || flow.state !== 'confirm_device' || flow.failed_attempts >= FLOW_MAX_FAILURES || flow.device_expires_at === null || now >= flow.device_expires_at) throw invalidLink();
  return flow;
}

/** What an emailed link would confirm: the sign-in's device, IP, place and time. Read only: the link stays usable. */
export interface ConfirmationPreview {
  device: string;
  ip: string;
  location: string;
  at: number;
  expiresAt: number;
  thisBrowser: boolean;
}

/**
 * The link page shows this before its button is pressed (a mail scanner that opens links confirms
 * nothing). Device and place come from the parsers (never the raw header); 400 invalid_token as for
 * confirming.
 */
export async function previewConfirmation(deps: Deps, input: { token: string; binding?: string | undefined }): Promise<ConfirmationPreview> {
  const flow = await flowOfLink(deps, input.token);
  const ip = flow.ip ?? '';
  return {
    device: deps.describeDevice(flow.user_agent ?? ''),
    ip,
    location: deps.locate(ip).label,
    at: flow.created_at,
    expiresAt: flow.device_expires_at ?? flow.expires_at,
    thisBrowser: input.binding !== undefined && safeEqual(flow.binding_hash, hashToken(input.binding)),
  };
}

/** The emailed code (original browser), the emailed link (any browser), or a check after the link. */
export async function confirmDevice(deps: Deps, input: ConfirmInput, client: ClientInfo): Promise<SignedIn | { kind: 'confirmed' }> {
  const now = deps.clock.now();
  if (input.token) {
    const token = input.token;
    const flow = await flowOfLink(deps, token);
    // Opened in the browser that is signing in: finish here.
    if (input.binding && safeEqual(flow.binding_hash, hashToken(input.binding))) return finish(deps, flow, input, client, token);
    await inTransaction(deps.store.db, async (tx) => {
      if (!(await consumeToken(deps, tx, { purpose: 'device_link', secret: token, boundTo: flowBinding(flow) }))) throw invalidLink();
      await tx.updateTable('login_flows').set({ device_confirmed_at: now }).where('id_hash', '=', flow.id_hash).execute();
      await deps.audit.record(tx, { type: 'login.device_confirmed', ...self(flow.user_id), client, data: { via: 'email_link' } });
    });
    return { kind: 'confirmed' };
  }

  if (!input.flowId) throw badRequest('invalid_request', 'flow: is required (or send the token from the email link).');
  const flow = await loadFlow(deps.store.db, input.flowId, input.binding, now);
  if (flow.state !== 'confirm_device' || flow.device_expires_at === null || now >= flow.device_expires_at) throw flowExpired();
  if (input.code === undefined) {
    if (flow.device_confirmed_at === null) throw notConfirmed();
    return finish(deps, flow, input, client);
  }
  // Wrong codes count per flow (5) and per account (10 lock device codes, escalating, the 100th in a
  // row for good; account/locks.ts), so starting new sign-ins does not buy more guesses. The link keeps working.
  const user = await findUserById(deps.store.db, flow.user_id);
  if (!user) throw flowExpired();
  // A passkey sign-in (both factors in one) does not wait for the password lock.
  await refuseIfLocked(deps, flow.passwordless === 1 ? [] : [passwordKey(user.email)]);
  await reserveFlowAttempt(deps.store.db, flow);
  const code = input.code;
  const signals = await riskSignals(deps, user.id, client);
  const knownDevice = await isKnownDevice(deps, user.id, input.deviceCookie);
  return underLockout(deps, {
    lock: { key: deviceCodeKey(user.id), policy: CODE_LOCKOUT, kind: { method: 'New-device confirmation code', otherFactorLifts: false } },
    user,
    client,
    check: async (tx) => (await consumeToken(deps, tx, { purpose: 'device_code', secret: code, boundTo: flowBinding(flow) })) !== null,
    onSuccess: (tx) => completeSignIn(deps, tx, { user, flow, method: pendingMethod(flow), client, deviceCookie: input.deviceCookie, knownDevice, signals }),
    onFailure: async (tx) => {
      await recordAttempt(deps, tx, { userId: flow.user_id, client, result: 'wrong_code', method: 'device_code' });
      await deps.audit.record(tx, { type: 'mfa.failed', ...anonymous(user.id), client, data: { method: 'device_code' } });
    },
    refusal: invalidCode,
    answerLock: true,
  });
}

