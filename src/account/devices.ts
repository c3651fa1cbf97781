/**
 * Known devices: a long-lived device cookie (a random id; only its SHA-256 is stored) marks a
 * browser the account has confirmed through its inbox: the one that verified the email address,
 * confirmed a sign-in from the emailed link or code, or enrolled the first second factor.
 * Forgetting a device makes its next sign-in a new-device sign-in.
 */
import { randomUUID } from 'node:crypto';
import { self } from '../audit/audit.ts';
import type { Deps } from '../deps.ts';
import { hashToken, randomToken } from '../crypto/tokens.ts';
import type { ClientInfo } from '../client/client-info.ts';
import { notFound } from '../errors/app-error.ts';
import { inTransaction, type Tx } from '../store/database.ts';
import type { User } from './users.ts';

/** How long the device cookie lives in the browser. */
export const DEVICE_COOKIE_MS = 400 * 24 * 3_600_000;

export async function isKnownDevice(deps: Deps, userId: string, deviceCookie: string | undefined): Promise<boolean> {
  if (!deviceCookie) return false;
  const row = await deps.store.db.selectFrom('known_devices').select('id').where('user_id', '=', userId).where('device_hash', '=', hashToken(deviceCookie)).executeTakeFirst();
  return row !== undefined;
}

/**
 * Remembers this browser as a known device of the user. Keeps the browser's device cookie when it
 * has one (one browser, one id across accounts), otherwise makes one. Returns the cookie value.
 */
export async function rememberDevice(deps: Deps, tx: Tx, userId: string, deviceCookie: string | undefined, client: ClientInfo): Promise<string> {
  const cookie = deviceCookie && deviceCookie.length >= 32 ? deviceCookie : randomToken(32);
  const now = deps.clock.now();
  const location = deps.locate(client.ip).label;
  await tx
    .insertInto('known_devices')
    .values({ id: randomUUID(), user_id: userId, device_hash: hashToken(cookie), label: deps.describeDevice(client.userAgent), created_at: now, last_seen_at: now, last_ip: client.ip, last_location: location })
    .onConflict((oc) => oc.columns(['user_id', 'device_hash']).doUpdateSet({ last_seen_at: now, last_ip: client.ip, last_location: location }))
    .execute();
  return cookie;
}

export async function listDevices(deps: Deps, userId: string, deviceCookie: string | undefined) {
  const current = deviceCookie ? hashToken(deviceCookie) : null;
  const rows = await deps.store.db.selectFrom('known_devices').selectAll().where('user_id', '=', userId).orderBy('last_seen_at', 'desc').execute();
  return rows.map((d) => ({
    id: d.id,
    device: d.label,
    location: d.last_location,
    firstSeenAt: new Date(d.created_at).toISOString(),
    lastSeenAt: new Date(d.last_seen_at).toISOString(),
    current: d.device_hash === current,
  }));
}

/** Forgets one of the user's devices (its next sign-in is a new-device sign-in); 404 when not theirs. */
export async function forgetDevice(deps: Deps, user: User, deviceId: string, client: ClientInfo): Promise<void> {
  await inTransaction(deps.store.db, async (tx) => {
    const result = await tx.deleteFrom('known_devices').where('id', '=', deviceId).where('user_id', '=', user.id).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw notFound('not_found', 'No such device.');
    await deps.audit.record(tx, { type: 'device.forgotten', ...self(user.id), client, data: { deviceId } });
  });
}
