/**
 * The staff console's access, shared with its pages by StaffShell: who the staff member is (GET
 * /api/staff/me), what their role may do (to hide what it may not; the server checks every call),
 * and `call`, which runs staff requests and, when the staff step-up has lapsed (403
 * staff_step_up_required), asks for it and runs the request again.
 */
import { createContext, useContext } from 'react';
import type { StaffMe } from '../../../../src/contracts/staff.ts';

/** The "resource:action" permissions the console offers something for (the table is account/staff-roles.ts). */
export type ConsolePermission =
  | 'users:search'
  | 'users:view'
  | 'users:lock'
  | 'users:unlock'
  | 'users:revoke_sessions'
  | 'users:set_role'
  | 'kyc:review'
  | 'kyc:view_files'
  | 'kyc:decide'
  | 'kyc:erase'
  | 'audit:view'
  | 'audit:verify'
  | 'outbox:view'
  | 'outbox:retry';

/**
 * Runs staff requests. A lapsed staff step-up is asked for and `action` runs again; any other
 * failure reaches `onError` in words (not at all when it leaves the page, e.g. for the sign-in).
 */
export type StaffCall = (action: () => Promise<void>, onError: (message: string) => void) => Promise<void>;

export interface StaffAccess {
  me: StaffMe;
  may: (permission: ConsolePermission) => boolean;
  call: StaffCall;
  /** True while the step-up prompt is shown. */
  asking: boolean;
}

export const StaffContext = createContext<StaffAccess | null>(null);

export function useStaff(): StaffAccess {
  const access = useContext(StaffContext);
  if (!access) throw new Error('useStaff outside StaffShell');
  return access;
}
