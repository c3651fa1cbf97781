/**
 * Choosing a password (sign-up, change, reset): the policy's rules (policy.ts), answered as 400
 * weak_password naming the rule. The strength score is not worked out here (it is the meter's, off
 * the main thread: strength-pool.ts), so a crafted password costs these routes nothing.
 */
import type { Deps } from '../../deps.ts';
import { badRequest } from '../../errors/app-error.ts';
import { checkPasswordRules, normalizePassword } from './policy.ts';

export function weakPassword(rule: string, message: string) {
  return badRequest('weak_password', message, { rule });
}

/** Applies the password policy; throws 400 weak_password naming the rule. Returns the NFKC form to hash. */
export function enforcePasswordPolicy(deps: Deps, password: string, email: string): string {
  const result = checkPasswordRules(password, { email }, { requireComposition: deps.config.passwordRequireComposition });
  if (!result.ok) throw weakPassword(result.rule, result.message);
  return normalizePassword(password);
}
