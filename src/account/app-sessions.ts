/**
 * The apps an account signed in to through Bastion (OpenID Connect), as the account's security sees
 * them: a change that ends every Bastion session (a freeze, support's lock, a password or 2FA reset)
 * ends every app session too, revokes every grant with its refresh and access tokens, and tells each
 * app that had a session (OpenID Connect Back-Channel Logout 1.0) through a notice written in the
 * same transaction and sent by the provider (flows/oidc/backchannel.ts). Ending one Bastion session
 * (signing out, ending it from the security center, a change that ends the others) ends the app
 * sessions that ride on it the same way, keeping what the user allowed.
 */
import { randomUUID } from 'node:crypto';
import { bySystem } from '../audit/audit.ts';
import type { Deps } from '../deps.ts';
import { inTransaction, type Db, type Tx } from '../store/database.ts';


interface SessionPayload {
  accountId?: string;
  authorizations?: Record<string, { sid?: string }>;
}

/** Queues a logout notice for each app with a back-channel logout URI that has a session among these. */
async function queueLogouts(tx: Db | Tx, sessions: { payload: string }[], now: number): Promise<number> {
  const notices: { clientId: string; accountId: string; sid: string }[] = [];
  for (const row of sessions) {
    const payload = JSON.parse(row.payload) as SessionPayload;
    for (const [clientId, { sid }] of Object.entries(payload.authorizations ?? {})) if (payload.accountId && sid) notices.push({ clientId, accountId: payload.accountId, sid });
  }
  if (notices.length === 0) return 0;
  const listening = new Set(
    (await tx.selectFrom('oidc_clients').select('id').where('id', 'in', [...new Set(notices.map((n) => n.clientId))]).where('backchannel_logout_uri', 'is not', null).execute()).map((c) => c.id),
  );
  const rows = notices
    .filter((n) => listening.has(n.clientId))
    .map((n) => ({ id: randomUUID(), client_id: n.clientId, account_id: n.accountId, sid: n.sid, attempts: 0, next_attempt_at: now, created_at: now, sent_at: null, last_error: null }));
  if (rows.length > 0) await tx.insertInto('oidc_logouts').values(rows).execute();
  return rows.length;
}

/** Ends every app session of the account and revokes every grant and token; returns how many apps are told. */
export async function endAllAppAccess(tx: Tx, userId: string, now: number): Promise<number> {
  const sessions = await tx.selectFrom('oidc_payloads').select('payload').where('model', '=', 'Session').where('account_id', '=', userId).execute();
  const told = await queueLogouts(tx, sessions, now);
  await tx.deleteFrom('oidc_payloads').where('account_id', '=', userId).execute();
  await tx.deleteFrom('oidc_session_links').where('account_id', '=', userId).execute();
  return told;
}

/** Records that the provider session `uid` (a browser's sign-in to apps) rides on this Bastion session. */
export async function linkAppSession(db: Db, link: { uid: string; accountId: string; bastionSessionId: string }, now: number): Promise<void> {
  const row = { uid: link.uid, account_id: link.accountId, bastion_session_id: link.bastionSessionId, created_at: now };
  await db.insertInto('oidc_session_links').values(row).onConflict((oc) => oc.column('uid').doUpdateSet({ account_id: row.account_id, bastion_session_id: row.bastion_session_id, created_at: now })).execute();
}

/**
 * Ends the app sessions that ride on some of the account's Bastion sessions (those ended: by id, or
 * every one but `allBut`), keeping grants; returns how many apps are told. With `revokeTokens` (a
 * session ended for the account's safety: from the security center, or by a password or email
 * change) the tokens issued through those app sessions go too, refresh tokens for offline_access
 * among them: a stolen session's sign-in to an app must not outlive it. A plain sign-out keeps them.
 */
export async function endAppSessionsOf(
  tx: Tx,
  userId: string,
  which: { sessionIds: string[] } | { allBut: string | undefined },
  now: number,
  options: { revokeTokens: boolean },
): Promise<number> {
  let links = tx.selectFrom('oidc_session_links').select('uid').where('account_id', '=', userId);
  if ('sessionIds' in which) links = links.where('bastion_session_id', 'in', which.sessionIds.length > 0 ? which.sessionIds : ['']);
  else if (which.allBut !== undefined) links = links.where('bastion_session_id', '!=', which.allBut);
  const uids = (await links.execute()).map((l) => l.uid);
  if (uids.length === 0) return 0;
  const sessions = tx.selectFrom('oidc_payloads').where('model', '=', 'Session').where('account_id', '=', userId).where('uid', 'in', uids);
  const told = await queueLogouts(tx, await sessions.select('payload').execute(), now);
  await tx.deleteFrom('oidc_payloads').where('model', '=', 'Session').where('account_id', '=', userId).where('uid', 'in', uids).execute();
  if (options.revokeTokens) await tx.deleteFrom('oidc_payloads').where('account_id', '=', userId).where('session_uid', 'in', uids).execute();
  await tx.deleteFrom('oidc_session_links').where('uid', 'in', uids).execute();
  return told;
}

const MAX_BATCHES = 100;

/** Why a Bastion session's app sessions end at the sweep. */
type Lapse = 'gone' | 'revoked' | 'expired' | 'idle';

/**
 * Ends the app sessions whose Bastion session ended without anyone ending them (idle too long, past
 * its lifetime, gone) or was revoked before its link was written (the link follows the app's
 * sign-in): run by the maintenance sweep, a batch at a time until none is left, each account in one
 * transaction with its audit event (`oidc.app_sessions_ended`, by the system; at most 100 batches a
 * sweep; an account whose transaction fails is logged and left for the next sweep, the rest go on).
 * A lapsed session keeps its grants and tokens, as a sign-out does; a revoked one loses the tokens
 * issued through it, as its revocation would have taken them (a session ended for safety; a link
 * written after a plain sign-out is treated alike: stricter than the sign-out, never looser).
 * Returns how many app sessions (links) ended.
 */
export async function endLapsedAppSessions(deps: Deps, batch = 500): Promise<number> {
  const now = deps.clock.now();
  const db = deps.store.db;
  let ended = 0;
  /** Links of an account whose transaction failed this sweep (logged): left out of the next batches, so one cannot stall the rest. */
  const failed: string[] = [];
  // At most MAX_BATCHES a sweep, so a sweep always ends: the next one takes what is left.
  for (let round = 0; round < MAX_BATCHES; round++) {
    let query = db
      .selectFrom('oidc_session_links as link')
      .leftJoin('sessions', 'sessions.id', 'link.bastion_session_id')
      .select(['link.uid', 'link.account_id', 'link.bastion_session_id', 'sessions.id as found', 'sessions.revoked_at', 'sessions.expires_at'])
      .where((eb) =>
        eb.or([
          eb('sessions.id', 'is', null),
          eb('sessions.revoked_at', 'is not', null),
          eb('sessions.expires_at', '<=', now),
          eb('sessions.last_active_at', '<=', now - deps.config.session.idleTimeoutMs),
        ]),
      );
    if (failed.length > 0) query = query.where('link.uid', 'not in', failed);
    const lapsed = await query.limit(batch).execute();
    const byAccount = new Map<string, { sessions: Map<string, Lapse>; links: string[] }>();
    for (const row of lapsed) {
      const why: Lapse = row.found === null ? 'gone' : row.revoked_at !== null ? 'revoked' : row.expires_at !== null && row.expires_at <= now ? 'expired' : 'idle';
      const account = byAccount.get(row.account_id) ?? { sessions: new Map<string, Lapse>(), links: [] };
      account.sessions.set(row.bastion_session_id, why);
      account.links.push(row.uid);
      byAccount.set(row.account_id, account);
    }
    for (const [accountId, { sessions, links }] of byAccount) {
      try {
        ended += await inTransaction(db, (tx) => endLapsedOf(deps, tx, accountId, sessions, now));
      } catch (err) {
        deps.log.error({ err, account: accountId }, 'could not end the app sessions of lapsed sessions');
        failed.push(...links);
      }
    }
    if (lapsed.length < batch) break;
  }
  return ended;
}

/**
 * One account's part of the sweep, in its transaction: the links still there (another node or a
 * sign-out may have ended some meanwhile) end, and the audit event names only those; none, no event.
 */
async function endLapsedOf(deps: Deps, tx: Tx, accountId: string, sessions: Map<string, Lapse>, now: number): Promise<number> {
  const still = await tx
    .selectFrom('oidc_session_links')
    .select('bastion_session_id')
    .where('account_id', '=', accountId)
    .where('bastion_session_id', 'in', [...sessions.keys()])
    .execute();
  const ending = new Map([...sessions].filter(([id]) => still.some((link) => link.bastion_session_id === id)));
  if (ending.size === 0) return 0;
  const revoked = [...ending].filter(([, why]) => why === 'revoked').map(([id]) => id);
  const lapsedOnly = [...ending].filter(([, why]) => why !== 'revoked').map(([id]) => id);
  let told = 0;
  if (revoked.length > 0) told += await endAppSessionsOf(tx, accountId, { sessionIds: revoked }, now, { revokeTokens: true });
  if (lapsedOnly.length > 0) told += await endAppSessionsOf(tx, accountId, { sessionIds: lapsedOnly }, now, { revokeTokens: false });
  await deps.audit.record(tx, { type: 'oidc.app_sessions_ended', ...bySystem(accountId), client: null, data: { sessions: Object.fromEntries(ending), appsTold: told } });
  return still.length;
}
