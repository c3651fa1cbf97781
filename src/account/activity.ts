/**
 * Login activity: every sign-in attempt on an account, and every failed proof of a factor for
 * something else (a step-up, a password reset, a 2FA recovery), with time, IP, device, approximate
 * location, method, purpose, result and the risk signals that fired. Listed newest first with an opaque cursor;
 * entries older than ACTIVITY_RETENTION are pruned.
 */
import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.ts';
import type { ClientInfo } from '../client/client-info.ts';
import type { ActivityEntry } from '../contracts/security-center.ts';
import type { Db, Tx } from '../store/database.ts';
import type { LoginActivityTable } from '../store/schema.ts';
import { decodeCursor, pageOf } from '../store/cursor.ts';

export type ActivityResult = LoginActivityTable['result'];
/** What the attempt was for: a sign-in, or a proof inside one's account or a recovery (a step-up, a password reset…). */
export type ActivityPurpose = LoginActivityTable['purpose'];

export async function recordAttempt(
  deps: Deps,
  db: Db | Tx,
  input: { userId: string; client: ClientInfo; result: ActivityResult; method?: string | null; signals?: string[]; purpose?: ActivityPurpose; at?: number },
): Promise<void> {
  deps.metrics.attempts.inc({ purpose: input.purpose ?? 'sign_in', result: input.result, method: input.method ?? 'password' });
  const where = deps.locate(input.client.ip);
  await db
    .insertInto('login_activity')
    .values({
      id: randomUUID(),
      user_id: input.userId,
      at: input.at ?? deps.clock.now(),
      ip: input.client.ip,
      user_agent: input.client.userAgent,
      device: deps.describeDevice(input.client.userAgent),
      country: where.country,
      city: where.city,
      latitude: where.latitude,
      longitude: where.longitude,
      method: input.method ?? null,
      result: input.result,
      risk_signals: JSON.stringify(input.signals ?? []),
      purpose: input.purpose ?? 'sign_in',
    })
    .execute();
}

export async function listActivity(deps: Deps, userId: string, options: { cursor?: string | undefined; limit: number }): Promise<{ entries: ActivityEntry[]; nextCursor: string | null }> {
  let query = deps.store.db.selectFrom('login_activity').selectAll().where('user_id', '=', userId);
  if (options.cursor) {
    const { position: at, id } = decodeCursor(options.cursor);
    query = query.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', id)])]));
  }
  const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(options.limit + 1).execute();
  const { page, nextCursor } = pageOf(rows, options.limit, (r) => [r.at, r.id]);
  return {
    entries: page.map((r) => ({
      id: r.id,
      at: new Date(r.at).toISOString(),
      ip: r.ip,
      device: r.device,
      location: deps.locate(r.ip).label,
      method: r.method,
      result: r.result,
      purpose: r.purpose,
      riskSignals: JSON.parse(r.risk_signals) as string[],
    })),
    nextCursor,
  };
}

/** Deletes activity older than the retention period; returns how many entries went. */
export async function pruneActivity(deps: Deps): Promise<number> {
  const result = await deps.store.db.deleteFrom('login_activity').where('at', '<', deps.clock.now() - deps.config.activityRetentionMs).executeTakeFirst();
  return Number(result.numDeletedRows);
}
