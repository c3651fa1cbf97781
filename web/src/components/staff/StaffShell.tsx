/**
 * The frame of every staff console page (/staff…): the heading, a nav between the sections, and the
 * access check. GET /api/staff/me decides: without a session the visitor goes to sign in; an
 * account without a staff role (403 staff_only) is told the page is for staff only; a lapsed staff
 * step-up (403 staff_step_up_required, which any staff call may answer) shows the step-up prompt and
 * then makes the call again. Pages inside reach it all through useStaff().
 */
import { useCallback, useMemo, useState, type ComponentType, type ReactNode } from 'react';
import type { StaffMe } from '../../../../src/contracts/staff.ts';
import { isApiError } from '../../api.ts';
import { Link } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { ErrorMessage } from '../Messages.tsx';
import { Page } from '../Page.tsx';
import { LoadState } from '../security/LoadState.tsx';
import { useFailureHandler } from '../security/useSecurityData.ts';
import '../security/security.css';
import { useStepUp } from '../StepUp.tsx';
import './staff.css';
import { StaffContext, type ConsolePermission, type StaffAccess, type StaffCall } from './useStaff.ts';
import { useDataThrough } from './useStaffData.ts';
import { ROLE_LABELS } from './words.ts';

export type StaffSection = 'users' | 'kyc' | 'resets' | 'audit' | 'outbox';

const SECTIONS: { id: StaffSection; to: string; label: string; permission: ConsolePermission }[] = [
  { id: 'users', to: '/staff', label: 'Find users', permission: 'users:search' },
  { id: 'kyc', to: '/staff/kyc', label: 'KYC queue', permission: 'kyc:review' },
  { id: 'resets', to: '/staff/2fa-resets', label: '2FA resets', permission: 'two_factor_resets:review' },
  { id: 'audit', to: '/staff/audit', label: 'Audit log', permission: 'audit:view' },
  { id: 'outbox', to: '/staff/outbox', label: 'Mail outbox', permission: 'outbox:view' },
];

function StaffNav({ section, may }: { section: StaffSection; may: StaffAccess['may'] }) {
  return (
    <nav className="staff-nav" aria-label="Staff console">
      <ul>
        {SECTIONS.filter((s) => may(s.permission)).map((s) => (
          <li key={s.id}>
            <Link to={s.to} aria-current={s.id === section ? 'page' : undefined}>
              {s.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

interface StaffShellProps {
  title: string;
  section: StaffSection;
  children: ReactNode;
}

export function StaffShell({ title, section, children }: StaffShellProps) {
  // Loads GET /api/me for the header, and sends visitors without a full session away.
  useSignedIn();
  const leave = useFailureHandler();
  const [denied, setDenied] = useState(false);
  const [unexpected, setUnexpected] = useState('');

  const describe = useCallback(
    (failure: unknown) => {
      if (isApiError(failure, 'staff_only')) {
        setDenied(true);
        return '';
      }
      return leave(failure);
    },
    [leave],
  );
  const stepUp = useStepUp(
    useCallback((failure: unknown) => setUnexpected(describe(failure)), [describe]),
    { code: 'staff_step_up_required' },
  );
  const { run } = stepUp;
  const call = useCallback<StaffCall>(
    (action, onError) =>
      run(async () => {
        try {
          await action();
        } catch (failure) {
          if (isApiError(failure, 'staff_step_up_required')) throw failure;
          const message = describe(failure);
          if (message) onError(message);
        }
      }),
    [run, describe],
  );

  const { data: me, error, reload } = useDataThrough<StaffMe>(call, '/api/staff/me');
  const access = useMemo<StaffAccess | null>(
    () => (me ? { me, may: (permission) => me.permissions.includes(permission), call, asking: stepUp.asking } : null),
    [me, call, stepUp.asking],
  );

  if (denied) {
    return (
      <Page title="Staff console">
        <ErrorMessage>
          <span data-testid="staff-only">This page is for staff only.</span>
        </ErrorMessage>
        <p className="links">
          <Link to="/dashboard">Go to your dashboard</Link>
        </p>
      </Page>
    );
  }

  return (
    <Page
      title={title}
      wide
      intro={
        me ? (
          <p className="staff-who">
            Staff console · <span className="wrap">{me.email}</span> · {ROLE_LABELS[me.role]}
          </p>
        ) : undefined
      }
    >
      {access ? <StaffNav section={section} may={access.may} /> : null}
      {stepUp.prompt}
      <ErrorMessage>{unexpected}</ErrorMessage>
      {access ? (
        <StaffContext.Provider value={access}>{children}</StaffContext.Provider>
      ) : (
        <LoadState what="the staff console" loaded={false} error={error} onRetry={reload} />
      )}
    </Page>
  );
}

/** A staff console page for the route table: `Body` inside the shell. */
export function staffPage(title: string, section: StaffSection, Body: ComponentType): ComponentType {
  return function StaffPage() {
    return (
      <StaffShell title={title} section={section}>
        <Body />
      </StaffShell>
    );
  };
}
