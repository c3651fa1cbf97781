/**
 * A lock support put on the account (the staff console): sign-ins are refused, after the password
 * or passkey was proved (as for a frozen account, so the answer tells nothing to someone without
 * them), until staff lift it. Its owner's factors do not lift it.
 */
import { forbidden, type AppError } from '../errors/app-error.ts';
import type { User } from './users.ts';

export const isStaffLocked = (user: User): boolean => user.staff_locked_at !== null;

export const staffLockedError = (): AppError =>
  forbidden('account_locked_by_staff', 'Support has locked this account. Contact support to have it unlocked.');
