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
import { precompile } from '../store/precompiled.ts';
import type { SessionsTable } from '../store/schema.ts';
import type { User } from './users.ts';

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

/** Every column of a session (checked against the table's type), read under a prefix beside its user's. */
const SESSION_COLUMNS = Object.keys({
  id: true,
  token_hash: true,
  user_id: true,
  restricted: true,
  auth_method: true,
  step_up_at: true,
  created_at: true,
  last_active_at: true,
  expires_at: true,
  revoked_at: true,
  ip: true,
  user_agent: true,
} satisfies Record<keyof Session, true>) as (keyof Session)[];
const PREFIX = 'session__';

/** The session by its token's hash with its account's row, its own columns under PREFIX: asked by every authenticated request, so compiled once. */
const sessionWithUser = precompile(1, (db, tokenHash: string) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select((eb) => SESSION_COLUMNS.map((column) => eb.ref(`sessions.${column}`).as(`${PREFIX}${column}`)))
    .where('sessions.token_hash', '=', tokenHash)
    .limit(1),
);

/** Whether a session found is live now (not revoked, idle too long or too old); touches it at most once a minute. */
async function liveNow(deps: Deps, session: Session): Promise<boolean> {
  const now = deps.clock.now();
  if (session.revoked_at !== null) return false;
  if (now >= session.expires_at || now - session.last_active_at >= deps.config.session.idleTimeoutMs) return false;
  if (now - session.last_active_at >= TOUCH_EVERY_MS) {
    await deps.store.db.updateTable('sessions').set({ last_active_at: now }).where('id', '=', session.id).execute();
    session.last_active_at = now;
  }
  return true;
}

/**
 * The live session for a cookie token and its account, read in one query (what every authenticated
 * request asks first), or undefined (unknown, revoked, idle too long or too old). Read from the
 * database on every request, so a revocation on any node is seen at the next one.
 */
export async function findLiveSessionWithUser(deps: Deps, token: string): Promise<{ session: Session; user: User } | undefined> {
  const row = (await sessionWithUser(deps.store.db, hashToken(token)))[0] as Record<string, unknown> | undefined;
  if (!row) return undefined;
  const session: Record<string, unknown> = {};
  const user: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key.startsWith(PREFIX)) session[key.slice(PREFIX.length)] = value;
    else user[key] = value;
  }
  return (await liveNow(deps, session as unknown as Session)) ? { session: session as unknown as Session, user: user as unknown as User } : undefined;
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
