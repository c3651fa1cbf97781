/**
 * Who may do what in the staff console: one table of role → resource → actions, checked on the
 * server for every staff route (http/staff-guard.ts), never in pages. `support` reviews, reads and
 * locks; `admin` may do everything, including granting roles and erasing documents. Staff are
 * Bastion users with a role (users.staff_role), granted with `bastion staff grant`.
 */
import { ALL_PERMISSIONS as ALL, type Permission, type StaffRole } from '../contracts/staff.ts';

export type { Permission } from '../contracts/staff.ts';

/** The one table: what each role holds. */
export const ROLE_PERMISSIONS: Record<StaffRole, readonly Permission[]> = {
  support: ALL.filter((p) => p !== 'users:set_role' && p !== 'kyc:erase'),
  admin: ALL,
};

export const can = (role: StaffRole | null | undefined, permission: Permission): boolean => role != null && ROLE_PERMISSIONS[role].includes(permission);
