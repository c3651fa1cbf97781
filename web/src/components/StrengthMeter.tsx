/**
 * Live password strength from POST /api/auth/password/strength (debounced): a labelled 0–4 bar,
 * the score in words, and what the policy objects to.
 */
import { useEffect, useId, useState } from 'react';
import type { PasswordStrengthAnswer, PasswordStrengthBody } from '../../../src/contracts/registration.ts';
import { post } from '../api.ts';

const SCORE_WORDS = ['Very weak', 'Weak', 'Fair', 'Good', 'Strong'];

const RULE_WORDS: Record<string, string> = {
  too_short: 'This password is too short.',
  too_long: 'This password is too long.',
  common_password: 'This password is too common; it appears in lists attackers try first.',
  resembles_email: 'This password is too close to your email address.',
  composition: 'Use upper- and lower-case letters, a digit and a symbol.',
};

const DEBOUNCE_MS = 250;

export function StrengthMeter({ password, email }: { password: string; email?: string }) {
  const labelId = useId();
  const [result, setResult] = useState<PasswordStrengthAnswer | null>(null);
  const [unavailable, setUnavailable] = useState(false);

  useEffect(() => {
    if (!password) {
      setResult(null);
      setUnavailable(false);
      return;
    }
    let current = true;
    const timer = window.setTimeout(() => {
      const body: PasswordStrengthBody = email ? { password, email } : { password };
      post<PasswordStrengthAnswer>('/api/auth/password/strength', body).then(
        (answer) => {
          if (!current) return;
          setResult(answer);
          setUnavailable(false);
        },
        () => {
          if (current) setUnavailable(true);
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [password, email]);

  const score = result ? Math.min(4, Math.max(0, result.score)) : 0;
  const words = SCORE_WORDS[score] ?? '';
  const problem = result && !result.ok ? (result.message ?? (result.rule ? RULE_WORDS[result.rule] : undefined) ?? 'This password does not meet the policy.') : '';

  let text: string;
  if (!password) text = 'Enter a password to see how strong it is.';
  else if (unavailable) text = 'Strength check unavailable right now.';
  else if (!result) text = 'Checking…';
  else text = `${words} (${score} of 4)`;

  return (
    <div className="strength" data-testid="strength" aria-live="polite" data-score={result ? score : undefined} data-ok={result ? String(result.ok) : undefined}>
      <div className="strength-head">
        <span id={labelId} className="strength-label">
          Strength
        </span>
        <span className="strength-text">{text}</span>
      </div>
      <div
        className={`strength-bar score-${result ? score : 'none'}`}
        role="meter"
        aria-labelledby={labelId}
        aria-valuemin={0}
        aria-valuemax={4}
        aria-valuenow={score}
        aria-valuetext={result ? `${words}, ${score} of 4` : 'Not rated'}
      >
        {[0, 1, 2, 3].map((segment) => (
          <span key={segment} className={result && score > segment ? 'segment on' : 'segment'} />
        ))}
      </div>
      {problem ? <p className="strength-problem">{problem}</p> : result?.ok ? <p className="strength-ok">This password meets the policy.</p> : null}
    </div>
  );
}
