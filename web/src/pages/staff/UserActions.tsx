/**
 * What support can do to an account, each with a reason for the audit log: lock and unlock it, end
 * all its sessions and, for admins, change its staff role and erase its identity documents (both
 * confirmed first). Only the actions the role holds are offered; one form is open at a time.
 */
import { useRef, useState } from 'react';
import type { StaffRole, StaffUserProfile } from '../../../../src/contracts/staff.ts';
import { post, put } from '../../api.ts';
import { choicesFrom, SelectField } from '../../components/Fields.tsx';
import type { ErasedAnswer, ReasonBody, RoleAnswer, RoleBody, SessionsRevokedAnswer } from '../../components/staff/types.ts';
import { ReasonForm } from '../../components/staff/ReasonForm.tsx';
import { useStaff, type ConsolePermission } from '../../components/staff/useStaff.ts';
import { count, ROLE_LABELS } from '../../components/staff/words.ts';

type ActionId = 'lock' | 'unlock' | 'revoke' | 'role' | 'erase';

const ROLE_CHOICES = choicesFrom(ROLE_LABELS);

interface UserActionsProps {
  profile: StaffUserProfile;
  /** After an action: what happened, in words (the page loads the profile again). */
  onDone: (message: string) => void;
}

export function UserActions({ profile, onDone }: UserActionsProps) {
  const { may } = useStaff();
  const [open, setOpen] = useState<ActionId | null>(null);
  const [role, setRole] = useState<StaffRole | ''>(profile.user.staffRole ?? '');
  const openers = useRef(new Map<ActionId, HTMLButtonElement>());
  const { user, status } = profile;
  const base = `/api/staff/users/${encodeURIComponent(user.id)}`;
  const locked = status.staffLock !== null;
  const roleLabel = role ? ROLE_LABELS[role] : 'no staff role';

  const ACTIONS: { id: ActionId; label: string; permission: ConsolePermission; shown: boolean }[] = [
    { id: 'lock', label: 'Lock account', permission: 'users:lock', shown: !locked },
    { id: 'unlock', label: 'Unlock account', permission: 'users:unlock', shown: locked },
    { id: 'revoke', label: 'End all sessions', permission: 'users:revoke_sessions', shown: true },
    { id: 'role', label: 'Change role', permission: 'users:set_role', shown: true },
    { id: 'erase', label: 'Erase identity documents', permission: 'kyc:erase', shown: profile.kycCases.some((c) => !c.erased) },
  ];
  const offered = ACTIONS.filter((action) => action.shown && may(action.permission));

  const cancel = () => {
    const was = open;
    setOpen(null);
    if (was) window.requestAnimationFrame(() => openers.current.get(was)?.focus());
  };
  const done = (message: string) => {
    setOpen(null);
    onDone(message);
  };

  const form = () => {
    switch (open) {
      case 'lock':
        return (
          <ReasonForm
            title="Lock account"
            submitLabel="Lock account"
            busyLabel="Locking…"
            note={<p>Nobody can sign in to the account until support unlocks it.</p>}
            danger
            onCancel={cancel}
            onSubmit={async (reason) => {
              await post(`${base}/lock`, { reason } satisfies ReasonBody);
              done('The account is locked.');
            }}
          />
        );
      case 'unlock':
        return (
          <ReasonForm
            title="Unlock account"
            submitLabel="Unlock account"
            busyLabel="Unlocking…"
            note={<p>This lifts the support lock only. If the owner froze the account themselves, that freeze stays until the owner lifts it.</p>}
            onCancel={cancel}
            onSubmit={async (reason) => {
              await post(`${base}/unlock`, { reason } satisfies ReasonBody);
              done(status.frozenAt ? 'The support lock is lifted. The owner’s own freeze stays until they lift it.' : 'The account is unlocked.');
            }}
          />
        );
      case 'revoke':
        return (
          <ReasonForm
            title="End all sessions"
            submitLabel="End all sessions"
            busyLabel="Ending sessions…"
            note={<p>The account is signed out everywhere; the owner can sign in again.</p>}
            onCancel={cancel}
            onSubmit={async (reason) => {
              const answer = await post<SessionsRevokedAnswer>(`${base}/sessions/revoke`, { reason } satisfies ReasonBody);
              done(`Ended ${count(answer.count, 'session', 'sessions')}.`);
            }}
          />
        );
      case 'role':
        return (
          <ReasonForm
            title="Change role"
            submitLabel="Change role"
            busyLabel="Changing role…"
            confirm={{ question: `Give ${user.email} ${role ? `the ${roleLabel} role` : 'no staff role'}?`, yes: 'Yes, change the role' }}
            onCancel={cancel}
            onSubmit={async (reason) => {
              const answer = await put<RoleAnswer>(`${base}/role`, { role: role || null, reason } satisfies RoleBody);
              done(answer.role ? `The staff role is now ${ROLE_LABELS[answer.role]}.` : 'The account has no staff role now.');
            }}
          >
            <SelectField label="New role" value={role} onValueChange={setRole} choices={ROLE_CHOICES} placeholder="No staff role" />
          </ReasonForm>
        );
      case 'erase':
        return (
          <ReasonForm
            title="Erase identity documents"
            submitLabel="Erase identity documents"
            busyLabel="Erasing…"
            note={<p>Deletes the photos and typed details of every identity check of this account, for good. The decisions stay in the audit log.</p>}
            confirm={{ question: `Erase the identity documents of ${user.email}? This cannot be undone.`, yes: 'Yes, erase the documents' }}
            danger
            onCancel={cancel}
            onSubmit={async (reason) => {
              const answer = await post<ErasedAnswer>(`${base}/kyc/erase`, { reason } satisfies ReasonBody);
              done(`Erased ${count(answer.files, 'file', 'files')}.`);
            }}
          />
        );
      default:
        return null;
    }
  };

  if (offered.length === 0) return null;

  return (
    <section className="panel" aria-labelledby="actions-heading">
      <h2 id="actions-heading">Actions</h2>
      {open ? (
        form()
      ) : (
        <div className="actions">
          {offered.map((action) => (
            <button
              key={action.id}
              type="button"
              className={action.id === 'lock' || action.id === 'erase' ? 'button-danger' : 'button-secondary'}
              ref={(element) => {
                if (element) openers.current.set(action.id, element);
                else openers.current.delete(action.id);
              }}
              onClick={() => setOpen(action.id)}
            >
              {action.label}
            </button>
          ))}
        </div>
      )}
    </section>
  );
}
