/** Choosing a password (sign-up, change, reset): the policy (policy.ts), answered as 400 weak_password naming the rule. */
import type { Deps } from '../../deps.ts';
import { badRequest } from '../../errors/app-error.ts';
import { checkPassword, normalizePassword } from './policy.ts';

export function weakPassword(rule: string, message: string, score: number) {
  return badRequest('weak_password', message, { rule, score });
}

/** Applies the password policy; throws 400 weak_password naming the rule. Returns the NFKC form to hash. */
export function enforcePasswordPolicy(deps: Deps, password: string, email: string): string {
  const result = checkPassword(password, { email }, { requireComposition: deps.config.passwordRequireComposition });
  if (!result.ok) throw weakPassword(result.rule, result.message, result.score);
  return normalizePassword(password);
}
