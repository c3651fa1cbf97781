/**
 * Finding a user and seeing what support needs to help them: the account's status and locks, its
 * identity-verification cases, its second factors (names only, never a secret), sessions, known
 * devices, login activity, security history and withdrawal holds.
 */
import { listActivity } from '../../account/activity.ts';
import { listDevices } from '../../account/devices.ts';
import { passwordKey } from '../../account/locks.ts';
import { activeCodeLocks } from '../../factors/locks.ts';
import { liveSessions } from '../../account/sessions.ts';
import { findUserById, normalizeEmail, type User } from '../../account/users.ts';
import { recordAlone, type Actor } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import type { StaffUserProfile, StaffUserSummary } from '../../contracts/staff.ts';
import type { Deps } from '../../deps.ts';
import { notFound } from '../../errors/app-error.ts';
import { secondFactorSummary } from '../../factors/registry.ts';
import { startsWith } from '../../store/like.ts';
import { documentNumberHash } from '../kyc/cases.ts';
import { summarize } from '../kyc/review.ts';
import { auditView } from './audit-log.ts';
import { isoTime } from '../../clock.ts';

const SEARCH_LIMIT = 20;

export const summarizeUser = (u: User): StaffUserSummary => ({
  id: u.id,
  email: u.email,
  createdAt: isoTime(u.created_at)!,
  kycStatus: u.kyc_status,
  staffRole: u.staff_role,
  lockedByStaff: u.staff_locked_at !== null,
  frozen: u.frozen_at !== null,
});

/** By account id, email (exact, or the start of it) or identity-document number. */
export async function searchUsers(deps: Deps, actor: Actor, query: string, client: ClientInfo): Promise<StaffUserSummary[]> {
  const db = deps.store.db;
  const email = normalizeEmail(query);
  const byDocument = db.selectFrom('kyc_cases').select('user_id').where('number_hash', '=', documentNumberHash(deps, query.toUpperCase().replace(/[\s-]/g, '')));
  const rows = await db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', query.trim()), eb('email', '=', email), startsWith('email', email), eb('id', 'in', byDocument)]))
    .orderBy('email')
    .limit(SEARCH_LIMIT)
    .execute();
  // Staff reads of accounts are on record: the accounts found, never the search text.
  await recordAlone(db, deps.audit, { type: 'staff.users_searched', actor, subject: null, client, data: { found: rows.map((r) => r.id) } });
  return rows.map(summarizeUser);
}

/** Every staff member and role (`bastion staff list`). */
export function listStaff(deps: Deps): Promise<{ email: string; staff_role: User['staff_role'] }[]> {
  return deps.store.db.selectFrom('users').select(['email', 'staff_role']).where('staff_role', 'is not', null).orderBy('email').execute();
}

export async function findUserOrThrow(deps: Deps, userId: string): Promise<User> {
  const user = await findUserById(deps.store.db, userId);
  if (!user) throw notFound('not_found', 'No such user.');
  return user;
}

/** An account's recent login activity, as the console shows it. */
export async function recentActivity(deps: Deps, userId: string, limit = 50): Promise<StaffUserProfile['activity']> {
  const { entries } = await listActivity(deps, userId, { limit });
  return entries.map((a) => ({ at: a.at, result: a.result, method: a.method, device: a.device, ip: a.ip, place: a.location, riskSignals: a.riskSignals }));
}

export async function userProfile(deps: Deps, actor: Actor, userId: string, client: ClientInfo): Promise<StaffUserProfile> {
  const db = deps.store.db;
  const user = await findUserOrThrow(deps, userId);
  await recordAlone(db, deps.audit, { type: 'staff.user_viewed', actor, subject: user.id, client });
  const now = deps.clock.now();
  const [cases, factors, sessions, devices, activity, history, holds, passwordLock, codeLocks] = await Promise.all([
    db.selectFrom('kyc_cases').selectAll().where('user_id', '=', user.id).orderBy('created_at', 'desc').execute(),
    secondFactorSummary(db, user.id),
    liveSessions(deps, user.id),
    listDevices(deps, user.id, undefined),
    recentActivity(deps, user.id),
    db.selectFrom('audit_events').selectAll().where('user_id', '=', user.id).orderBy('seq', 'desc').limit(100).execute(),
    db.selectFrom('withdrawal_holds').selectAll().where('user_id', '=', user.id).where('until', '>', now).orderBy('until', 'desc').execute(),
    deps.throttle.lockedUntil(passwordKey(user.email)),
    activeCodeLocks(deps, user),
  ]);
  return {
    user: { ...summarizeUser(user), emailVerified: user.email_verified_at !== null, kycLevel: user.kyc_level },
    status: {
      frozenAt: isoTime(user.frozen_at),
      staffLock: user.staff_locked_at === null ? null : { at: isoTime(user.staff_locked_at)!, reason: user.staff_lock_reason ?? '', by: user.staff_locked_by },
      passwordLockedUntil: isoTime(passwordLock),
      codeLocks: codeLocks.map((l) => ({ method: l.method, until: isoTime(l.until), hard: l.hard })),
    },
    kycCases: await summarize(db, cases),
    factors: factors.filter((f) => f.count > 0).map((f) => ({ method: f.id, name: f.count > 1 ? `${f.label} (${f.count})` : f.label, createdAt: null })),
    sessions: sessions.map((s) => ({ id: s.id, device: deps.describeDevice(s.user_agent ?? ''), ip: s.ip, createdAt: isoTime(s.created_at)!, lastActiveAt: isoTime(s.last_active_at)!, authMethod: s.auth_method })),
    devices: devices.map((d) => ({ id: d.id, label: d.device, lastSeenAt: d.lastSeenAt, lastLocation: d.location })),
    activity,
    securityHistory: history.map(auditView),
    holds: holds.map((h) => ({ reason: h.reason, until: isoTime(h.until)! })),
  };
}
