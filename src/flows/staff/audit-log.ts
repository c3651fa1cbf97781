/**
 * The audit log for staff: every event, filtered by actor, subject, type and time, newest first with
 * a cursor; and verifying the hash chain from the console (which is itself recorded).
 */
import { recordAlone, type Actor } from '../../audit/audit.ts';
import { verifyChain } from '../../audit/verify.ts';
import { SealRefused } from '../../audit/seal.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import type { AuditEventView, AuditVerifyBody } from '../../contracts/staff.ts';
import type { Deps } from '../../deps.ts';
import { decodeCursor, pageOf } from '../../store/cursor.ts';
import { startsWith } from '../../store/like.ts';
import type { Selectable } from 'kysely';
import type { AuditEventsTable } from '../../store/schema.ts';

const PAGE = 100;

export function auditView(row: Selectable<AuditEventsTable>): AuditEventView {
  let data: Record<string, unknown> = {};
  try {
    data = JSON.parse(row.data) as Record<string, unknown>;
  } catch {
    // A row is shown even if its details were damaged (the chain check reports the change).
  }
  return {
    seq: Number(row.seq),
    at: new Date(Number(row.at)).toISOString(),
    type: row.type,
    actor: { kind: row.actor_kind ?? 'system', id: row.actor_id },
    subject: row.user_id,
    ip: row.ip,
    userAgent: row.user_agent,
    data,
  };
}

export interface AuditFilter {
  actor?: string | undefined;
  subject?: string | undefined;
  type?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  cursor?: string | undefined;
}

export async function listAudit(deps: Deps, filter: AuditFilter): Promise<{ events: AuditEventView[]; nextCursor: string | null }> {
  let query = deps.store.db.selectFrom('audit_events').selectAll();
  if (filter.actor) query = query.where('actor_id', '=', filter.actor);
  if (filter.subject) query = query.where('user_id', '=', filter.subject);
  // A type, or a family of them: "kyc." matches kyc.submitted, kyc.approved, …
  if (filter.type) query = filter.type.endsWith('.') ? query.where(startsWith('type', filter.type)) : query.where('type', '=', filter.type);
  if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('at', '<=', filter.to);
  if (filter.cursor) query = query.where('seq', '<', decodeCursor(filter.cursor).position);
  const rows = await query.orderBy('seq', 'desc').limit(PAGE + 1).execute();
  const { page, nextCursor } = pageOf(rows, PAGE, (e) => [Number(e.seq), 'seq']);
  return { events: page.map(auditView), nextCursor };
}

/**
 * Seals what is waiting, then walks the whole chain, so the answer covers every event up to now; the
 * check and its outcome are recorded with the staff member as actor. A sealer that refuses to sign
 * (the chain's tail was cut or rewritten under it) makes the answer "not intact" with its reason,
 * even where the entries left verify.
 */
export async function verifyAuditChain(deps: Deps, actor: Actor, client: ClientInfo): Promise<AuditVerifyBody> {
  const refused = await deps.audit.seal().then(
    () => null,
    (error: unknown) => {
      if (error instanceof SealRefused) return error.message;
      throw error;
    },
  );
  const report = await verifyChain(deps.store.db, deps.audit.keys);
  const body: AuditVerifyBody = !report.intact
    ? { intact: false, rows: report.rows, pending: report.pending, firstBadSeq: report.firstBadSeq, reason: report.reason }
    : refused !== null
      ? { intact: false, rows: report.rows, pending: report.pending, firstBadSeq: null, reason: refused }
      : { intact: true, rows: report.rows, pending: report.pending, firstBadSeq: null, reason: null };
  await recordAlone(deps.store.db, deps.audit, { type: 'staff.audit_verified', actor, subject: null, client, data: { ...body } });
  return body;
}
