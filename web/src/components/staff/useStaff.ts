/**
 * The staff console's access, shared with its pages by StaffShell: who the staff member is (GET
 * /api/staff/me), what their role may do (to hide what it may not; the server checks every call),
 * and `call`, which runs staff requests and, when the staff step-up has lapsed (403
 * staff_step_up_required), asks for it and runs the request again.
 */
import { createContext, useContext } from 'react';
import type { Permission, StaffMe } from '../../../../src/contracts/staff.ts';

/** The "resource:action" permissions (the contract's list; which role holds which is account/staff-roles.ts). */
export type ConsolePermission = Permission;

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
