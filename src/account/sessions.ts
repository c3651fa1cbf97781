/**
 * Sessions (OWASP ASVS V7): a 256-bit random token in an HttpOnly, SameSite=Lax cookie; only its
 * SHA-256 is stored. A new token is issued at sign-in and whenever privilege changes (no fixation).
 * A session ends after SESSION_IDLE_TIMEOUT without use, SESSION_ABSOLUTE_LIFETIME after sign-in,
 * or when revoked; every node checks the database on every request, so revocation is immediate.
 */
import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { hashToken, randomToken } from '../crypto/tokens.ts';
import type { ClientInfo } from '../client/client-info.ts';
import type { Db, Tx } from '../store/database.ts';
import type { SessionsTable } from '../store/schema.ts';

export type Session = SessionsTable;

/** Writing last_active_at on every request is wasteful; once a minute is precise enough for idling. */
const TOUCH_EVERY_MS = 60_000;

export interface NewSession {
  session: Session;
  /** The token for the cookie; never stored. */
  token: string;
}

export async function createSession(
  deps: Deps,
  tx: Tx,
  input: { userId: string; restricted: boolean; authMethod: string; strong: boolean; client: ClientInfo },
): Promise<NewSession> {
  const now = deps.clock.now();
  const token = randomToken(32);
  const session: Session = {
    id: randomUUID(),
    token_hash: hashToken(token),
    user_id: input.userId,
    restricted: input.restricted ? 1 : 0,
    auth_method: input.authMethod,
    step_up_at: input.strong ? now : null,
    created_at: now,
    last_active_at: now,
    expires_at: now + deps.config.session.absoluteLifetimeMs,
    revoked_at: null,
    ip: input.client.ip,
    user_agent: input.client.userAgent,
  };
  await tx.insertInto('sessions').values(session).execute();
  return { session, token };
}

/** The live session for a cookie token, or undefined (unknown, revoked, idle too long or too old). */
export async function findLiveSession(deps: Deps, token: string): Promise<Session | undefined> {
  const now = deps.clock.now();
  const session = await deps.store.db.selectFrom('sessions').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
  if (!session || session.revoked_at !== null) return undefined;
  if (now >= session.expires_at || now - session.last_active_at >= deps.config.session.idleTimeoutMs) return undefined;
  if (now - session.last_active_at >= TOUCH_EVERY_MS) {
    await deps.store.db.updateTable('sessions').set({ last_active_at: now }).where('id', '=', session.id).execute();
    session.last_active_at = now;
  }
  return session;
}

/** Issues a new token for a session whose privilege changed; the old token stops working at once. */
export async function rotateSession(tx: Tx, sessionId: string, changes: Partial<Pick<Session, 'restricted' | 'step_up_at' | 'auth_method'>>): Promise<string> {
  const token = randomToken(32);
  await tx.updateTable('sessions').set({ ...changes, token_hash: hashToken(token) }).where('id', '=', sessionId).execute();
  return token;
}

export async function revokeSession(db: Db | Tx, sessionId: string, now: number): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: now }).where('id', '=', sessionId).where('revoked_at', 'is', null).execute();
}

/** Ends every session of a user (password reset), or every one but `exceptId`. */
export async function revokeAllSessions(db: Db | Tx, userId: string, now: number, exceptId?: string): Promise<void> {
  let query = db.updateTable('sessions').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null);
  if (exceptId) query = query.where('id', '!=', exceptId);
  await query.execute();
}

/** Sign-ins in progress (begun with the old password, say) can no longer finish. */
export async function endSignIns(db: Db | Tx, userId: string): Promise<void> {
  await db.deleteFrom('login_flows').where('user_id', '=', userId).execute();
}

/** The user's live sessions, most recently active first. */
export async function liveSessions(deps: Deps, userId: string): Promise<Session[]> {
  const now = deps.clock.now();
  const rows = await deps.store.db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .where('last_active_at', '>', now - deps.config.session.idleTimeoutMs)
    .orderBy('last_active_at', 'desc')
    .execute();
  return rows;
}
