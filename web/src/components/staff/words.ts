/** Words and paths the staff console's pages share: roles, mail statuses, exact times, counts, links. */
import type { OutboxMessage, StaffRole } from '../../../../src/contracts/staff.ts';

export const ROLE_LABELS: Record<StaffRole, string> = { support: 'Support', admin: 'Admin' };

export type OutboxStatus = OutboxMessage['status'];
export const OUTBOX_STATUS_LABELS: Record<OutboxStatus, string> = { pending: 'Pending', sent: 'Sent', failed: 'Failed' };

/** Date and time to the second, for logs. */
export function exactTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** "1 session", "3 sessions". */
export const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export const profilePath = (userId: string) => `/staff/user?id=${encodeURIComponent(userId)}`;
export const casePath = (caseId: string) => `/staff/kyc/case?id=${encodeURIComponent(caseId)}`;
export const resetPath = (requestId: string) => `/staff/2fa-resets/request?id=${encodeURIComponent(requestId)}`;

/** A path with its query: the parameters that have a value, in order. */
export function withQuery(path: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
