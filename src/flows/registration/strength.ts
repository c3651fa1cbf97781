/**
 * POST /api/auth/password/strength, the meter beside a new password: the policy's rules and the
 * zxcvbn score. The score is worked out in a worker thread (strength-pool.ts) and the route is
 * limited per network, so crafted passwords neither stall other requests nor run up unbounded work.
 */
import { perIpKey, type ClientInfo } from '../../client/client-info.ts';
import type { PasswordStrengthAnswer, PasswordStrengthBody } from '../../contracts/registration.ts';
import type { Deps } from '../../deps.ts';
import { checkPasswordRules } from '../../factors/password/policy.ts';
import { scoreOffThread } from '../../factors/password/strength-pool.ts';
import { enforceRateLimit } from '../../throttle/limits.ts';

/** Generous for typing (the page asks after a pause), far below what a scripted flood would need. */
const PER_IP = { limit: 300, windowMs: 10 * 60_000 };

export async function passwordStrength(deps: Deps, body: PasswordStrengthBody, client: ClientInfo): Promise<PasswordStrengthAnswer> {
  await enforceRateLimit(deps.throttle, perIpKey('strength-ip', client), PER_IP, 'Too many strength checks from your network. Try again in a few minutes.');
  const email = body.email ?? '';
  const rules = checkPasswordRules(body.password, { email }, { requireComposition: deps.config.passwordRequireComposition });
  const score = await scoreOffThread(body.password, email);
  return rules.ok ? { ok: true, score } : { ok: false, score, rule: rules.rule, message: rules.message };
}
