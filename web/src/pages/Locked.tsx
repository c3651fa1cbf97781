/** Shown after too many failed attempts: when the lock ends, counting down live. */
import { Page } from '../components/Page.tsx';
import { SuccessMessage } from '../components/Messages.tsx';
import { useNow } from '../hooks.ts';
import { Link, useQueryParam } from '../router.tsx';

function formatCountdown(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${minutes}:${two(seconds)}`;
}

function describeCountdown(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  if (minutes < 2) return 'less than 2 minutes';
  if (minutes < 120) return `about ${minutes} minutes`;
  return `about ${Math.round(minutes / 60)} hours`;
}

export function LockedPage() {
  const untilParam = useQueryParam('until');
  const until = untilParam ? new Date(untilParam) : null;
  const valid = until !== null && !Number.isNaN(until.getTime());
  const now = useNow(1000);
  const remaining = valid ? until.getTime() - now : 0;

  return (
    <Page title="Your account is locked">
      <p>There were too many failed sign-in attempts, so we locked the account to protect it. We emailed the owner a link to unlock it.</p>
      {valid ? (
        <>
          <p className="locked-until">
            It unlocks at{' '}
            <time dateTime={until.toISOString()} data-testid="locked-until">
              {until.toLocaleString()}
            </time>
            .
          </p>
          {remaining > 0 ? (
            <p className="countdown">
              <span className="visually-hidden">Time left: {describeCountdown(remaining)}. </span>
              <span aria-hidden="true">
                Time left: <span className="mono">{formatCountdown(remaining)}</span>
              </span>
            </p>
          ) : (
            <SuccessMessage>The lock has ended. You can sign in again.</SuccessMessage>
          )}
        </>
      ) : (
        <p>Try again later.</p>
      )}
      <p className="muted">If this was not you, reset your password: it also lifts the lock.</p>
      <p className="links">
        <Link to="/forgot-password">Forgot password?</Link>
        <Link to="/login">Sign in</Link>
      </p>
    </Page>
  );
}
